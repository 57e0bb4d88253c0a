from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """Case-file review (案卷评查): sampling, score sheets, reviewers, results and
    rectification."""

    name = "tiaojie.reviews"
    label = "reviews"
    verbose_name = _("Case-file review")
