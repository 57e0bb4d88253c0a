"""Transfers and escalation between committees: request, accept, return, withdraw; reach."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests import personas as p
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases import selectors
from tiaojie.cases.models import Case, CaseMediator, CaseTransition
from tiaojie.cases.tests.factories import register, to_mediation
from tiaojie.cases.workflow import MOVES, transition
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.core.models import OutboxEvent
from tiaojie.organisations.models import Organisation
from tiaojie.routing.choices import TransferStatus
from tiaojie.routing.models import Transfer, TransferTransition
from tiaojie.routing.services.transfers import (
    escalation_targets,
    transfer_request,
    transfer_targets,
    transfer_transition,
    withdraw_transfers_of_a_case_that_left,
)
from tiaojie.routing.tests.helpers import user

pytestmark = pytest.mark.django_db
DIRECTOR_B = "director02"  # 梨园社区人民调解委员会


def ask(case: Case, to: str = p.COMMITTEE_B, kind: str = "transfer") -> Transfer:
    return transfer_request(
        actor=user(p.DIRECTOR_A),
        case=case,
        to_organisation=p.org(to),
        kind=kind,
        reason="当事人均居住在梨园社区",
    )


def test_accepting_moves_the_case_keeping_its_number() -> None:
    case = transition(actor=user(p.MEDIATOR_A), case=register(user(p.MEDIATOR_A)), action="accept")
    transfer = ask(case)
    with pytest.raises(Conflict):
        ask(case)  # one waiting transfer per case
    decided = transfer_transition(actor=user(DIRECTOR_B), transfer=transfer, action="accept")
    assert decided.status == TransferStatus.ACCEPTED
    moved = Case.objects.get(pk=case.pk)
    assert moved.committee == p.org(p.COMMITTEE_B) and moved.number == case.number
    assert moved.committee_path == p.org(p.COMMITTEE_B).path
    assert moved.version > case.version
    trace = CaseTransition.objects.get(case=case, action="transfer")
    assert trace.from_status == trace.to_status == "accepted"
    assert trace.data["from_committee_id"] == p.org(p.COMMITTEE_A).pk
    assert AuditEvent.objects.filter(event_type=EventType.TRANSFER_ACCEPTED).exists()


def test_the_street_office_finds_a_transferred_case_at_its_new_committee() -> None:
    """On PostgreSQL the receiving committee now holds the case's words (ADR 0080): had it
    not, the sender would be the street's only committee holding 鹦鹉, its office's search
    would look in the sender's cases alone and miss the case."""
    mediator = user(p.MEDIATOR_A)
    case = register(mediator, narrative="邻居的鹦鹉清晨吵闹。")
    case = transition(actor=mediator, case=case, action="accept")
    transfer_transition(actor=user(DIRECTOR_B), transfer=ask(case), action="accept")
    _form, found = selectors.filtered_for(user(p.STREET), {"q": "鹦鹉"})
    assert list(found.values_list("number", flat=True)) == [case.number]


def test_an_accepted_transfer_is_a_move_of_the_cases_own_table() -> None:
    """The case changes hands only through its workflow: the log row's action is in its table,
    the move is announced like any other, and no one can make it as a plain case action."""
    case = register(user(p.MEDIATOR_A))
    transfer = ask(case)
    with pytest.raises(ValidationFailed) as refused:
        transition(actor=user(p.DIRECTOR_A), case=case, action="transfer")
    assert refused.value.code == "unknown_action"
    transfer_transition(actor=user(DIRECTOR_B), transfer=transfer, action="accept")
    trace = CaseTransition.objects.get(case=case, action="transfer")
    assert trace.action in MOVES and trace.from_status == trace.to_status == "registered"
    assert trace.data["transfer_id"] == transfer.pk
    announced = OutboxEvent.objects.filter(name="case.moved", payload__action="transfer").get()
    assert announced.payload["committee_id"] == p.org(p.COMMITTEE_B).pk
    # Its audit event is the transfer's decision, as before, not a second one for the case.
    assert not AuditEvent.objects.filter(
        event_type=EventType.CASE_MOVED, object_id=str(case.pk), after__action="transfer"
    ).exists()


