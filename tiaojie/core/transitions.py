"""One transition engine for every workflow: a declared table of moves and one function that
makes them.

A workflow (the case, and those to come) declares its moves: from which states, to which,
under which action name and capability, with a guard (may it happen now? raise a
``DomainError`` if not) and an effect (what else changes). ``Workflow.move`` then, in one
transaction: locks the row, checks the actor's scope, capability and the workflow's own
permission rule, the version the caller read, the source state, the reason and the guard;
applies the effect and the new state; writes the transition row (a ``TransitionLog``); has the
workflow record its audit event; and publishes the domain event (docs/events.md).

``core`` knows no domain: the workflow supplies its policy, its messages (the user reads them)
and how to record the audit event, as functions.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from tiaojie.core import events
from tiaojie.core.error_codes import CoreErrorCode as E
from tiaojie.core.error_codes import ErrorCode
from tiaojie.core.errors import (
    Conflict,
    NotPermitted,
    OutOfScope,
    ValidationFailed,
    field_error,
)

if TYPE_CHECKING:
    from django.utils.functional import Promise

Data = dict[str, Any]


Row = TypeVar("Row", bound=models.Model)


class TransitionLog(models.Model):
    """One move of a workflow: from, to, which action, who, when, why, and what it recorded.
    Each workflow's log (``CaseTransition``, ``RoundTransition``) adds the row it is about and
    narrows the fields to its own states."""

    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=60)
    at = models.DateTimeField()
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"


def refuse(code: ErrorCode, message: str, field_name: str | None = None) -> ValidationFailed:
    """A refusal of the user's input, put on ``field_name`` when given."""
    return field_error(field_name, message, code)


# When the move being made happened (``move(on=)``), for the effects that date what they write.
_MOMENT: ContextVar[dt.datetime | None] = ContextVar("tiaojie_transition_moment", default=None)


def moment() -> dt.datetime:
    """When the move being made happened: the day given as ``on=`` at this time of day, or now.
    Outside a move, now. A workflow's effects date what they write with it (``accepted_on``,
    the time a mediator is withdrawn), so a move recorded for a past day is dated that day."""
    return _MOMENT.get() or timezone.now()


def moment_on(on: dt.date | None, field_name: str = "on") -> dt.datetime:
    """The moment of something that happened ``on`` a day (None: now), at this time of day so
    that steps recorded one after another keep their order. A day ahead is refused: a service
    records what has happened."""
    now = timezone.localtime()
    if on is None:
        return now
    if on > now.date():
        raise refuse(E.FUTURE_DATE, gettext("The date cannot be in the future."), field_name)
    return now.replace(year=on.year, month=on.month, day=on.day)


def loaded_values(row: models.Model) -> dict[str, Any]:
    """The row's loaded column values, lists and dicts copied (a move may change one in place),
    to tell afterwards which columns the move changed (``changed_columns``)."""
    loaded = row.__dict__
    return {
        f.attname: copy.deepcopy(loaded[f.attname])
        if type(loaded[f.attname]) in (list, dict)
        else loaded[f.attname]
        for f in row._meta.concrete_fields
        if f.attname in loaded and not f.primary_key
    }


def changed_columns(row: models.Model, before: Mapping[str, Any]) -> list[str]:
    """The columns of ``row`` that differ from ``before`` (``loaded_values``), and those Django
    stamps on every save (``auto_now``): what ``save(update_fields=…)`` must write."""
    loaded = row.__dict__
    return [
        f.attname
        for f in row._meta.concrete_fields
        if not f.primary_key
        and f.attname in loaded
        and (
            getattr(f, "auto_now", False)
            or f.attname not in before
            or loaded[f.attname] != before[f.attname]
        )
    ]


def _nothing(obj: Any, actor: Any, data: Data) -> None:
    return None


def _always(obj: Any) -> bool:
    return True


# A move's target that keeps the state the row is in: the move changes something else the
# workflow owns (who holds a case), not where it stands.
STAY = ""


@dataclass(frozen=True)
class Move(Generic[Row]):
    """One row of a workflow's table."""

    action: Any  # the workflow's action choice (a str)
    sources: frozenset[str]
    target: str  # the state after the move, or STAY
    capability: str | None  # None: the workflow's ``permit`` alone decides who may
    guard: Callable[[Row, Any, Data], None] = _nothing
    apply: Callable[[Row, Any, Data], None] = _nothing
    needs_reason: bool = False
    # Whether to offer the move at all now (a cheap look; the guard decides when it is tried).
    offered: Callable[[Row], bool] = _always
    extra: tuple[str, ...] = field(default_factory=tuple)  # data keys recorded with the move
    # False: the workflow's scope check is left to the app that decided the move, which checked
    # who may (a transfer is accepted by the receiving committee, which cannot see the case yet).
    scoped: bool = True


