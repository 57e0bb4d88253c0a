"""Permission cases for the statistics pages and API operations."""

from __future__ import annotations

from tests import personas as p
from tests.permission_kit import ApiCase, PageCase

# Staff who read cases see the figures of their own subtree; grid workers report disputes and
# see no figures; the administrators read no case contents (403 for all of them).
STAT_READERS = {
    p.MEDIATOR_A: 200,
    p.MEDIATOR_B: 200,
    p.DIRECTOR_A: 200,
    p.STREET: 200,
    p.DISTRICT: 200,
    p.CITY: 200,
}


def _draft_a() -> dict[str, int]:
    import datetime as dt

    from django.utils import timezone

    from tiaojie.statistics import filing, periods

    first = timezone.localdate().replace(day=1)
    period = periods.month_of(first - dt.timedelta(days=1))
    return {"pk": filing.report_for(p.org(p.COMMITTEE_A), period).pk}


def _analysis_a() -> dict[str, int]:
    """A written analysis of committee A (its street and district see it; B does not)."""
    from tiaojie.accounts.models import User
    from tiaojie.statistics.models import AnalysisReport

    org = p.org(p.COMMITTEE_A)
    row = AnalysisReport.objects.create(
        organisation=org,
        org_path=org.path,
        period="2019",
        requested_by=User.objects.get(username=p.DIRECTOR_A),
        status=AnalysisReport.Status.DONE,
        pdf=b"%PDF-1.4",
        docx=b"PK",
    )
    return {"pk": row.pk}


# The analysis of committee A: its own people and the levels above; committee B not found.
ANALYSIS_A = {**STAT_READERS, p.MEDIATOR_B: 404}

PAGE_CASES = [
    PageCase("statistics:report", expect=STAT_READERS),
    PageCase("statistics:report_export", lambda: {"fmt": "xlsx"}, STAT_READERS),
    PageCase("statistics:figure_cases", expect=STAT_READERS),
    PageCase("statistics:filing", expect=STAT_READERS),
    PageCase("statistics:dashboard", expect=STAT_READERS),
    PageCase("statistics:screen", expect=STAT_READERS),
    PageCase("statistics:screen_data", expect=STAT_READERS),
    # Historical figures are imported by bureau officers only.
    PageCase("statistics:history", expect={p.DISTRICT: 200, p.CITY: 200}),
    PageCase("statistics:analysis", expect=STAT_READERS),
    # Without a period the request is answered with the period's error (200, nothing queued).
    PageCase("statistics:analysis_request", expect=STAT_READERS, method="post"),
    PageCase("statistics:analysis_status", _analysis_a, ANALYSIS_A),
    PageCase("statistics:analysis_file", lambda: {**_analysis_a(), "fmt": "pdf"}, ANALYSIS_A),
    PageCase("statistics:history_template", expect={p.DISTRICT: 200, p.CITY: 200}),
    PageCase("statistics:history", expect={p.DISTRICT: 200, p.CITY: 200}, method="post"),
    # Without htmx the answer is the filing page again (302), a refusal included; the sibling
    # committee does not find committee A's report.
    PageCase(
        "statistics:filing_action",
        _draft_a,
        {**{k: 302 for k in STAT_READERS}, p.MEDIATOR_B: 404},
        method="post",
    ),
]

API_CASES = [
    ApiCase("statistics_report", "get", "/statistics/report", expect=STAT_READERS, default=403),
    ApiCase(
        "statistics_figure_cases", "get", "/statistics/cases", expect=STAT_READERS, default=403
    ),
    ApiCase("statistics_screen", "get", "/statistics/screen", expect=STAT_READERS, default=403),
]
