"""Demo per-case subsidy for 东湖区, through the services: the district's rules (the county
example of domain.md §6: community 30/80/150 元, street 50/200/400 元; a dispute of 10,000 元
or 5 people is difficult, of 100,000 元 or 20 people, or a group dispute, major), last month's
sheet of 东湖社区 approved by the street office and the district bureau (a reader can check each
amount against the rules on the sheet), and draft sheets of the district's other committees.

It also shows a carry-over (补计): a loan dispute of 东湖社区 agreed the month before last but
not yet performed is excluded from that month's sheet, which is paid; its performance is
recorded last month, so last month's sheet counts it, on a line saying
「补计：…月调解，…月履行」.

Runs after the demo cases (``seed_demo_pipeline``); running it again adds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.cases.models import Case, DisputeType
from tiaojie.cases.services import aftercare, agreements, intake, records
from tiaojie.cases.workflow import transition
from tiaojie.core.transitions import moment_on
from tiaojie.core.validators import id_number_check_char
from tiaojie.organisations.models import Organisation
from tiaojie.subsidies.choices import SheetStatus
from tiaojie.subsidies.models import SubsidyRuleSet, SubsidySheet
from tiaojie.subsidies.services import approval, rulesets, sheets
from tiaojie.subsidies.services.rulesets import Amount, Band, RuleSetData

DISTRICT = "东湖区司法局"
COMMITTEE = "东湖社区人民调解委员会"
D = Decimal


def demo_rules() -> RuleSetData:
    first = timezone.localdate().replace(day=1)
    start = first.replace(year=first.year - 1)
    return RuleSetData(
        name="东湖区以案定补标准",
        valid_from=start,
        bands=[
            Band("amount", "general", D(0), D(10000)),
            Band("amount", "difficult", D(10000), D(100000)),
            Band("amount", "major", D(100000), None),
            Band("people", "general", D(0), D(5)),
            Band("people", "difficult", D(5), D(20)),
            Band("people", "major", D(20), None),
        ],
        amounts=[
            Amount("community", "general", D(30)),
            Amount("community", "difficult", D(80)),
            Amount("community", "major", D(150)),
            Amount("street", "general", D(50)),
            Amount("street", "difficult", D(200)),
            Amount("street", "major", D(400)),
        ],
    )


# The cases of last month's sheet of 东湖社区 (a community committee: 30/80/150 元): summary,
# amount, people involved, complex, group, performed. Two of each tier and one excluded, so
# the total can be checked by hand: 520.00 元, and 600.00 元 with the carried-over case.
DEMO_CASES = [
    ("邻里装修噪音纠纷", D(2000), 2, False, False, True),  # 一般 30
    ("楼上漏水损坏吊顶纠纷", D(3500), 2, False, False, True),  # 一般 30
    ("合伙经营分红纠纷", D(15000), 2, False, False, True),  # 疑难 (amount) 80
    ("宅基地边界纠纷", D(6000), 6, True, False, True),  # 疑难 (complex, 6 people) 80
    ("房屋买卖合同纠纷", D(120000), 2, False, False, True),  # 重大 (amount) 150
    ("小区业主物业费群体纠纷", D(40000), 26, False, True, True),  # 重大 (group) 150
    ("婚约彩礼返还纠纷", D(8000), 2, False, False, False),  # excluded: not yet performed
]
# Agreed the month before last and performed only last month: carried over (疑难 80 元).
CARRIED_CASE = ("邻居借款返还纠纷", D(12000), 2, False, False, False)
CARRIED_PERFORMED_DAY = 20


def _id(birth_and_serial: str) -> str:
    """A citizen ID number of 东湖区 (420102) with its check digit (GB 11643)."""
    first17 = "420102" + birth_and_serial[:8] + birth_and_serial[8:] + "1"
    return first17 + id_number_check_char(first17)


def _demo_case(
    mediator: User,
    director: User,
    day: dt.date,
    story: tuple[str, Decimal, int, bool, bool, bool],
) -> Case:
    """One case through the services, dated last month as the cases demo spreads its cases over
    the year: registered and accepted three days before ``day``, agreed (and, if performed,
    followed up and archived) on ``day``."""
    summary, amount, people, is_complex, is_group, performed = story
    opened = day - dt.timedelta(days=3)
    case = intake.case_register(
        actor=mediator,
        data=intake.CaseData(
            dispute_type=DisputeType.objects.get(code="other"),
            source="application",
            summary=summary,
            narrative=f"{summary}，双方申请人民调解。",
            requests="依法调解",
            amount=amount,
            people_involved=people,
            is_complex=is_complex,
            is_group=is_group,
            parties=[
                intake.PartyData(role="applicant", name="周德明", id_number=_id("1968031521")),
                intake.PartyData(role="respondent", name="吴春芳", id_number=_id("1972110842")),
            ],
        ),
        on=opened,
    )
    case = transition(actor=mediator, case=case, action="accept", on=opened)
    case = transition(
        actor=mediator,
        case=case,
        action="start_mediation",
        data={"mediator_ids": [mediator.pk]},
        on=opened,
    )
    today = timezone.localdate()
    records.session_add(
        actor=mediator,
        case=case,
        held_at=moment_on(day),
        place="东湖社区调解室",
        parties_present="双方当事人",
        recorder=mediator.full_name,
        content="告知权利义务后，双方陈述，调解员释法说理。",
    )
    agreements.agreement_draw_up(
        actor=mediator,
        case=case,
        kind="written",
        facts="经调查核实，纠纷事实清楚。",
        content="双方自愿达成协议。",
        performance_manner="银行转账",
        formed_on=day,
        # Still ahead, as before: no demo performance deadline falls due in the past.
        performance_deadline=today + dt.timedelta(days=15),
    )
    for party in case.parties.all():
        agreements.agreement_sign(actor=mediator, case=case, party=party, signed_on=day)
    agreements.agreement_sign(actor=mediator, case=case, mediator=True, signed_on=day)
    agreements.agreement_sign(actor=mediator, case=case, seal=True, signed_on=day)
    case = transition(
        actor=mediator, case=Case.objects.get(pk=case.pk), action="reach_agreement", on=day
    )
    if performed:
        aftercare.follow_up_add(
            actor=mediator,
            case=case,
            visited_on=day,
            method="phone",
            party_visited="周德明",
            performance="performed",
            satisfaction="satisfied",
        )
        transition(actor=director, case=Case.objects.get(pk=case.pk), action="archive", on=day)
    return Case.objects.get(pk=case.pk)


def _carried_over(committee: Organisation, mediator: User, director: User, month: dt.date) -> None:
    """The month before ``month``: the loan dispute agreed and left unperformed, that month's
    sheet of the committee approved and paid (the case excluded); then its performance recorded
    in ``month``, for ``month``'s sheet to carry it over."""
    earlier = sheets.previous_month(month)
    if (
        SubsidySheet.objects.filter(committee=committee, month=earlier)
        .exclude(status=SheetStatus.DRAFT)
        .exists()
    ):
        return
    case = _demo_case(mediator, director, earlier + dt.timedelta(days=9), CARRIED_CASE)
    sheet = sheets.sheet_compute(actor=None, committee=committee, month=earlier)
    for username, action in (
        ("demo_director", "submit"),
        ("demo_street", "office_approve"),
        ("demo_district", "bureau_approve"),
        ("demo_district", "pay"),
    ):
        sheet = approval.sheet_transition(
            actor=User.objects.get(username=username), sheet=sheet, action=action
        )
    aftercare.performance_record(
        actor=mediator,
        case=case,
        status="performed",
        recorded_on=month.replace(day=CARRIED_PERFORMED_DAY),
        note="借款已全部归还。",
    )