# The wording most workflows share; a workflow words its own where it says more.
STALE = gettext_lazy("Someone else changed this while you were working on it. Reload to see it.")
REASON_REQUIRED = gettext_lazy("Say why.")
UNKNOWN_ACTION = gettext_lazy("Unknown action.")


@dataclass(frozen=True)
class Messages:
    """What the user reads when a move is refused (each workflow words its own)."""

    out_of_scope: str | Promise
    not_allowed: str | Promise
    illegal: Callable[[str, Move[Any]], str]  # (current state, move) → message
    stale: str | Promise = STALE
    reason_required: str | Promise = REASON_REQUIRED
    unknown_action: str | Promise = UNKNOWN_ACTION
    # The code of the refusal when the row is not in one of the move's sources (a supervision
    # says ``not_open``: every move starts from open).
    illegal_code: ErrorCode = E.ILLEGAL_MOVE


@dataclass(frozen=True)
class Planned:
    """One move of a checked path (``Workflow.plan``): the move, the states around it, why."""

    move: Move[Any]
    before: str
    after: str
    reason: str


@dataclass(frozen=True)
class Workflow(Generic[Row]):
    """A declared table of moves over one model, and how to make them."""

    name: str  # the domain event published after each move: f"{name}.moved"
    model: type[Row]
    moves: Mapping[Any, Move[Row]]
    log: type[TransitionLog]
    log_field: str  # the log's foreign key to the row (``case``)
    scope: Callable[[Any, Row], bool]  # may the actor see and act on this row at all
    messages: Messages
    record: Callable[[Any, Row, Move[Row], str, str, Data], None]  # the audit event
    # The ids the domain event names (``{"case_id": …, "committee_id": …}``); the engine adds
    # the move: action, from, to, actor_id, reason and the data recorded.
    subject: Callable[[Row], Data]
    lock: Callable[[int], Row] | None = None  # a locking read of the row (default: by pk)
    # The locking read and ``scope`` in one statement: the row and whether ``actor`` may act on
    # it (None: ask ``scope``). Used instead of ``lock`` on scoped moves when given (ADR 0047).
    lock_in_scope: Callable[[Any, int], tuple[Row, bool | None]] | None = None
    # The workflow's further rule on who may make a move (the case's own mediators, its lead
    # committee), after the capability; raises ``NotPermitted`` itself.
    permit: Callable[[Any, Row, Move[Row]], None] | None = None
    # What follows from the new state itself, set just before the row is saved.
    before_save: Callable[[Row, Move[Row]], None] | None = None

    def move(
        self,
        *,
        actor: Any,
        obj: Row,
        action: str,
        reason: str = "",
        version: int | None = None,
        data: Data | None = None,
        on: dt.date | None = None,
    ) -> Row:
        """Make one move, or refuse it with a coded error and change nothing. ``actor`` None is
        the system (a nightly scan): only a workflow whose log admits no actor lets it move, and
        only on moves without a capability. ``on``: the day the move happened, when it is
        recorded later (an import, the demo); not in the future. The transition row is dated
        that day, the effects date what they write by it (``moment()``), and the audit event
        and the domain event carry it as ``on``."""
        at = moment_on(on)
        token = _MOMENT.set(at)
        try:
            with transaction.atomic():
                return self._move(actor, obj, action, reason, version, data, at, on)
        finally:
            _MOMENT.reset(token)

    def _move(
        self,
        actor: Any,
        obj: Row,
        action: str,
        reason: str,
        version: int | None,
        data: Data | None,
        at: dt.datetime,
        on: dt.date | None,
    ) -> Row:
        move = self.moves.get(action)
        if move is None:
            raise refuse(E.UNKNOWN_ACTION, str(self.messages.unknown_action), "action")
        in_scope: bool | None = None
        if move.scoped and self.lock_in_scope is not None:
            locked, in_scope = self.lock_in_scope(actor, obj.pk)
        elif self.lock is not None:
            locked = self.lock(obj.pk)
        else:
            locked = self.model._default_manager.select_for_update().get(pk=obj.pk)
        state: Any = locked
        if move.scoped and not (self.scope(actor, locked) if in_scope is None else in_scope):
            raise OutOfScope(E.NOT_PERMITTED, str(self.messages.out_of_scope))
        if move.capability is not None and (actor is None or not actor.can(move.capability)):
            raise NotPermitted(E.NOT_PERMITTED, str(self.messages.not_allowed))
        if self.permit is not None:
            self.permit(actor, locked, move)
        if version is not None and state.version != version:
            raise Conflict(E.STALE_VERSION, str(self.messages.stale))
        if state.status not in move.sources:
            raise Conflict(self.messages.illegal_code, self.messages.illegal(state.status, move))
        if move.needs_reason and not reason.strip():
            raise refuse(E.REASON_REQUIRED, str(self.messages.reason_required), "reason")
        values: Data = dict(data or {})
        loaded = loaded_values(locked)
        move.guard(locked, actor, values)
        move.apply(locked, actor, values)
        before = state.status
        after = move.target or before  # STAY keeps the state
        state.status = after
        if self.before_save is not None:
            self.before_save(locked, move)
        state.version += 1
        # Only what the move changed: the row is locked, so the other columns are as read, and
        # a case's forty columns cost more to build into the statement than the move's few.
        locked.save(update_fields=changed_columns(locked, loaded))
        recorded = {key: values[key] for key in move.extra if key in values}
        if on is not None:
            recorded["on"] = on.isoformat()
        self.log.objects.create(  # type: ignore[attr-defined]
            **{self.log_field: locked},
            action=str(move.action),
            from_status=before,
            to_status=after,
            actor=actor,
            actor_name=actor.full_name if actor is not None else "",
            at=at,
            reason=reason,
            data=events.jsonable(recorded),
        )
        self.record(actor, locked, move, before, reason, recorded)
        events.publish(
            f"{self.name}.moved",
            {
                **self.subject(locked),
                "action": str(move.action),
                "from": before,
                "to": after,
                "actor_id": actor.pk if actor is not None else None,
                "reason": reason,
                "data": recorded,
            },
        )
        return locked

    def plan(self, *, actor: Any, status: str, steps: list[tuple[Any, str]]) -> list[Planned]:
        """Check a path of moves (``(action, reason)`` in order, from ``status``) against the
        table without touching the database: each action known, the actor's capability, each
        source state, a reason where one is needed. For a bulk writer (the ledger import)
        that writes many rows created in its own transaction: it checks scope, the
        workflow's ``permit`` rule and the guards' facts for the whole batch itself, then
        writes the rows ``log_row`` and ``payload`` give, as ``move`` would.
        Raises what ``move`` would raise for the first move refused."""
        planned: list[Planned] = []
        for action, reason in steps:
            move = self.moves.get(action)
            if move is None:
                raise refuse(E.UNKNOWN_ACTION, str(self.messages.unknown_action), "action")
            if move.capability is not None and (actor is None or not actor.can(move.capability)):
                raise NotPermitted(E.NOT_PERMITTED, str(self.messages.not_allowed))
            if status not in move.sources:
                raise Conflict(self.messages.illegal_code, self.messages.illegal(status, move))
            if move.needs_reason and not reason.strip():
                raise refuse(E.REASON_REQUIRED, str(self.messages.reason_required), "reason")
            after = move.target or status
            planned.append(Planned(move, status, after, reason))
            status = after
        return planned

    def log_row(
        self, obj: Row, step: Planned, *, actor: Any, at: Any, data: Data | None = None
    ) -> TransitionLog:
        """The unsaved transition row of a planned move (``at``: when it happened)."""
        return self.log(
            **{self.log_field: obj, "actor": actor}, **self._logged(step, actor, at, data)
        )

    def log_values(
        self, obj: Row, step: Planned, *, actor: Any, at: Any, data: Data | None = None
    ) -> dict[str, Any]:
        """The columns of ``log_row``'s row by attribute name (``case_id``, ``actor_id``, …),
        without the id: for a bulk writer that writes plain rows (``core.bulk.Stripped``), as
        the ledger import does thousands of moves."""
        return {
            f"{self.log_field}_id": obj.pk,
            "actor_id": actor.pk if actor is not None else None,
            **self._logged(step, actor, at, data),
        }

    def _logged(self, step: Planned, actor: Any, at: Any, data: Data | None) -> dict[str, Any]:
        """What a transition row records of the move, the actor's name and the time."""
        recorded = {key: (data or {})[key] for key in step.move.extra if key in (data or {})}
        return {
            "action": str(step.move.action),
            "from_status": step.before,
            "to_status": step.after,
            "actor_name": actor.full_name if actor is not None else "",
            "at": at,
            "reason": step.reason,
            "data": events.jsonable(recorded),
        }

    def payload(self, obj: Row, step: Planned, *, actor: Any, data: Data | None = None) -> Data:
        """The ``<name>.moved`` event of a planned move, as ``move`` publishes it."""
        recorded = {key: (data or {})[key] for key in step.move.extra if key in (data or {})}
        return {
            **self.subject(obj),
            "action": str(step.move.action),
            "from": step.before,
            "to": step.after,
            "actor_id": actor.pk if actor is not None else None,
            "reason": step.reason,
            "data": recorded,
        }

    def allowed(self, obj: Row, user: Any, may: Callable[[Any, Row, Move[Row]], bool]) -> list[Any]:
        """The moves ``user`` may try on ``obj`` now (guards are checked when they try)."""
        return [
            move.action
            for move in self.moves.values()
            if obj.status in move.sources  # type: ignore[attr-defined]
            and (move.capability is None or user.can(move.capability))
            and move.offered(obj)
            and may(user, obj, move)
        ]
