"""Permission cases for the screening pages.

Who: everyone who registers disputes reports screening (CASE_REGISTER: committee staff, grid
workers, the officers of offices and bureaus for their own rounds); a round is seen by its own
organisation, the levels above it and its assignee, and reported only by its own organisation
or assignee (the levels above read it: their posts are 403). The overdue page is for the
officers who supervise (CASE_SUPERVISE); the schedule for a bureau (RULES_CONFIGURE). A case's
prevented escalations are read by whoever reads the case and recorded by its handlers."""

from __future__ import annotations

from tests import personas as p
from tests.permission_kit import ApiCase, PageCase
from tiaojie.accounts.models import User

REPORTERS = {
    p.MEDIATOR_A: 200,
    p.MEDIATOR_B: 200,
    p.DIRECTOR_A: 200,
    p.GRID_A: 200,
    p.STREET: 200,
    p.DISTRICT: 200,
    p.CITY: 200,
}
# A round of committee A: its staff and the levels above read it; others find nothing.
ROUND_OF_A = {
    p.MEDIATOR_A: 200,
    p.DIRECTOR_A: 200,
    p.MEDIATOR_B: 404,
    p.GRID_A: 404,
    p.STREET: 200,
    p.DISTRICT: 200,
    p.CITY: 200,
}


def _posted_by_a(status: int) -> dict[str, int]:
    """Committee A's staff get ``status``; the levels above may read but not screen (403)."""
    return {
        p.MEDIATOR_A: status,
        p.DIRECTOR_A: status,
        p.MEDIATOR_B: 404,
        p.GRID_A: 404,
        p.STREET: 403,
        p.DISTRICT: 403,
        p.CITY: 403,
    }


def round_of_a() -> dict[str, int]:
    from tiaojie.screening.tests import helpers as h

    return {"pk": h.make_round().pk}


def finding_of_a() -> dict[str, int]:
    from tiaojie.screening.services import findings
    from tiaojie.screening.tests import helpers as h

    finding = findings.finding_record(
        actor=User.objects.get(username=p.DIRECTOR_A),
        screening_round=h.make_round(),
        data=findings.FindingData(place="东湖小区3栋", what="楼上漏水"),
    )
    return {"pk": finding.pk}


def case_of_a() -> dict[str, int]:
    from tiaojie.cases.tests.factories import register

    return {"case_id": register(User.objects.get(username=p.MEDIATOR_A)).pk}


ASSIGN_BY_A = {**_posted_by_a(302)}


def campaign_of_street(**extra: str) -> dict[str, object]:
    """A campaign of 东湖街道司法所 with a target for committee A."""
    import datetime as dt

    from django.utils import timezone

    from tiaojie.organisations.models import Organisation
    from tiaojie.screening.services import campaigns

    street = User.objects.get(username=p.STREET)
    today = timezone.localdate()
    campaign = campaigns.campaign_create(
        actor=street, name="大排查", starts_on=today, ends_on=today + dt.timedelta(days=7)
    )
    campaigns.target_set(
        actor=street,
        campaign=campaign,
        organisation=Organisation.objects.get(name=p.COMMITTEE_A),
        target=10,
    )
    return {"pk": campaign.pk, **extra}


CAMPAIGN_READERS = {**ROUND_OF_A}
OFFICERS = {p.STREET: 200, p.DISTRICT: 200, p.CITY: 200}

PAGE_CASES: list[PageCase] = [
    PageCase("screening:round_list", expect=REPORTERS),
    PageCase("screening:overdue", expect={p.STREET: 200, p.DISTRICT: 200, p.CITY: 200}),
    PageCase("screening:schedule", expect={p.DISTRICT: 200, p.CITY: 200}),
    PageCase("screening:round_detail", round_of_a, ROUND_OF_A),
    PageCase("screening:finding_add", round_of_a, _posted_by_a(422), method="post"),
    PageCase("screening:round_report", round_of_a, _posted_by_a(422), method="post"),
    PageCase(
        "screening:round_assign",
        round_of_a,
        {**ASSIGN_BY_A, p.MEDIATOR_A: 302},
        method="post",
    ),
    PageCase("screening:finding_detail", finding_of_a, ROUND_OF_A),
    PageCase("screening:finding_to_case", finding_of_a, _posted_by_a(422), method="post"),
    PageCase("screening:finding_close", finding_of_a, _posted_by_a(422), method="post"),
    PageCase(
        "screening:case_escalations",
        case_of_a,
        {
            p.MEDIATOR_A: 200,
            p.DIRECTOR_A: 200,
            p.MEDIATOR_B: 404,
            p.GRID_A: 404,
            p.STREET: 200,
            p.DISTRICT: 200,
            p.CITY: 200,
        },
    ),
    PageCase(
        "screening:case_escalations",
        case_of_a,
        {
            p.MEDIATOR_A: 422,
            p.DIRECTOR_A: 422,
            p.MEDIATOR_B: 404,
            p.GRID_A: 404,
            p.STREET: 403,
            p.DISTRICT: 403,
            p.CITY: 403,
        },
        method="post",
    ),
]

PAGE_CASES += [
    PageCase("screening:campaign_list", expect=REPORTERS),
    PageCase("screening:campaign_create", expect=OFFICERS),
    PageCase("screening:campaign_detail", campaign_of_street, CAMPAIGN_READERS),
    PageCase(
        "screening:campaign_report",
        lambda: campaign_of_street(kind="xlsx"),
        CAMPAIGN_READERS,
    ),
    PageCase(
        "screening:campaign_target",
        campaign_of_street,
        {p.STREET: 422, p.DISTRICT: 422, p.CITY: 422},
        method="post",
    ),
    PageCase("screening:campaign_count", campaign_of_street, _posted_by_a(422), method="post"),
]


def pair_of_a() -> dict[str, int]:
    """Two open disputes of committee A with the same parties, suggested as a pair."""
    from tiaojie.cases.tests.factories import register
    from tiaojie.screening.models import DuplicateSuggestion
    from tiaojie.screening.services.duplicates import suggestions_refresh

    mediator = User.objects.get(username=p.MEDIATOR_A)
    register(mediator)
    register(mediator)
    suggestions_refresh()
    return {"pk": DuplicateSuggestion.objects.latest("id").pk}


PAGE_CASES += [
    PageCase("screening:risks", expect=OFFICERS),
    PageCase("screening:hotspots", expect=OFFICERS),
    PageCase("screening:duplicate_list", expect=OFFICERS),
    PageCase(
        "screening:duplicate_refresh",
        expect={p.STREET: 302, p.DISTRICT: 302, p.CITY: 302},
        method="post",
    ),
    PageCase(
        "screening:duplicate_decide",
        pair_of_a,
        {p.STREET: 302, p.DISTRICT: 302, p.CITY: 302},
        method="post",
    ),
]

API_CASES: list[ApiCase] = []
