"""About 300 demo cases across the demo committees, in every state, through the services.

The services stamp today's date; the demo then spreads registration over the year so the
ledger, deadlines and statistics look like a real year's work (the only writes here that do
not go through a service, and they touch nothing but dates)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Role
from tiaojie.cases.choices import CaseSource, PartyKind, PartyRole
from tiaojie.cases.demo_stories import COMPANIES, GIVEN, PLACES, STORIES, SURNAMES
from tiaojie.cases.models import Case, DisputeType
from tiaojie.cases.services import aftercare, agreements, intake, records
from tiaojie.cases.workflow import transition
from tiaojie.core.transitions import moment_on
from tiaojie.core.validators import division, id_number_check_char
from tiaojie.organisations.models import Organisation

# Final state → share of the demo cases.
STATES = [
    ("registered", 0.08),
    ("declined", 0.04),
    ("accepted", 0.08),
    ("in_mediation", 0.18),
    ("agreed", 0.24),
    ("failed", 0.05),
    ("terminated", 0.05),
    ("archived", 0.28),
]
SECTOR_TYPES = {"medical": ["medical"], "traffic": ["traffic"]}
SOURCES = (
    [CaseSource.APPLICATION] * 9
    + [CaseSource.INITIATIVE] * 9
    + [
        CaseSource.POLICE,
        CaseSource.COURT,
        CaseSource.PETITION,
        CaseSource.GRID,
        CaseSource.HOTLINE,
    ]
)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _id_region(division_code: str) -> str:
    """A real GB/T 2260 code for the parties of a committee of the fictional city: its codes
    begin with 99, which is no province, and ID numbers are checked against the division table;
    the district keeps its last four digits under 42 (湖北), 420102 when there is none."""
    region = "42" + (division_code or "990102")[2:6]
    return region if division(region) is not None else "420102"


def _id_number(rng: random.Random, region: str) -> str:
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 50))
    body = f"{region}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + id_number_check_char(body)


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(0, 10**9):09d}"


def _story(rng: random.Random, code: str) -> tuple[str, str, str, Decimal | None, int, str, str]:
    stories = STORIES.get(code) or STORIES["other"]
    summary, narrative, requests = rng.choice(stories)
    a, b = _person(rng), _person(rng)
    amount = Decimal(rng.choice([800, 1500, 3000, 5000, 8600, 12000, 26000, 48000]))
    people = rng.choice([2, 2, 2, 3, 4, 12])
    values = {
        "a": a,
        "b": b,
        "place": rng.choice(PLACES),
        "amount": f"{amount}",
        "company": rng.choice(COMPANIES),
        "months": rng.randint(2, 8),
        "people": people,
    }
    return (
        summary,
        narrative.format(**values),
        requests.format(**values),
        amount if "{amount}" in narrative + requests else None,
        people,
        a,
        b,
    )


def _state(rng: random.Random) -> str:
    pick, total = rng.random(), 0.0
    for state, share in STATES:
        total += share
        if pick <= total:
            return state
    return "archived"


# Days back over which the demo cases are spread, at the least (see ``seed_demo_cases``).
DEMO_SPAN_AT_LEAST = 92


@transaction.atomic
def seed_demo_cases(count: int = 300, seed: int = 20261124) -> int:
    """Create ``count`` demo cases unless demo cases exist already; returns how many were made."""
    if Case.objects.exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    # The days on their own sequence: the cases' states and stories stay as they were.
    days = random.Random(seed + 1)  # noqa: S311 - demo data, not security
    committees = list(
        Organisation.objects.filter(kind="committee", staff__role=Role.MEDIATOR)
        .distinct()
        .order_by("path")
    )
    made = 0
    today = timezone.localdate()
    span = max((today - today.replace(month=1, day=1)).days, DEMO_SPAN_AT_LEAST)
    for index in range(count):
        committee = committees[index % len(committees)]
        mediator = (
            User.objects.filter(organisation=committee, role=Role.MEDIATOR, is_active=True)
            .order_by("id")
            .first()
        )
        director = User.objects.filter(organisation=committee, role=Role.COMMITTEE_DIRECTOR).first()
        if mediator is None:
            continue
        codes = SECTOR_TYPES.get(committee.sector) or [
            c for c in STORIES if c not in ("medical", "traffic")
        ]
        code = rng.choice(codes)
        summary, narrative, requests, amount, people, a, b = _story(rng, code)
        region = _id_region(committee.division_code)
        parties = [
            intake.PartyData(
                role=PartyRole.APPLICANT,
                name=a,
                id_number=_id_number(rng, region),
                phone=_phone(rng),
                address=f"{committee.name[:4]}{rng.choice(PLACES)}",
            ),
            intake.PartyData(
                role=PartyRole.RESPONDENT,
                name=b,
                id_number=_id_number(rng, region),
                phone=_phone(rng),
                address=f"{committee.name[:4]}{rng.choice(PLACES)}",
            ),
        ]
        if "{company}" in narrative or code in ("medical", "unpaid_wages", "property_management"):
            parties[1] = intake.PartyData(
                role=PartyRole.RESPONDENT,
                kind=PartyKind.ORGANISATION,
                name=rng.choice(COMPANIES),
                legal_representative=_person(rng),
            )
        # Spread the cases over this year, or over the last quarter early in the year (a demo
        # opened in January still has last month's and last quarter's work to report): each
        # registered some days ago, and every step of it recorded on that day through the
        # services' ``on=`` (no dates rewritten afterwards).
        day = today - dt.timedelta(days=days.randrange(0, span))
        case = intake.case_register(
            actor=mediator,
            on=day,
            data=intake.CaseData(
                dispute_type=DisputeType.objects.get(code=code if code in _codes() else "other"),
                source=rng.choice(SOURCES),
                summary=summary,
                narrative=narrative,
                requests=requests,
                amount=amount,
                people_involved=people,
                is_complex=rng.random() < 0.1,
                is_group=people >= 10,
                parties=parties,
            ),
        )
        # The first cases take each state in turn, so the demo shows every state at any count.
        target = STATES[index][0] if index < len(STATES) else _state(rng)
        _advance(rng, case, target, mediator, director, day)
        made += 1
    return made + _queue_at_centres(rng, max(3, count // 25), today)


def _queue_at_centres(rng: random.Random, count: int, today: dt.date) -> int:
    """Disputes waiting in the governance centres' queues (统一受理), received in the last few
    days by the centre's officer, not yet routed."""
    officers = list(
        User.objects.filter(
            organisation__is_governance_centre=True,
            role__in=[Role.OFFICE_OFFICER, Role.BUREAU_OFFICER],
            is_active=True,
        ).order_by("id")
    )
    # Every third is a grid worker's report: the centres receive grid reports too (where it
    # lands is the intake's business: the nearest centre above the grid that takes them).
    grid_workers = list(
        User.objects.filter(role=Role.GRID_WORKER, is_active=True).order_by("id")[:1]
    )
    made = 0
    for index in range(count if officers else 0):
        officer = officers[index % len(officers)]
        from_grid = bool(grid_workers) and index % 3 == 2
        if from_grid:
            officer = grid_workers[0]
        code = rng.choice([c for c in STORIES if c not in ("medical", "traffic")])
        summary, narrative, requests, amount, people, a, b = _story(rng, code)
        intake.case_register(
            actor=officer,
            on=today - dt.timedelta(days=rng.randrange(0, 6)),
            data=intake.CaseData(
                dispute_type=DisputeType.objects.get(code=code if code in _codes() else "other"),
                source=CaseSource.GRID
                if from_grid
                else rng.choice([CaseSource.HOTLINE, CaseSource.ONLINE, CaseSource.PETITION]),
                summary=summary,
                narrative=narrative,
                requests=requests,
                amount=amount,
                people_involved=people,
                is_group=people >= 10,
                parties=[
                    intake.PartyData(role=PartyRole.APPLICANT, name=a, phone=_phone(rng)),
                    intake.PartyData(role=PartyRole.RESPONDENT, name=b),
                ],
            ),
        )
        made += 1
    return made


