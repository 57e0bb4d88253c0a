from django.urls import path

from tiaojie.deadlines.views import calendar, lists, rules

app_name = "deadlines"
urlpatterns = [
    path("", lists.deadline_list, name="deadline_list"),
    path("organisations/", lists.org_counts, name="org_counts"),
    path("cases/<int:pk>/panel/", lists.case_panel, name="case_panel"),
    path("calendar/", calendar.calendar_list, name="calendar_list"),
    path("calendar/<int:year>/", calendar.calendar_year, name="calendar_year"),
    path("calendar/<int:year>/edit/", calendar.calendar_edit, name="calendar_edit"),
    path("rules/", rules.rule_list, name="rule_list"),
    path("rules/<str:kind>/", rules.rule_edit, name="rule_edit"),
]
