from django.urls import path

from tiaojie.screening.views import campaigns, escalations, field, findings, rounds, warning

app_name = "screening"
urlpatterns = [
    path("", rounds.round_list, name="round_list"),
    path("overdue/", rounds.overdue, name="overdue"),
    path("schedule/", rounds.schedule, name="schedule"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/findings/", rounds.finding_add, name="finding_add"),
    path("rounds/<int:pk>/report/", rounds.round_report, name="round_report"),
    path("rounds/<int:pk>/assign/", rounds.round_assign, name="round_assign"),
    path("findings/<int:pk>/", findings.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/case/", findings.finding_to_case, name="finding_to_case"),
    path("findings/<int:pk>/close/", findings.finding_close, name="finding_close"),
    path("cases/<int:case_id>/escalations/", escalations.case_escalations, name="case_escalations"),
    path("cases/<int:case_id>/panel/", escalations.case_panel, name="case_panel"),
    path("field/", field.field_app, name="field_app"),
    path("field/manifest.webmanifest", field.field_manifest, name="field_manifest"),
    path("field/sw.js", field.field_worker, name="field_worker"),
    path("field/sync/", field.field_sync, name="field_sync"),
    path("media/<int:pk>/", field.finding_media, name="finding_media"),
    path("risks/", warning.risks, name="risks"),
    path("hotspots/", warning.hotspot_list, name="hotspots"),
    path("duplicates/", warning.duplicate_list, name="duplicate_list"),
    path("duplicates/refresh/", warning.duplicate_refresh, name="duplicate_refresh"),
    path("duplicates/<int:pk>/decide/", warning.duplicate_decide, name="duplicate_decide"),
    path("campaigns/", campaigns.campaign_list, name="campaign_list"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/targets/", campaigns.campaign_target, name="campaign_target"),
    path("campaigns/<int:pk>/counts/", campaigns.campaign_count, name="campaign_count"),
    path(
        "campaigns/<int:pk>/report.<str:kind>",
        campaigns.campaign_report,
        name="campaign_report",
    ),
]
