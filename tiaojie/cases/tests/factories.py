"""Building cases for tests the way users do: through the services, never by setting state."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.cases.choices import CaseSource, PartyRole
from tiaojie.cases.models import Case, DisputeType
from tiaojie.cases.services import agreements, intake, records
from tiaojie.cases.workflow import transition

# Valid GB 11643 numbers (check digits computed), fictional people.
ZHANG_ID = "11010519491231002X"


def id_number(prefix17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(prefix17, weights, strict=True))
    return prefix17 + "10X98765432"[total % 11]


WANG_ID = id_number("42010219800315123")
LI_ID = id_number("42010219751102234")


def case_data(**overrides: object) -> intake.CaseData:
    values: dict[str, object] = {
        "dispute_type": DisputeType.objects.get(code="neighbours"),
        "source": CaseSource.APPLICATION,
        "summary": "楼上漏水殃及楼下，双方就维修费用发生争执",
        "narrative": "申请人称，被申请人家卫生间防水层老化，连续三个月漏水，导致其家天花板发霉。",
        "requests": "1. 被申请人修复防水；2. 赔偿装修损失3000元。",
        "amount": Decimal("3000.00"),
        "people_involved": 2,
        "parties": [
            intake.PartyData(
                role=PartyRole.APPLICANT,
                name="王建华",
                id_number=WANG_ID,
                phone="13812345678",
                address="东湖街道东湖社区3栋201室",
            ),
            intake.PartyData(
                role=PartyRole.RESPONDENT,
                name="李秀英",
                id_number=LI_ID,
                phone="13987654321",
                address="东湖街道东湖社区3栋301室",
            ),
        ],
    }
    return intake.CaseData(**(values | overrides))  # type: ignore[arg-type]


def register(actor: User, **overrides: object) -> Case:
    return intake.case_register(actor=actor, data=case_data(**overrides))


def to_mediation(actor: User, case: Case) -> Case:
    case = transition(actor=actor, case=case, action="accept")
    return transition(
        actor=actor, case=case, action="start_mediation", data={"mediator_ids": [actor.pk]}
    )


def earlier_today(case: Case, hours: float = 1) -> dt.datetime:
    """A time ``hours`` ago, but never before the case was registered: a record cannot predate
    its case, and just after midnight (Beijing time) "an hour ago" is yesterday."""
    return max(case.registered_at, timezone.now() - dt.timedelta(hours=hours))


def with_session(actor: User, case: Case) -> Case:
    records.session_add(
        actor=actor,
        case=case,
        held_at=earlier_today(case),
        place="东湖社区调解室",
        parties_present="王建华、李秀英",
        recorder="李建国",
        content="告知权利义务后，双方陈述，调解员释法说理。",
    )
    return Case.objects.get(pk=case.pk)


def to_agreement(actor: User, case: Case) -> Case:
    """A signed, sealed written agreement, and the move to agreed."""
    case = with_session(actor, to_mediation(actor, case))
    today = timezone.localdate()
    agreements.agreement_draw_up(
        actor=actor,
        case=case,
        kind="written",
        facts="漏水系被申请人卫生间防水老化所致。",
        content="被申请人于十日内修复防水，并赔偿申请人2000元。",
        performance_manner="现金当面支付",
        formed_on=today,
        performance_deadline=today + dt.timedelta(days=10),
    )
    for party in case.parties.all():
        agreements.agreement_sign(actor=actor, case=case, party=party, signed_on=today)
    agreements.agreement_sign(actor=actor, case=case, mediator=True, signed_on=today)
    agreements.agreement_sign(actor=actor, case=case, seal=True, signed_on=today)
    return transition(actor=actor, case=Case.objects.get(pk=case.pk), action="reach_agreement")
