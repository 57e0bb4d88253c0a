"""A mediator's status: active, suspended, left (and back), on the one transition engine.
Each move records the day it takes effect (``on``, today if not given) and publishes
``mediator.moved``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaojie.accounts.roles import Capability
from tiaojie.audit.events import EventType
from tiaojie.core import transitions
from tiaojie.mediators.choices import MediatorAction as A
from tiaojie.mediators.choices import MediatorStatus as S
from tiaojie.mediators.models import Mediator, MediatorTransition
from tiaojie.mediators.moves import (
    back_on_day,
    dated_move,
    from_day,
    leave_on_day,
    status_recorder,
)
from tiaojie.mediators.rules import mediator_policy

if TYPE_CHECKING:
    from tiaojie.accounts.models import User


MOVES = {
    A.SUSPEND: dated_move(A.SUSPEND, {S.ACTIVE}, S.SUSPENDED, apply=from_day, needs_reason=True),
    A.REINSTATE: dated_move(A.REINSTATE, {S.SUSPENDED}, S.ACTIVE, apply=from_day),
    A.LEAVE: dated_move(
        A.LEAVE, {S.ACTIVE, S.SUSPENDED}, S.LEFT, apply=leave_on_day, needs_reason=True
    ),
    A.REJOIN: dated_move(A.REJOIN, {S.LEFT}, S.ACTIVE, apply=back_on_day),
}


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
    record=status_recorder(EventType.MEDIATOR_STATUS_CHANGED),
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
