"""Permission cases for the screening pages.

Who: everyone who registers disputes reports screening (CASE_REGISTER: committee staff, grid
workers, the officers of offices and bureaus for their own rounds); a round is seen by its own
organisation, the levels above it and its assignee, and reported only by its own organisation
or assignee (the levels above read it: their posts are 403). The overdue page is for the
officers who supervise (CASE_SUPERVISE); the schedule for a bureau (RULES_CONFIGURE). A case's
prevented escalations are read by whoever reads the case and recorded by its handlers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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

# The case page's screening panel (core.case_page): whoever reads the case.
CASE_READERS = {
    p.MEDIATOR_A: 200,
    p.DIRECTOR_A: 200,
    p.MEDIATOR_B: 404,
    p.GRID_A: 404,
    p.STREET: 200,
    p.DISTRICT: 200,
    p.CITY: 200,
}
PAGE_CASES += [PageCase("screening:case_panel", case_of_a, CASE_READERS)]


def media_of_a() -> dict[str, int]:
    """A photo sent from committee A's director's phone with a finding."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tiaojie.screening.services.field import field_report
    from tiaojie.screening.services.findings import FindingData
    from tiaojie.screening.tests import helpers as h

    finding, _ = field_report(
        actor=User.objects.get(username=p.DIRECTOR_A),
        screening_round=h.make_round(),
        data=FindingData(place="东湖小区3栋", what="楼上漏水", client_key="perm-1"),
        photo=SimpleUploadedFile("a.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg"),
    )
    return {"pk": finding.media.get().pk}


# The field app (PWA): the page for whoever reports screening; its manifest and worker hold
# nothing personal (public); a sync without a round is refused by field (422).
PAGE_CASES += [
    PageCase("screening:field_app", expect=REPORTERS),
    PageCase("screening:field_manifest", public=True, default=200),
    PageCase("screening:field_worker", public=True, default=200),
    PageCase("screening:field_sync", expect={k: 422 for k in REPORTERS}, method="post"),
    PageCase("screening:finding_media", media_of_a, ROUND_OF_A),
]


def _as(name: str, fn: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
    """The page helpers' ``pk`` under the API path's name (``round_id``, ...)."""
    return lambda: {name: fn()["pk"]}


def _dispute_code() -> str:
    from django.utils import timezone

    from tiaojie.cases.models import DisputeType

    return str(DisputeType.objects.valid_on(timezone.localdate()).values_list("code", flat=True)[0])


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


API_CASES += [
    ApiCase("screening_rounds", "get", "/screening/rounds", expect=REPORTERS, default=403),
    ApiCase(
        "screening_rounds_overdue", "get", "/screening/rounds/overdue", expect=OFFICERS, default=403
    ),
    ApiCase(
        "screening_round",
        "get",
        "/screening/rounds/{round_id}",
        _as("round_id", round_of_a),
        expect=ROUND_OF_A,
        default=403,
    ),
    ApiCase(
        "screening_round_findings",
        "get",
        "/screening/rounds/{round_id}/findings",
        _as("round_id", round_of_a),
        expect=ROUND_OF_A,
        default=403,
    ),
    ApiCase(
        "screening_finding_create",
        "post",
        "/screening/rounds/{round_id}/findings",
        _as("round_id", round_of_a),
        body=lambda: {"place": "东湖小区3栋", "what": "楼上漏水"},
        expect=_posted_by_a(201),
        default=403,
    ),
    ApiCase(
        "screening_round_report",
        "post",
        "/screening/rounds/{round_id}/report",
        _as("round_id", round_of_a),
        body=lambda: {"nil": True},
        expect=_posted_by_a(200),
        default=403,
    ),
    ApiCase(
        "screening_finding",
        "get",
        "/screening/findings/{finding_id}",
        _as("finding_id", finding_of_a),
        expect=ROUND_OF_A,
        default=403,
    ),
    ApiCase(
        "screening_finding_to_case",
        "post",
        "/screening/findings/{finding_id}/case",
        _as("finding_id", finding_of_a),
        body=lambda: {
            "dispute_type": _dispute_code(),
            "summary": "漏水纠纷",
            "applicant": "刘某",
            "respondent": "陈某",
        },
        expect=_posted_by_a(201),
        default=403,
    ),
    ApiCase(
        "screening_finding_close",
        "post",
        "/screening/findings/{finding_id}/close",
        _as("finding_id", finding_of_a),
        body=lambda: {"reason": "双方已和解"},
        expect=_posted_by_a(200),
        default=403,
    ),
    ApiCase(
        "screening_escalations",
        "get",
        "/screening/cases/{case_id}/escalations",
        case_of_a,
        expect=CASE_READERS,
        default=403,
    ),
    ApiCase(
        "screening_escalation_record",
        "post",
        "/screening/cases/{case_id}/escalations",
        case_of_a,
        body=lambda: {"kind": "criminal", "people": 3, "recorded_on": _today()},
        expect={
            p.MEDIATOR_A: 201,
            p.DIRECTOR_A: 201,
            p.MEDIATOR_B: 404,
            p.GRID_A: 403,  # a grid worker reports; it does not handle cases
            p.STREET: 403,
            p.DISTRICT: 403,
            p.CITY: 403,
        },
        default=403,
    ),
    ApiCase("screening_campaigns", "get", "/screening/campaigns", expect=REPORTERS, default=403),
    ApiCase(
        "screening_campaign",
        "get",
        "/screening/campaigns/{campaign_id}",
        _as("campaign_id", campaign_of_street),
        expect=CAMPAIGN_READERS,
        default=403,
    ),
    ApiCase(
        "screening_campaign_count",
        "post",
        "/screening/campaigns/{campaign_id}/counts",
        _as("campaign_id", campaign_of_street),
        body=lambda: {"day": _today(), "screened": 5, "resolved": 2},
        expect=_posted_by_a(200),
        default=403,
    ),
    ApiCase("screening_hotspots", "get", "/screening/hotspots", expect=OFFICERS, default=403),
    ApiCase("screening_duplicates", "get", "/screening/duplicates", expect=OFFICERS, default=403),
    ApiCase(
        "screening_duplicate_decide",
        "post",
        "/screening/duplicates/{suggestion_id}/decide",
        _as("suggestion_id", pair_of_a),
        body=lambda: {"decision": "same"},
        expect=OFFICERS,
        default=403,
    ),
]
