"""Rectification (整改): the round's bureau asks the case's committee to put a reviewed file
right by a deadline; the committee's director reports what was done; the bureau accepts (and
closes) or sends it back. One transition function moves it; each move is a step and an event."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tiaojie.accounts import selectors as accounts
from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Role
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed, field_error
from tiaojie.notifications.models import NotificationKind
from tiaojie.notifications.services import notify
from tiaojie.reviews.choices import RectificationAction as A
from tiaojie.reviews.choices import RectificationStatus as S
from tiaojie.reviews.choices import ReviewStatus
from tiaojie.reviews.models import CaseReview, Rectification, RectificationStep
from tiaojie.reviews.services.common import check_version, require_manager

if TYPE_CHECKING:
    from tiaojie.organisations.models import Organisation

# action → (statuses it starts from, status it leads to, who acts, event)
MOVES: dict[str, tuple[frozenset[str], str, str, EventType]] = {
    A.REPORT: (frozenset({S.REQUESTED}), S.REPORTED, "committee", EventType.RECTIFICATION_REPORTED),
    A.ACCEPT: (frozenset({S.REPORTED}), S.CLOSED, "owner", EventType.RECTIFICATION_CLOSED),
    A.SEND_BACK: (
        frozenset({S.REPORTED}),
        S.REQUESTED,
        "owner",
        EventType.RECTIFICATION_REQUESTED,
    ),
}


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
    RectificationStep.objects.create(
        rectification=rectification,
        action=action,
        from_status=before,
        to_status=rectification.status,
        actor=actor,
        actor_name=actor.full_name,
        at=timezone.now(),
        text=text,
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
        raise Conflict("not_scored", _("Rectification follows a scored review."))
    errors: dict[str, list[str]] = {}
    if not instructions.strip():
        errors["instructions"] = [_("Say what the committee must put right.")]
    if deadline <= timezone.localdate():
        errors["deadline"] = [_("The deadline must lie in the future.")]
    if errors:
        raise ValidationFailed("invalid", _("Please correct the errors below."), fields=errors)
    if locked.rectifications.exclude(status=S.CLOSED).exists():
        raise Conflict("rectification_open", _("A rectification of this file is still open."))
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


def _may_act(actor: User, rectification: Rectification, who: str) -> None:
    if who == "owner":
        require_manager(actor, rectification.round.owner_path)
    elif not (
        actor.role == Role.COMMITTEE_DIRECTOR
        and actor.organisation_id == rectification.committee_id
    ):
        raise NotPermitted(
            "not_permitted", _("The director of the committee concerned reports rectification.")
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
    """Report (the committee's director), accept or send back (the round's bureau)."""
    if action not in MOVES:
        raise field_error("action", _("Unknown action."), "unknown_action")
    sources, target, who, event = MOVES[action]
    locked = (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("round", "committee", "review__case")
        .get(pk=rectification.pk)
    )
    _may_act(actor, locked, who)
    check_version(locked, version)
    if locked.status not in sources:
        raise Conflict(
            "illegal_move",
            _("Not possible while the rectification is “%(status)s”.")
            % {"status": S(locked.status).label},
        )
    if action in (A.REPORT, A.SEND_BACK) and not text.strip():
        message = _("Say what was done.") if action == A.REPORT else _("Say what is still missing.")
        raise field_error("text", message, "text_required")
    before = locked.status
    now = timezone.now()
    locked.status = target
    if action == A.REPORT:
        locked.report = text.strip()
        locked.reported_at = now
    elif action == A.ACCEPT:
        locked.closed_at = now
    locked.version += 1
    locked.save()
    _step(locked, actor, action, before, text.strip())
    steps = locked.steps.count()
    audit.record(
        event,
        actor=actor,
        organisation=locked.committee,
        obj=locked,
        before={"status": before},
        after={"status": target, "action": action},
    )
    if action == A.SEND_BACK:
        _notify_directors(
            locked,
            _("Rectification sent back: %(number)s") % {"number": locked.review.case.number},
            f"rectification:{locked.pk}:returned:{steps}",
        )
    return locked