def test_only_the_receiving_director_accepts_and_a_return_needs_a_reason() -> None:
    transfer = ask(register(user(p.MEDIATOR_A)))
    with pytest.raises(NotPermitted):
        transfer_transition(actor=user(p.DIRECTOR_A), transfer=transfer, action="accept")
    with pytest.raises(ValidationFailed) as refused:
        transfer_transition(actor=user(DIRECTOR_B), transfer=transfer, action="return")
    assert "reason" in refused.value.fields
    transfer_transition(
        actor=user(DIRECTOR_B), transfer=transfer, action="return", reason="不属于本社区"
    )
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.RETURNED
    assert Case.objects.get(pk=transfer.case_id).committee == p.org(p.COMMITTEE_A)
    with pytest.raises(Conflict):
        transfer_transition(actor=user(DIRECTOR_B), transfer=transfer, action="accept")


def test_the_sender_withdraws_a_waiting_transfer() -> None:
    transfer = ask(register(user(p.MEDIATOR_A)))
    transfer_transition(actor=user(p.DIRECTOR_A), transfer=transfer, action="withdraw")
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.WITHDRAWN
    assert AuditEvent.objects.filter(event_type=EventType.TRANSFER_WITHDRAWN).exists()
    ask(Case.objects.get(pk=transfer.case_id))  # another may be asked now


def test_a_transfer_outside_the_district_is_refused() -> None:
    with pytest.raises(ValidationFailed) as refused:
        ask(register(user(p.MEDIATOR_A)), to="红卫路社区人民调解委员会")
    assert refused.value.code == "outside_reach" and "to_organisation" in refused.value.fields
    assert not Transfer.objects.exists()


def test_escalation_goes_up_the_branch_only() -> None:
    case = register(user(p.MEDIATOR_A))
    with pytest.raises(ValidationFailed):
        ask(case, kind="escalation")  # committee B is a sibling, not higher up
    escalated = ask(case, to="东湖街道人民调解委员会", kind="escalation")
    assert escalated.kind == "escalation"


def test_no_transfer_once_mediation_started() -> None:
    case = to_mediation(user(p.MEDIATOR_A), register(user(p.MEDIATOR_A)))
    with pytest.raises(Conflict) as refused:
        ask(case)
    assert refused.value.code == "mediation_started"


def test_accepting_withdraws_the_senders_mediators() -> None:
    case = register(user(p.MEDIATOR_A))
    transfer = ask(case)
    CaseMediator.objects.create(case=case, mediator=user(p.MEDIATOR_A))  # assigned early
    transfer_transition(actor=user(DIRECTOR_B), transfer=transfer, action="accept")
    assert not CaseMediator.objects.filter(case=case, withdrawn_at__isnull=True).exists()


def test_the_database_holds_one_waiting_transfer_per_case() -> None:
    transfer = ask(register(user(p.MEDIATOR_A)))
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(
            case=transfer.case,
            from_committee=transfer.from_committee,
            to_organisation=p.org("东湖街道人民调解委员会"),
            reason="x",
            requested_by=user(p.DIRECTOR_A),
            requested_at=timezone.now(),
        )


def test_the_transfer_list_holds_every_escalation_target() -> None:
    """The panel offers one list for both kinds: escalation targets lie within the district."""
    for sender in Organisation.objects.filter(kind="committee", status="active"):
        offered = set(transfer_targets(sender))
        assert set(escalation_targets(sender)) <= offered
        assert sender not in offered


