"""A mediator's status: active, suspended, left (and back), on the one transition engine.
Each move records the day it takes effect (``on``, today if not given) and publishes
``mediator.moved``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core import transitions
from tiaojie.mediators.choices import MediatorAction as A
from tiaojie.mediators.choices import MediatorStatus as S
from tiaojie.mediators.error_codes import MediatorsErrorCode as E
from tiaojie.mediators.models import Mediator, MediatorTransition
from tiaojie.mediators.rules import mediator_policy

if TYPE_CHECKING:
    from tiaojie.accounts.models import User


def _day(mediator: Mediator, actor: Any, data: dict[str, Any]) -> None:
    value = data.get("on") or timezone.localdate()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError as exc:
            raise transitions.refuse(
                E.INVALID, _("Enter a date such as 2026-03-01."), "on"
            ) from exc
    if value > timezone.localdate():
        raise transitions.refuse(E.INVALID, _("The day cannot be in the future."), "on")
    if value < mediator.status_since:
        raise transitions.refuse(
            E.INVALID, _("The day cannot be before the current status began."), "on"
        )
    data["on"] = value


def _apply(mediator: Mediator, actor: Any, data: dict[str, Any]) -> None:
    mediator.status_since = data["on"]


def _leave(mediator: Mediator, actor: Any, data: dict[str, Any]) -> None:
    _apply(mediator, actor, data)
    mediator.left_on = data["on"]


def _rejoin(mediator: Mediator, actor: Any, data: dict[str, Any]) -> None:
    _apply(mediator, actor, data)
    mediator.left_on = None


def _move(action: str, sources: set[str], target: str, **kw: Any) -> transitions.Move[Mediator]:
    return transitions.Move(
        action=action,
        sources=frozenset(sources),
        target=target,
        capability=Capability.MEDIATOR_MANAGE,
        guard=_day,
        extra=("on",),
        **kw,
    )


MOVES = {
    A.SUSPEND: _move(A.SUSPEND, {S.ACTIVE}, S.SUSPENDED, apply=_apply, needs_reason=True),
    A.REINSTATE: _move(A.REINSTATE, {S.SUSPENDED}, S.ACTIVE, apply=_apply),
    A.LEAVE: _move(A.LEAVE, {S.ACTIVE, S.SUSPENDED}, S.LEFT, apply=_leave, needs_reason=True),
    A.REJOIN: _move(A.REJOIN, {S.LEFT}, S.ACTIVE, apply=_rejoin),
}


def _record(
    actor: User,
    mediator: Mediator,
    move: transitions.Move[Mediator],
    before: str,
    reason: str,
    recorded: dict[str, Any],
) -> None:
    audit.record(
        EventType.MEDIATOR_STATUS_CHANGED,
        actor=actor,
        obj=mediator,
        reason=reason,
        before={"status": before},
        after={"status": mediator.status, "action": str(move.action), **recorded},
    )


WORKFLOW: transitions.Workflow[Mediator] = transitions.Workflow(
    name="mediator",
    model=Mediator,
    moves=MOVES,
    log=MediatorTransition,
    log_field="mediator",
    scope=lambda actor, m: mediator_policy.allows(actor, Capability.MEDIATOR_VIEW, m),
    messages=transitions.Messages(
        out_of_scope=gettext_lazy("This mediator is not within your organisation."),
        not_allowed=gettext_lazy("Your role may not change the mediator roster."),
        illegal=lambda status, move: (
            _("Not possible while the mediator is “%(status)s”.") % {"status": S(status).label}
        ),
    ),
    record=_record,
    subject=lambda m: {"mediator_id": m.pk, "user_id": m.user_id},
)


def mediator_transition(
    *,
    actor: User,
    mediator: Mediator,
    action: str,
    reason: str = "",
    version: int | None = None,
    on: dt.date | str | None = None,
) -> Mediator:
    """Suspend, reinstate, record leaving or rejoining."""
    return WORKFLOW.move(
        actor=actor,
        obj=mediator,
        action=action,
        reason=reason,
        version=version,
        data={"on": on} if on else {},
    )
