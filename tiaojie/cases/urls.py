from django.urls import path

from tiaojie.cases.views import (
    actions,
    attachments,
    detail,
    intake,
    ledger,
    lists,
    parties,
    privacy,
)

app_name = "cases"
urlpatterns = [
    path("", lists.case_list, name="case_list"),
    path("export/", lists.case_export, name="case_export"),
    path("new/", intake.case_register, name="case_register"),
    path("new/party/", intake.party_row, name="party_row"),
    path("new/lookup/", intake.party_lookup, name="party_lookup"),
    path("new/duplicates/", intake.case_duplicates, name="case_duplicates"),
    path("import/", ledger.ledger_import, name="ledger_import"),
    path("import/template.xlsx", ledger.ledger_import_template, name="ledger_import_template"),
    path("import/<int:pk>/status/", ledger.ledger_import_status, name="ledger_import_status"),
    path("personal-information/", privacy.person_request, name="person_request"),
    path("<int:pk>/", detail.case_detail, name="case_detail"),
    path("<int:pk>/parties/reveal/", detail.parties_reveal, name="parties_reveal"),
    path("<int:pk>/parties/<int:party_id>/edit/", parties.party_edit, name="party_edit"),
    path("<int:pk>/actions/", actions.case_action, name="case_action"),
    path("attachments/<int:pk>/", attachments.attachment_download, name="attachment_download"),
]
