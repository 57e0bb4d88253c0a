"""Grade promotion (晋级) and honours (荣誉).

A director or officer proposes raising a mediator to a higher grade of the ladder that applies
to them, with the grounds; a bureau above the mediator approves (the mediator's grade changes
at once) or rejects with a reason, on the one transition engine. One open proposal per
mediator. Honours (模范调解员, 金牌调解员, …) are recorded with the year and who gave them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core import transitions
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.mediators import selectors
from tiaojie.mediators.choices import HonourTitle, MediatorStatus
from tiaojie.mediators.choices import PromotionStatus as S
from tiaojie.mediators.error_codes import MediatorsErrorCode as E
from tiaojie.mediators.models import Grade, Honour, Mediator, Promotion, PromotionTransition
from tiaojie.mediators.moves import bureau_decisions, bureau_only
from tiaojie.mediators.rules import mediator_policy
from tiaojie.organisations.models import Organisation

if TYPE_CHECKING:
    from tiaojie.accounts.models import User


def _committees(mediator: Mediator) -> list[Organisation]:
    return [m.committee for m in mediator.memberships.filter(until__isnull=True)]


def ladder_of(mediator: Mediator) -> list[Grade]:
    """The grades the mediator may hold (the ladders of their current committees)."""
    seen: dict[int, Grade] = {}
    for committee in _committees(mediator):
        for grade in selectors.ladder_for(committee):
            seen.setdefault(grade.pk, grade)
    return sorted(seen.values(), key=lambda g: (g.bureau_id, g.rank))


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(E.INVALID, message, fields={field: [message]})


def propose(*, actor: User, mediator: Mediator, to_grade_id: int | None, grounds: str) -> Promotion:
    """Propose raising ``mediator`` to a higher grade of their ladder."""
    if not actor.can(Capability.MEDIATOR_MANAGE):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not propose promotions."))
    if not grounds.strip():
        raise _invalid("grounds", _("Give the grounds for the promotion."))
    ladder = {g.pk: g for g in ladder_of(mediator)}
    grade = ladder.get(to_grade_id) if to_grade_id else None
    if grade is None:
        names = "、".join(g.name for g in ladder.values()) or _("none")
        raise _invalid(
            "to_grade",
            _("This grade is not on the bureau's grade ladder (its grades: %(names)s).")
            % {"names": names},
        )
    current = mediator.grade
    if current is not None and current.bureau_id == grade.bureau_id and grade.rank <= current.rank:
        raise _invalid(
            "to_grade",
            _("A promotion is to a grade above the current one (%(grade)s).")
            % {"grade": current.name},
        )
    if mediator.status != MediatorStatus.ACTIVE:
        raise _invalid("to_grade", _("Only an active mediator can be promoted."))
    try:
        with transaction.atomic():
            promotion = Promotion.objects.create(
                mediator=mediator,
                from_grade=current,
                to_grade=grade,
                grounds=grounds.strip(),
                proposed_by=actor,
                owner_path=actor.organisation.path,
            )
            audit.record(
                EventType.PROMOTION_PROPOSED,
                actor=actor,
                obj=promotion,
                after={
                    "mediator_id": mediator.pk,
                    "from": current.name if current else "",
                    "to": grade.name,
                },
            )
    except IntegrityError as exc:
        raise Conflict(
            E.PROMOTION_OPEN, _("This mediator already has a promotion awaiting a decision.")
        ) from exc
    return promotion


def _still_on_ladder(promotion: Promotion, actor: Any, data: dict[str, Any]) -> None:
    if promotion.to_grade_id not in {g.pk for g in ladder_of(promotion.mediator)}:
        raise transitions.refuse(
            E.INVALID,
            _("The proposed grade is no longer on the mediator's grade ladder: reject it."),
        )


def _promote(promotion: Promotion, actor: Any, data: dict[str, Any]) -> None:
    mediator = Mediator.objects.select_for_update().get(pk=promotion.mediator_id)
    mediator.grade_id = promotion.to_grade_id
    mediator.version += 1
    mediator.save(update_fields=["grade", "version", "updated_at"])


MOVES = bureau_decisions(guard=_still_on_ladder, apply=_promote)


def _record(
    actor: User,
    promotion: Promotion,
    move: transitions.Move[Promotion],
    before: str,
    reason: str,
    recorded: dict[str, Any],
) -> None:
    audit.record(
        EventType.PROMOTION_DECIDED,
        actor=actor,
        obj=promotion,
        reason=reason,
        before={"status": before},
        after={
            "status": promotion.status,
            "mediator_id": promotion.mediator_id,
            "grade": promotion.to_grade.name,
        },
    )


WORKFLOW: transitions.Workflow[Promotion] = transitions.Workflow(
    name="promotion",
    model=Promotion,
    moves=MOVES,
    log=PromotionTransition,
    log_field="promotion",
    scope=lambda actor, p: mediator_policy.allows(actor, Capability.MEDIATOR_VIEW, p.mediator),
    permit=bureau_only(gettext_lazy("Only a bureau decides on promotions.")),
    messages=transitions.Messages(
        out_of_scope=gettext_lazy("This mediator is not within your organisation."),
        not_allowed=gettext_lazy("Only a bureau decides on promotions."),
        illegal=lambda status, move: (
            _("This promotion is already “%(status)s”.") % {"status": S(status).label}
        ),
    ),
    record=_record,
    subject=lambda p: {"promotion_id": p.pk, "mediator_id": p.mediator_id},
)


def decide(
    *, actor: User, promotion: Promotion, action: str, reason: str = "", version: int | None = None
) -> Promotion:
    """Approve (the mediator takes the grade) or reject (with a reason) a proposal."""
    return WORKFLOW.move(actor=actor, obj=promotion, action=action, reason=reason, version=version)


def promotions_for(user: User) -> QuerySet[Promotion]:
    """Proposals about the mediators the viewer sees."""
    visible = mediator_policy.visible(user, Capability.MEDIATOR_VIEW)
    return Promotion.objects.filter(mediator__in=visible.values("pk")).select_related(
        "mediator", "from_grade", "to_grade", "proposed_by"
    )


# --- honours --------------------------------------------------------------------------------


def honour_add(
    *,
    actor: User,
    mediator: Mediator,
    title: str,
    year: int | None,
    awarded_by: str,
    name: str = "",
) -> Honour:
    """Record an honour given to a mediator."""
    if not actor.can(Capability.MEDIATOR_MANAGE):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not record honours."))
    errors: dict[str, list[str]] = {}
    if title not in HonourTitle.values:
        errors["title"] = [_("Choose one of the listed values.")]
    elif title == HonourTitle.OTHER and not name.strip():
        errors["name"] = [_("Name the honour.")]
    this_year = timezone.localdate().year
    if year is None or not 1980 <= year <= this_year:
        errors["year"] = [_("A year from 1980 to %(year)s.") % {"year": this_year}]
    if not awarded_by.strip():
        errors["awarded_by"] = [_("Who gave the honour, e.g. 市司法局.")]
    if errors or year is None:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    try:
        with transaction.atomic():
            honour = Honour.objects.create(
                mediator=mediator,
                title=title,
                name=name.strip(),
                year=year,
                awarded_by=awarded_by.strip(),
                recorded_by=actor,
            )
            audit.record(
                EventType.HONOUR_RECORDED,
                actor=actor,
                obj=mediator,
                after={"title": title, "name": honour.name, "year": year},
            )
    except IntegrityError as exc:
        raise Conflict(
            E.HONOUR_EXISTS, _("This honour is already recorded for that year.")
        ) from exc
    return honour


def honours_for(user: User, year: int | None = None) -> QuerySet[Honour]:
    """The honours register of the viewer's mediators, newest first."""
    visible = mediator_policy.visible(user, Capability.MEDIATOR_VIEW)
    found = Honour.objects.filter(mediator__in=visible.values("pk")).select_related("mediator")
    return found.filter(year=year) if year else found
