from django.urls import include, path
from django.views.i18n import set_language

from config.api import api
from tiaojie.core.access import PUBLIC, access

urlpatterns = [
    path("", include("tiaojie.workbench.urls")),
    path("", include("tiaojie.core.urls")),
    path("", include("tiaojie.accounts.urls")),
    path("organisations/", include("tiaojie.organisations.urls")),
    path("audit/", include("tiaojie.audit.urls")),
    path("cases/", include("tiaojie.cases.urls")),
    path("cases/", include("tiaojie.documents.urls")),
    path("routing/", include("tiaojie.routing.urls")),
    path("triage/", include("tiaojie.triage.urls")),
    path("deadlines/", include("tiaojie.deadlines.urls")),
    path("notifications/", include("tiaojie.notifications.urls")),
    path("supervision/", include("tiaojie.supervision.urls")),
    path("reviews/", include("tiaojie.reviews.urls")),
    path("statistics/", include("tiaojie.statistics.urls")),
    path("subsidies/", include("tiaojie.subsidies.urls")),
    path("mediators/", include("tiaojie.mediators.urls")),
    path("screening/", include("tiaojie.screening.urls")),
    path("", include("tiaojie.public.urls")),
    path("", include("tiaojie.video.urls")),
    path("i18n/setlang/", access(PUBLIC)(set_language), name="set_language"),
    path("api/v1/", api.urls),
]

# The API answers a URL that matches no operation with its JSON 404 (config/api.py).
handler404 = "config.api.not_found"
# A lost database answers 503 with a page or JSON, never a traceback (config/api.py).
handler500 = "config.api.server_error"
