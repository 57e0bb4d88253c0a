"""Property-based: no sequence of actions, legal or not, leaves a case in a state the law forbids."""

from __future__ import annotations

import contextlib

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import World
from tiaojie.accounts.models import User
from tiaojie.cases import casefile
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.models import Case, CaseMediator
from tiaojie.cases.services import aftercare, agreements, records
from tiaojie.cases.tests import factories as f
from tiaojie.cases.workflow import current_agreement, transition
from tiaojie.core.errors import DomainError

STEPS = [
    "accept",
    "decline",
    "start",
    "session",
    "oral",
    "written",
    "sign_all",
    "agree",
    "fail",
    "fail_without_routes",
    "terminate",
    "confirm_rejected",
    "resume",
    "archive",
    "follow_up",
]


def _step(name: str, case: Case, mediator: User, director: User) -> None:
    today = timezone.localdate()
    if name == "accept":
        transition(actor=mediator, case=case, action="accept")
    elif name == "decline":
        transition(
            actor=mediator,
            case=case,
            action="decline",
            reason="已起诉",
            data={"decline_reason": "before_other_body"},
        )
    elif name == "start":
        transition(
            actor=mediator,
            case=case,
            action="start_mediation",
            data={"mediator_ids": [mediator.pk]},
        )
    elif name == "session":
        records.session_add(
            actor=mediator,
            case=case,
            held_at=f.earlier_today(case, hours=5 / 60),
            place="调解室",
            parties_present="双方",
            recorder="李建国",
            content="记录",
        )
    elif name in ("oral", "written"):
        agreements.agreement_draw_up(
            actor=mediator,
            case=case,
            kind=name,
            facts="事实",
            content="内容",
            performance_manner="当面",
            formed_on=today,
        )
    elif name == "sign_all":
        for party in case.parties.all():
            agreements.agreement_sign(actor=mediator, case=case, party=party, signed_on=today)
        agreements.agreement_sign(actor=mediator, case=case, mediator=True, signed_on=today)
        agreements.agreement_sign(actor=mediator, case=case, seal=True, signed_on=today)
    elif name == "agree":
        transition(actor=mediator, case=case, action="reach_agreement")
    elif name in ("fail", "fail_without_routes"):
        transition(
            actor=mediator,
            case=case,
            action="fail",
            reason="分歧大",
            data={"routes_told": name == "fail"},
        )
    elif name == "terminate":
        transition(
            actor=mediator,
            case=case,
            action="terminate",
            reason="拒绝",
            data={"end_reason": "party_refuses"},
        )
    elif name == "confirm_rejected":
        aftercare.confirmation_apply(
            actor=mediator, case=case, applied_on=today, court="东湖区人民法院", joint=True
        )
        aftercare.confirmation_decide(
            actor=mediator, case=case, outcome="rejected", decided_on=today, ruling_number="1号"
        )
    elif name == "resume":
        transition(actor=mediator, case=case, action="resume", reason="驳回")
    elif name == "archive":
        transition(actor=director, case=case, action="archive")
    elif name == "follow_up":
        aftercare.follow_up_add(
            actor=mediator,
            case=case,
            visited_on=today,
            method="phone",
            party_visited="甲",
            performance="performed",
            satisfaction="satisfied",
        )


def _check_invariants(case: Case) -> None:
    status = case.status
    sessions = case.sessions.exists()
    agreement = current_agreement(case)
    if status == CaseStatus.AGREED:
        assert sessions and agreement is not None and agreement.effective_on is not None
    if status == CaseStatus.FAILED:
        assert sessions and case.routes_told
    if status == CaseStatus.TERMINATED:
        assert case.end_reason and case.routes_told
    if status == CaseStatus.DECLINED:
        assert case.decline_reason
    if status == CaseStatus.IN_MEDIATION:
        assert CaseMediator.objects.filter(case=case, withdrawn_at__isnull=True).exists()
    if status == CaseStatus.ARCHIVED:
        assert casefile.missing_documents(case) == []
    moves = list(case.transitions.values_list("from_status", "to_status"))
    previous: str = CaseStatus.REGISTERED
    for before, after in moves:
        assert before == previous, moves
        previous = after
    assert previous == status


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(st.sampled_from(STEPS), min_size=1, max_size=14))
def test_no_sequence_of_actions_breaks_the_law(world: World, steps: list[str]) -> None:
    mediator, director = world.user("demo_mediator"), world.user("demo_director")
    case = f.register(mediator)
    for name in steps:
        # A refusal is the right answer when the move is not allowed now; the state must hold.
        with contextlib.suppress(DomainError):
            _step(name, Case.objects.get(pk=case.pk), mediator, director)
        _check_invariants(Case.objects.get(pk=case.pk))