def test_a_decision_is_a_move_of_the_transfers_own_table() -> None:
    """Accept, return and withdraw run on the transition engine: a log row each, the audit
    event, and ``transfer.moved``; a decided transfer refuses a second decision."""
    case = register(user(p.MEDIATOR_A))
    transfer = ask(case)
    with pytest.raises(ValidationFailed) as refused:
        transfer_transition(actor=user(DIRECTOR_B), transfer=transfer, action="return")
    assert refused.value.code == "reason_required"
    returned = transfer_transition(
        actor=user(DIRECTOR_B), transfer=transfer, action="return", reason="不在本社区"
    )
    assert (returned.status, returned.decision_reason) == (TransferStatus.RETURNED, "不在本社区")
    log = TransferTransition.objects.get(transfer=transfer)
    assert (log.action, log.from_status, log.to_status, log.reason) == (
        "return",
        "pending",
        "returned",
        "不在本社区",
    )
    assert log.actor == user(DIRECTOR_B)
    event = OutboxEvent.objects.get(name="transfer.moved")
    assert event.payload["transfer_id"] == transfer.pk and event.payload["to"] == "returned"
    with pytest.raises(Conflict) as late:
        transfer_transition(actor=user(p.DIRECTOR_A), transfer=transfer, action="withdraw")
    assert late.value.code == "transfer_decided"
    assert TransferTransition.objects.filter(transfer=transfer).count() == 1


@pytest.mark.parametrize(
    ("action", "decider", "reason", "after"),
    [
        ("accept", DIRECTOR_B, "", TransferStatus.ACCEPTED),
        ("return", DIRECTOR_B, "不在本社区", TransferStatus.RETURNED),
        ("withdraw", p.DIRECTOR_A, "", TransferStatus.WITHDRAWN),
    ],
)
def test_each_decision_writes_one_log_row(
    action: str, decider: str, reason: str, after: TransferStatus
) -> None:
    """Every move of a transfer leaves its row in the transfer's log: who, what, from, to."""
    transfer = ask(register(user(p.MEDIATOR_A)))
    transfer_transition(actor=user(decider), transfer=transfer, action=action, reason=reason)
    log = TransferTransition.objects.get(transfer=transfer)
    assert (log.action, log.from_status, log.to_status) == (action, "pending", after)
    assert log.actor == user(decider) and log.reason == reason


def test_accepting_a_withdrawn_transfer_is_refused_by_the_engine() -> None:
    """A withdrawn transfer is no longer waiting: the engine refuses the move with the
    transfer's own wording and code, and nothing changes."""
    transfer = ask(register(user(p.MEDIATOR_A)))
    transfer_transition(actor=user(p.DIRECTOR_A), transfer=transfer, action="withdraw")
    with pytest.raises(Conflict) as refused:
        transfer_transition(actor=user(DIRECTOR_B), transfer=transfer, action="accept")
    assert refused.value.code == "transfer_decided"
    assert refused.value.message == "此项移交已不在待处理状态：已撤回。"
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.WITHDRAWN
    assert Case.objects.get(pk=transfer.case_id).committee == p.org(p.COMMITTEE_A)
    assert TransferTransition.objects.filter(transfer=transfer).count() == 1


def test_the_system_withdraws_a_transfer_whose_case_left_through_the_engine() -> None:
    """When the case is routed or returned to the centre, its waiting transfer is withdrawn by
    the system: a log row with no actor, dated when the case left, no audit event of its own
    (as before); a second delivery changes nothing, and no user can make that move."""
    transfer = ask(register(user(p.MEDIATOR_A)))
    left = timezone.now()
    withdraw_transfers_of_a_case_that_left(case_id=transfer.case_id, why="退回中心", at=left)
    withdraw_transfers_of_a_case_that_left(case_id=transfer.case_id, why="退回中心", at=left)
    withdrawn = Transfer.objects.get(pk=transfer.pk)
    assert withdrawn.status == TransferStatus.WITHDRAWN
    assert (withdrawn.decided_at, withdrawn.decision_reason) == (left, "退回中心")
    log = TransferTransition.objects.get(transfer=transfer)
    assert (log.action, log.to_status, log.actor) == ("case_left", "withdrawn", None)
    assert not AuditEvent.objects.filter(event_type=EventType.TRANSFER_WITHDRAWN).exists()
    with pytest.raises(ValidationFailed):
        transfer_transition(
            actor=user(p.DIRECTOR_A),
            transfer=ask(Case.objects.get(pk=transfer.case_id)),
            action="case_left",
        )
