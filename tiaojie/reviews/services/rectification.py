"""Rectification (整改): the round's bureau asks the case's committee to put a reviewed file
right by a deadline; the committee's director reports what was done; the bureau accepts (and
closes) or sends it back. The moves run on the transition engine (``core.transitions``); each is a step and an event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from tiaojie.accounts import selectors as accounts
from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Role
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core import transitions
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed, field_error
from tiaojie.notifications.models import NotificationKind
from tiaojie.notifications.services import notify
from tiaojie.reviews.choices import RectificationAction as A
from tiaojie.reviews.choices import RectificationStatus as S
from tiaojie.reviews.choices import ReviewStatus
from tiaojie.reviews.error_codes import ReviewsErrorCode as E
from tiaojie.reviews.models import CaseReview, Rectification, RectificationStep
from tiaojie.reviews.services.common import require_manager

if TYPE_CHECKING:
    from tiaojie.organisations.models import Organisation


def directors_of(committee: Organisation) -> list[User]:
    return list(accounts.directors_of(committee.pk))


def _notify_directors(rectification: Rectification, title: str, key: str) -> None:
    notify(
        directors_of(rectification.committee),
        kind=NotificationKind.REVIEW,
        title=title,
        body=_("Rectify by %(day)s.") % {"day": date_format(rectification.deadline, "DATE_FORMAT")},
        url=reverse("reviews:rectification_detail", args=[rectification.pk]),
        key=key,
    )


def _step(rectification: Rectification, actor: User, action: str, before: str, text: str) -> None:
    """The log row of the request, which opens the rectification (the moves' rows are the
    engine's)."""
    RectificationStep.objects.create(
        rectification=rectification,
        action=action,
        from_status=before,
        to_status=rectification.status,
        actor=actor,
        actor_name=actor.full_name,
        at=timezone.now(),
        reason=text,
    )


@transaction.atomic
def rectification_request(
    *, actor: User, review: CaseReview, instructions: str, deadline: dt.date
) -> Rectification:
    """Ask the case's committee to rectify a scored file by ``deadline`` (a future date)."""
    locked = (
        CaseReview.objects.select_for_update(of=("self",))
        .select_related("round", "committee", "case")
        .get(pk=review.pk)
    )
    require_manager(actor, locked.round.owner_path)
    if locked.status != ReviewStatus.SCORED:
        raise Conflict(E.NOT_SCORED, _("Rectification follows a scored review."))
    errors: dict[str, list[str]] = {}
    if not instructions.strip():
        errors["instructions"] = [_("Say what the committee must put right.")]
    if deadline <= timezone.localdate():
        errors["deadline"] = [_("The deadline must lie in the future.")]
    if errors:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    if locked.rectifications.exclude(status=S.CLOSED).exists():
        raise Conflict(E.RECTIFICATION_OPEN, _("A rectification of this file is still open."))
    rectification = Rectification.objects.create(
        review=locked,
        round=locked.round,
        committee=locked.committee,
        committee_path=locked.committee_path,
        instructions=instructions.strip(),
        deadline=deadline,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    _step(rectification, actor, A.REQUEST, "", instructions.strip())
    audit.record(
        EventType.RECTIFICATION_REQUESTED,
        actor=actor,
        organisation=locked.committee,
        obj=rectification,
        after={"status": S.REQUESTED, "deadline": deadline, "review": locked.pk},
    )
    _notify_directors(
        rectification,
        _("Rectification requested: %(number)s") % {"number": locked.case.number},
        f"rectification:{rectification.pk}:requested",
    )
    return rectification


def _owner(actor: User, rectification: Rectification) -> None:
    require_manager(actor, rectification.round.owner_path)


def _committee(actor: User, rectification: Rectification) -> None:
    if not (
        actor.role == Role.COMMITTEE_DIRECTOR
        and actor.organisation_id == rectification.committee_id
    ):
        raise NotPermitted(
            E.NOT_PERMITTED, _("The director of the committee concerned reports rectification.")
        )


# Who may make each move (the round's bureau, or the committee's director).
WHO = {A.REPORT: _committee, A.ACCEPT: _owner, A.SEND_BACK: _owner}
EVENTS = {
    A.REPORT: EventType.RECTIFICATION_REPORTED,
    A.ACCEPT: EventType.RECTIFICATION_CLOSED,
    A.SEND_BACK: EventType.RECTIFICATION_REQUESTED,
}


def _needs_text(message: str) -> Callable[[Rectification, User, dict[str, Any]], None]:
    def guard(rectification: Rectification, actor: User, data: dict[str, Any]) -> None:
        if not str(data.get("text", "")).strip():
            raise field_error("text", _(message), E.TEXT_REQUIRED)

    return guard


def _apply_report(rectification: Rectification, actor: User, data: dict[str, Any]) -> None:
    rectification.report = str(data["text"]).strip()
    rectification.reported_at = timezone.now()


def _apply_accept(rectification: Rectification, actor: User, data: dict[str, Any]) -> None:
    rectification.closed_at = timezone.now()


MOVES: dict[str, transitions.Move[Rectification]] = {
    move.action: move
    for move in [
        transitions.Move(
            A.REPORT,
            frozenset({S.REQUESTED}),
            S.REPORTED,
            None,  # WHO decides
            guard=_needs_text(gettext_noop("Say what was done.")),
            apply=_apply_report,
        ),
        transitions.Move(A.ACCEPT, frozenset({S.REPORTED}), S.CLOSED, None, apply=_apply_accept),
        transitions.Move(
            A.SEND_BACK,
            frozenset({S.REPORTED}),
            S.REQUESTED,
            None,
            guard=_needs_text(gettext_noop("Say what is still missing.")),
        ),
    ]
}


def _record(
    actor: User,
    rectification: Rectification,
    move: transitions.Move[Rectification],
    before: str,
    reason: str,
    recorded: dict[str, Any],
) -> None:
    audit.record(
        EVENTS[move.action],
        actor=actor,
        organisation=rectification.committee,
        obj=rectification,
        before={"status": before},
        after={"status": move.target, "action": str(move.action)},
    )


WORKFLOW: transitions.Workflow[Rectification] = transitions.Workflow(
    name="rectification",
    model=Rectification,
    moves=MOVES,
    log=RectificationStep,
    log_field="rectification",
    scope=lambda actor, rectification: True,  # WHO, below, checks who may
    messages=transitions.Messages(
        out_of_scope=gettext_lazy("Only the bureau running the review may do this."),
        not_allowed=gettext_lazy("Only the bureau running the review may do this."),
        illegal=lambda status, move: (
            _("Not possible while the rectification is “%(status)s”.") % {"status": S(status).label}
        ),
    ),
    record=_record,
    subject=lambda r: {
        "rectification_id": r.pk,
        "review_id": r.review_id,
        "committee_id": r.committee_id,
    },
    lock=lambda pk: (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("round", "committee", "review__case")
        .get(pk=pk)
    ),
    permit=lambda actor, rectification, move: WHO[move.action](actor, rectification),
)


@transaction.atomic
def rectification_transition(
    *,
    actor: User,
    rectification: Rectification,
    action: str,
    text: str = "",
    version: int | None = None,
) -> Rectification:
    """Report (the committee's director), accept or send back (the round's bureau), or refuse
    and change nothing (the engine: ``core.transitions``; the domain event
    ``rectification.moved``)."""
    moved = WORKFLOW.move(
        actor=actor,
        obj=rectification,
        action=action,
        reason=text.strip(),
        version=version,
        data={"text": text},
    )
    if action == A.SEND_BACK:
        _notify_directors(
            moved,
            _("Rectification sent back: %(number)s") % {"number": moved.review.case.number},
            f"rectification:{moved.pk}:returned:{moved.steps.count()}",
        )
    return moved
