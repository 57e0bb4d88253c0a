"""Transfers between committees (移交) and escalation up the tree (上报).

The director of the committee holding a case asks; the receiving committee's director accepts
(the case moves there, keeping its number) or returns it; the asker may withdraw it while it
waits. One transfer per case waits at a time (a database constraint). Transfers happen only
before mediation starts: once mediators are working on the case, it stays where it is.

Reach (属地管理): a transfer goes to an active committee within the sender's district; an
escalation goes to a committee higher up the sender's branch: the street committee of the
sender's justice office, or a committee directly under the district bureau. (A case goes back
to a governance centre by the workflow's ``return`` move, not by a transfer.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases import workflow
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.models import Case
from tiaojie.core import transitions
from tiaojie.core.errors import Conflict, NotPermitted, field_error
from tiaojie.notifications.models import NotificationKind
from tiaojie.notifications.services import notify
from tiaojie.organisations.choices import CommitteeKind, OrganisationKind, OrganisationStatus
from tiaojie.organisations.models import Organisation, OrganisationQuerySet
from tiaojie.organisations.selectors import district_of
from tiaojie.routing.choices import TransferAction, TransferKind, TransferStatus
from tiaojie.routing.error_codes import RoutingErrorCode as E
from tiaojie.routing.models import Transfer, TransferTransition
from tiaojie.routing.selectors import committees_in_reach
from tiaojie.routing.services.routing import directors_of, directs

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

TRANSFERABLE = (CaseStatus.REGISTERED, CaseStatus.ACCEPTED)


def _not_started(case: Case) -> None:
    if case.status not in TRANSFERABLE:
        raise Conflict(
            E.MEDIATION_STARTED,
            _("A case is transferred only before mediation starts; this one is “%(status)s”.")
            % {"status": CaseStatus(case.status).label},
        )


def escalation_targets(sender: Organisation) -> list[Organisation]:
    """The committees higher up ``sender``'s branch: its street committee, and the committees
    directly under its district bureau."""
    district = district_of(sender)
    parent_ids = [district.pk]
    if sender.parent is not None and sender.parent.kind == OrganisationKind.JUSTICE_OFFICE:
        parent_ids.append(sender.parent.pk)
    found = Organisation.objects.filter(
        parent_id__in=parent_ids, kind=OrganisationKind.COMMITTEE, status=OrganisationStatus.ACTIVE
    ).exclude(pk=sender.pk)
    return [
        c
        for c in found.order_by("-depth", "path")
        if c.parent_id == district.pk or c.committee_kind == CommitteeKind.STREET
    ]


def transfer_targets(sender: Organisation) -> OrganisationQuerySet:
    """The committees a transfer from ``sender`` may go to: active, in its district. They
    include the escalation targets, which lie in the district too."""
    return committees_in_reach(sender).exclude(pk=sender.pk)


def check_reach(kind: str, sender: Organisation, target: Organisation) -> None:
    if kind == TransferKind.ESCALATION:
        if target not in escalation_targets(sender):
            raise field_error(
                "to_organisation",
                code=E.OUTSIDE_REACH,
                message=_(
                    "An escalation goes to a committee higher up: the street committee or a "
                    "district-level committee."
                ),
            )
        return
    if target.pk == sender.pk:
        raise field_error(
            "to_organisation", code=E.SAME_COMMITTEE, message=_("The case is already there.")
        )
    if not transfer_targets(sender).filter(pk=target.pk).exists():
        raise field_error(
            "to_organisation",
            code=E.OUTSIDE_REACH,
            message=_("This committee is outside your district or no longer works."),
        )


@transaction.atomic
def transfer_request(
    *, actor: User, case: Case, to_organisation: Organisation, kind: str, reason: str
) -> Transfer:
    """Ask another committee to take the case (or escalate it)."""
    locked = (
        Case.objects.select_for_update(of=("self",)).select_related("committee").get(pk=case.pk)
    )
    if not directs(actor, locked.committee_id):
        raise NotPermitted(
            E.NOT_PERMITTED, _("Only the director of the committee holding the case transfers it.")
        )
    _not_started(locked)
    if kind not in TransferKind.values:
        raise field_error("kind", code=E.INVALID, message=_("Choose a transfer or an escalation."))
    if not reason.strip():
        raise field_error("reason", code=E.REASON_REQUIRED, message=_("Say why."))
    if Transfer.objects.filter(case=locked, status=TransferStatus.PENDING).exists():
        raise Conflict(E.TRANSFER_PENDING, _("A transfer of this case is already waiting."))
    check_reach(kind, locked.committee, to_organisation)
    transfer = Transfer.objects.create(
        case=locked,
        from_committee=locked.committee,
        to_organisation=to_organisation,
        kind=kind,
        reason=reason.strip()[:200],
        requested_by=actor,
        requested_at=timezone.now(),
    )
    audit.record(
        EventType.TRANSFER_REQUESTED,
        actor=actor,
        organisation=locked.committee,
        obj=locked,
        reason=transfer.reason,
        after={"transfer": transfer.pk, "kind": kind, "to": to_organisation.pk},
    )
    notify(
        directors_of(to_organisation),
        kind=NotificationKind.TRANSFER,
        title=_("A case awaits your decision: %(number)s") % {"number": locked.number},
        url=reverse("routing:transfers"),
        key=f"transfer:{transfer.pk}",
    )
    return transfer


@dataclass(frozen=True)
class Decision:
    status: TransferStatus
    event: EventType
    by_receiver: bool  # the receiving director decides; else the sender's director
    needs_reason: bool


DECISIONS = {
    TransferAction.ACCEPT: Decision(
        TransferStatus.ACCEPTED, EventType.TRANSFER_ACCEPTED, by_receiver=True, needs_reason=False
    ),
    TransferAction.RETURN: Decision(
        TransferStatus.RETURNED, EventType.TRANSFER_RETURNED, by_receiver=True, needs_reason=True
    ),
    TransferAction.WITHDRAW: Decision(
        TransferStatus.WITHDRAWN,
        EventType.TRANSFER_WITHDRAWN,
        by_receiver=False,
        needs_reason=False,
    ),
}


# The system's withdrawal of a waiting transfer whose case left its holder (routed, or returned
# to the centre: ``routing.listeners``). No user chooses it, so it is not a ``TransferAction``
# (nor offered by the pages or the API); no director decides it and, as before the engine, it
# writes no audit event: the case's own move that caused it is audited. Its log row names no
# actor.
CASE_LEFT = "case_left"


def _decision(move: transitions.Move[Transfer]) -> Decision:
    return DECISIONS[TransferAction(move.action)]


def _lock(pk: int) -> Transfer:
    return (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("to_organisation", "from_committee")
        .get(pk=pk)
    )


def _permit(actor: User | None, transfer: Transfer, move: transitions.Move[Transfer]) -> None:
    """The receiving director accepts or returns; the sender's director withdraws; only the
    system withdraws a transfer whose case left."""
    if move.action == CASE_LEFT:
        if actor is not None:
            raise NotPermitted(E.NOT_PERMITTED, _("Your role may not decide on this transfer."))
        return
    if actor is None:
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not decide on this transfer."))
    decision = _decision(move)
    decider = transfer.to_organisation_id if decision.by_receiver else transfer.from_committee_id
    if not directs(actor, decider):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not decide on this transfer."))


def _lock_case(transfer: Transfer) -> Case:
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("committee")
        .get(pk=transfer.case_id)
    )
    transfer.case = case  # the audit event and the notification read it
    return case


def _guard_accept(transfer: Transfer, actor: User, data: dict[str, object]) -> None:
    case = _lock_case(transfer)
    if case.committee_id != transfer.from_committee_id:
        raise Conflict(E.CASE_MOVED, _("The case has moved since the transfer was asked."))
    _not_started(case)


def _guard_other(transfer: Transfer, actor: User, data: dict[str, object]) -> None:
    _lock_case(transfer)


def _decided(transfer: Transfer, actor: User, data: dict[str, object]) -> None:
    transfer.decided_by = actor
    transfer.decided_at = timezone.now()
    transfer.decision_reason = str(data.get("_reason", "")).strip()[:200]


def _apply_accept(transfer: Transfer, actor: User, data: dict[str, object]) -> None:
    """The case's own move (``transfer``): its holder changes, its status stays, logged on its
    record for the accountability trace (责任倒查)."""
    transfer.case = workflow.case_transfer(
        actor=actor,
        case=transfer.case,
        committee=transfer.to_organisation,
        reason=transfer.reason,
        transfer_id=transfer.pk,
        kind=transfer.kind,
    )
    _decided(transfer, actor, data)


def _apply_case_left(transfer: Transfer, actor: User | None, data: dict[str, object]) -> None:
    """Dated when the case left (the event's time), with why it left as the reason."""
    transfer.decided_at = cast("dt.datetime", data["at"])
    transfer.decision_reason = str(data["why"])[:200]


def _record(
    actor: User | None,
    transfer: Transfer,
    move: transitions.Move[Transfer],
    before: str,
    reason: str,
    recorded: dict[str, object],
) -> None:
    if move.action == CASE_LEFT:
        return  # no audit event, as before: the case's move that caused it is audited
    decision = _decision(move)
    case = transfer.case
    audit.record(
        decision.event,
        actor=actor,
        organisation=transfer.to_organisation if decision.by_receiver else transfer.from_committee,
        obj=case,
        reason=transfer.decision_reason,
        after={"transfer": transfer.pk, "status": transfer.status, "committee": case.committee_id},
    )


def _illegal(status: str, move: transitions.Move[Transfer]) -> str:
    return _("This transfer is no longer waiting: %(status)s.") % {
        "status": TransferStatus(status).label
    }


_PENDING = frozenset({TransferStatus.PENDING})
WORKFLOW: transitions.Workflow[Transfer] = transitions.Workflow(
    name="transfer",
    model=Transfer,
    moves={
        action: transitions.Move(
            action,
            _PENDING,
            decision.status,
            None,  # who decides is ``_permit``'s rule: the receiving or the sending director
            guard=_guard_accept if action == TransferAction.ACCEPT else _guard_other,
            apply=_apply_accept if action == TransferAction.ACCEPT else _decided,
            needs_reason=decision.needs_reason,
            # The receiving committee cannot see the case yet: ``_permit`` decides who may.
            scoped=False,
        )
        for action, decision in DECISIONS.items()
    }
    | {
        CASE_LEFT: transitions.Move(
            CASE_LEFT,
            _PENDING,
            TransferStatus.WITHDRAWN,
            None,  # the system's: ``_permit`` refuses every user
            apply=_apply_case_left,
            scoped=False,
        )
    },
    log=TransferTransition,
    log_field="transfer",
    scope=lambda actor, transfer: True,
    messages=transitions.Messages(
        out_of_scope=gettext_lazy("Your role may not decide on this transfer."),
        not_allowed=gettext_lazy("Your role may not decide on this transfer."),
        illegal=_illegal,
        illegal_code=E.TRANSFER_DECIDED,
    ),
    record=_record,
    subject=lambda transfer: {"transfer_id": transfer.pk, "case_id": transfer.case_id},
    lock=_lock,
    permit=_permit,
)


@transaction.atomic
def transfer_transition(
    *, actor: User, transfer: Transfer, action: str, reason: str = ""
) -> Transfer:
    """Accept, return or withdraw a waiting transfer: the one way a transfer changes, a move
    of the transfer's table on the transition engine (``transfer.moved`` after commit)."""
    try:
        key = TransferAction(action)
    except ValueError as exc:
        raise field_error("action", code=E.UNKNOWN_ACTION, message=_("Unknown action.")) from exc
    decision = DECISIONS[key]
    locked = WORKFLOW.move(
        actor=actor, obj=transfer, action=key, reason=reason, data={"_reason": reason}
    )
    if decision.by_receiver:
        case = locked.case
        notify(
            [locked.requested_by],
            kind=NotificationKind.TRANSFER,
            title=_("Transfer of %(number)s: %(status)s")
            % {"number": case.number, "status": TransferStatus(locked.status).label},
            url=reverse("cases:case_detail", args=[case.pk])
            if decision.status == TransferStatus.RETURNED
            else "",
            key=f"transfer:{locked.pk}:{locked.status}",
        )
    return locked


def withdraw_transfers_of_a_case_that_left(*, case_id: int, why: str, at: dt.datetime) -> None:
    """Withdraw, as the system, the transfer waiting on a case that left its holder (routed, or
    returned to the centre), dated ``at``: a move of the transfer's table like any decision.
    Idempotent: a transfer decided meanwhile is left as its decider left it."""
    for transfer in Transfer.objects.filter(case_id=case_id, status=TransferStatus.PENDING):
        try:
            WORKFLOW.move(
                actor=None,
                obj=transfer,
                action=CASE_LEFT,
                reason=why,
                data={"at": at, "why": why},
            )
        except Conflict:
            continue  # decided by its director between the look and the lock