@transaction.atomic
def seed_subsidies_demo() -> SubsidySheet | None:
    district = Organisation.objects.filter(name=DISTRICT).first()
    committee = Organisation.objects.filter(name=COMMITTEE).first()
    if district is None or committee is None:
        return None
    officer = User.objects.get(username="demo_district")
    if not SubsidyRuleSet.objects.filter(bureau=district).exists():
        rulesets.rule_set_create(actor=officer, bureau=district, data=demo_rules())
    month = sheets.previous_month(timezone.localdate())
    sheet = SubsidySheet.objects.filter(committee=committee, month=month).first()
    if sheet is not None and sheet.status != SheetStatus.DRAFT:
        return sheet
    mediator = User.objects.get(username="demo_mediator")
    director = User.objects.get(username="demo_director")
    _carried_over(committee, mediator, director, month)
    for index, story in enumerate(DEMO_CASES):
        _demo_case(mediator, director, month + dt.timedelta(days=3 + 3 * index), story)
    sheets.compute_area(district, month)
    sheet = sheets.sheet_compute(actor=None, committee=committee, month=month)
    for username, action in (
        ("demo_director", "submit"),
        ("demo_street", "office_approve"),
        ("demo_district", "bureau_approve"),
    ):
        sheet = approval.sheet_transition(
            actor=User.objects.get(username=username), sheet=sheet, action=action
        )
    return sheet