_CODES: set[str] = set()


def _codes() -> set[str]:
    if not _CODES:
        _CODES.update(DisputeType.objects.values_list("code", flat=True))
    return _CODES


def _advance(
    rng: random.Random,
    case: Case,
    target: str,
    mediator: User,
    director: User | None,
    day: dt.date | None = None,
) -> None:
    """Move ``case`` to ``target`` through the services, every step dated ``day`` (today)."""
    day = day or timezone.localdate()
    if target == "registered":
        return
    if target == "declined":
        transition(
            on=day,
            actor=mediator,
            case=case,
            action="decline",
            reason="纠纷已由人民法院受理",
            data={"decline_reason": "before_other_body"},
        )
        return
    case = transition(on=day, actor=mediator, case=case, action="accept")
    if target == "accepted":
        return
    if target == "terminated" and rng.random() < 0.5:
        transition(
            on=day,
            actor=mediator,
            case=case,
            action="terminate",
            reason="被申请人明确表示拒绝调解",
            data={"end_reason": "party_refuses"},
        )
        return
    case = transition(
        on=day,
        actor=mediator,
        case=case,
        action="start_mediation",
        data={"mediator_ids": [mediator.pk]},
    )
    now = moment_on(day)
    if rng.random() < 0.4:
        records.investigation_add(
            actor=mediator,
            case=case,
            held_at=now,
            place="现场",
            interviewee="邻居及物业工作人员",
            investigators=mediator.full_name,
            recorder=mediator.full_name,
            content="问：纠纷发生的经过？答：……（走访核实情况）",
        )
    records.session_add(
        actor=mediator,
        case=case,
        held_at=now + dt.timedelta(seconds=1),
        place=f"{case.committee.name}调解室",
        parties_present="双方当事人",
        recorder=mediator.full_name,
        content="告知当事人权利义务后，双方分别陈述，调解员释法说理，引导双方互谅互让。",
    )
    if target == "in_mediation":
        return
    if target == "terminated":
        transition(
            on=day,
            actor=mediator,
            case=case,
            action="terminate",
            reason="申请人撤回调解申请",
            data={"end_reason": "party_withdraws"},
        )
        return
    if target == "failed":
        transition(
            on=day,
            actor=mediator,
            case=case,
            action="fail",
            reason="双方分歧较大，经多次调解未能达成一致",
            data={"routes_told": True},
        )
        return
    today = day
    oral = rng.random() < 0.25
    agreements.agreement_draw_up(
        actor=mediator,
        case=case,
        kind="oral" if oral else "written",
        facts="经调查核实，纠纷事实清楚，双方对主要事实无异议。",
        content="双方自愿达成如下协议：" + case.requests,
        performance_manner="现金或银行转账",
        formed_on=today,
        performance_deadline=today + dt.timedelta(days=15),
    )
    if not oral:
        for party in case.parties.all():
            agreements.agreement_sign(actor=mediator, case=case, party=party, signed_on=today)
        agreements.agreement_sign(actor=mediator, case=case, mediator=True, signed_on=today)
        agreements.agreement_sign(actor=mediator, case=case, seal=True, signed_on=today)
    case = transition(
        on=day, actor=mediator, case=Case.objects.get(pk=case.pk), action="reach_agreement"
    )
    if rng.random() < 0.2:
        aftercare.confirmation_apply(
            actor=mediator, case=case, applied_on=today, court="临江市东湖区人民法院", joint=True
        )
    if target == "archived" or rng.random() < 0.5:
        aftercare.follow_up_add(
            actor=mediator,
            case=case,
            visited_on=today,
            method=rng.choice(["phone", "visit"]),
            party_visited=case.parties.first().name,  # type: ignore[union-attr]
            performance=rng.choice(["performed", "performed", "partly"]),
            satisfaction=rng.choice(["satisfied", "satisfied", "basically"]),
        )
    if target == "archived" and director is not None:
        transition(on=day, actor=director, case=Case.objects.get(pk=case.pk), action="archive")
