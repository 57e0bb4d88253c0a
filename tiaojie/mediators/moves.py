"""The rows the app's workflows share, so that each says only what is its own.

- A person's dated status (a mediator's, ``mediators.workflow``; an expert's in a pool,
  ``mediators.experts``): suspend, reinstate, leave (and rejoin), each from a day that is
  neither in the future nor before the current status began, recorded with the move.
- A bureau's decision on a proposal (a grade promotion, ``mediators.promotions``; a committee's
  star rating, ``mediators.committees``): approve, or reject with a reason; only a bureau
  decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core import transitions
from tiaojie.core.errors import NotPermitted
from tiaojie.mediators.choices import PromotionAction as A
from tiaojie.mediators.choices import PromotionStatus as S
from tiaojie.mediators.error_codes import MediatorsErrorCode as E
from tiaojie.mediators.rules import BUREAU_KINDS

Step = Callable[[Any, Any, dict[str, Any]], None]


def _nothing(row: Any, actor: Any, data: dict[str, Any]) -> None:
    return None


# --- a dated status -------------------------------------------------------------------------


def on_day(row: Any, actor: Any, data: dict[str, Any]) -> None:
    """The guard of a dated move: ``on`` (today if not given) read, and refused in the future
    or before the current status began."""
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
    if value < row.status_since:
        raise transitions.refuse(
            E.INVALID, _("The day cannot be before the current status began."), "on"
        )
    data["on"] = value


def from_day(row: Any, actor: Any, data: dict[str, Any]) -> None:
    row.status_since = data["on"]


def leave_on_day(row: Any, actor: Any, data: dict[str, Any]) -> None:
    from_day(row, actor, data)
    row.left_on = data["on"]


def back_on_day(row: Any, actor: Any, data: dict[str, Any]) -> None:
    from_day(row, actor, data)
    row.left_on = None


def dated_move(action: str, sources: set[str], target: str, **kw: Any) -> transitions.Move[Any]:
    """A status move from a day, by whoever manages the roster."""
    return transitions.Move(
        action=action,
        sources=frozenset(sources),
        target=target,
        capability=Capability.MEDIATOR_MANAGE,
        guard=on_day,
        extra=("on",),
        **kw,
    )


def status_recorder(event_type: EventType) -> Callable[..., None]:
    """The workflow's ``record`` of a dated status: the status before and after, the action
    and the day."""

    def record(
        actor: User,
        row: Any,
        move: transitions.Move[Any],
        before: str,
        reason: str,
        recorded: dict[str, Any],
    ) -> None:
        audit.record(
            event_type,
            actor=actor,
            obj=row,
            reason=reason,
            before={"status": before},
            after={"status": row.status, "action": str(move.action), **recorded},
        )

    return record


# --- a bureau's decision ---------------------------------------------------------------------


def bureau_decisions(
    *, guard: Step = _nothing, apply: Step = _nothing
) -> dict[str, transitions.Move[Any]]:
    """Approve (checked by ``guard``, done by ``apply``) or reject with a reason a proposal
    (a star rating's states are named as a promotion's)."""
    return {
        A.APPROVE: transitions.Move(
            action=A.APPROVE,
            sources=frozenset({S.PROPOSED}),
            target=S.APPROVED,
            capability=Capability.RULES_CONFIGURE,
            guard=guard,
            apply=apply,
        ),
        A.REJECT: transitions.Move(
            action=A.REJECT,
            sources=frozenset({S.PROPOSED}),
            target=S.REJECTED,
            capability=Capability.RULES_CONFIGURE,
            needs_reason=True,
        ),
    }


def bureau_only(message: str | Promise) -> Callable[[Any, Any, transitions.Move[Any]], None]:
    """The workflow's ``permit``: only a user of a bureau decides."""

    def permit(actor: Any, row: Any, move: transitions.Move[Any]) -> None:
        if actor.organisation.kind not in BUREAU_KINDS:
            raise NotPermitted(E.NOT_PERMITTED, str(message))

    return permit
