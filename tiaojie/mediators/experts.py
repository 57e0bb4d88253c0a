"""Expert pools (专家库) and consultations on cases: who keeps a pool (a bureau), who may be
in it (a registered mediator or an outside expert, once while they have not left), who may be
consulted on a case (an active member of a pool kept by a bureau above the case's committee
that covers the case's dispute type), and the audited record of each consultation.

Every write checks first, then writes and records its audit event in one transaction; a
refusal changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.models import Case, DisputeType
from tiaojie.cases.rules import case_policy
from tiaojie.core import transitions
from tiaojie.core.crypto import blind_index_candidates, refresh_blind_indexes
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.core.masking import mask_id_number, mask_phone
from tiaojie.core.validators import (
    normalise_id_number,
    normalise_phone,
    validate_id_number,
    validate_mobile_or_phone,
)
from tiaojie.mediators.choices import ExpertAction as A
from tiaojie.mediators.choices import ExpertStatus as S
from tiaojie.mediators.choices import MediatorStatus, OpinionFollowed, Profession
from tiaojie.mediators.error_codes import MediatorsErrorCode as E
from tiaojie.mediators.models import Mediator
from tiaojie.mediators.models_experts import Consultation, Expert, ExpertPool, ExpertTransition
from tiaojie.mediators.moves import dated_move, from_day, leave_on_day, status_recorder
from tiaojie.mediators.rules import BUREAU_KINDS, mediator_policy
from tiaojie.organisations.models import path_ids

CONSULT = Capability.CASE_HANDLE
PERSONAL_FIELDS = ("id_number", "phone")


# --- who sees and who may ------------------------------------------------------------------


def pools_visible(user: User) -> QuerySet[ExpertPool]:
    """The pools kept at or above the viewer's organisation (they may consult them) and below
    it (they oversee them)."""
    if not user.is_authenticated or not user.can(Capability.MEDIATOR_VIEW):
        return ExpertPool.objects.none()
    path = user.organisation.path
    return (
        ExpertPool.objects.filter(Q(owner_id__in=path_ids(path)) | Q(owner_path__startswith=path))
        .select_related("owner")
        .prefetch_related("dispute_types")
    )


def may_keep_pools(user: User) -> bool:
    """A bureau's officers keep its pools."""
    return (
        user.is_authenticated
        and user.can(Capability.MEDIATOR_MANAGE)
        and user.organisation.kind in BUREAU_KINDS
    )


def may_manage(user: User, pool: ExpertPool) -> bool:
    """A pool is managed by the officers of its bureau and of the bureaus above it."""
    return may_keep_pools(user) and pool.owner_path.startswith(user.organisation.path)


def may_consult(user: User, case: Case) -> bool:
    """The committee handling the case records the consultations of its mediators."""
    return user.is_authenticated and user.can(CONSULT) and case_policy.allows(user, CONSULT, case)


def pools_for_case(case: Case) -> QuerySet[ExpertPool]:
    """The pools a case's mediator may consult: kept by a bureau above (or at) the case's
    committee, covering the case's dispute type."""
    return ExpertPool.objects.filter(
        owner_id__in=path_ids(case.committee.path), dispute_types=case.dispute_type_id
    )


def experts_for_case(case: Case) -> QuerySet[Expert]:
    """The members who may be consulted on ``case`` now (active, in a pool for the case)."""
    return (
        Expert.objects.filter(pool__in=pools_for_case(case), status=S.ACTIVE)
        .select_related("pool")
        .order_by("pool__name", "name", "id")
    )


# --- pools ----------------------------------------------------------------------------------


def dispute_types(codes: list[str], field_name: str = "dispute_types") -> list[DisputeType]:
    """The dictionary's current types for ``codes``; an unknown code is refused by name."""
    wanted = [c.strip() for c in codes if c.strip()]
    found = {t.code: t for t in DisputeType.objects.filter(code__in=wanted, valid_to__isnull=True)}
    unknown = [c for c in wanted if c not in found]
    if unknown:
        message = _("These dispute types are not in the dictionary: %(codes)s.") % {
            "codes": "、".join(unknown)
        }
        raise ValidationFailed(E.INVALID, message, fields={field_name: [message]})
    if not wanted:
        message = _("Choose at least one dispute type the pool is for.")
        raise ValidationFailed(E.INVALID, message, fields={field_name: [message]})
    return [found[c] for c in dict.fromkeys(wanted)]


def pool_save(
    *,
    actor: User,
    name: str,
    types: list[DisputeType],
    description: str = "",
    pool: ExpertPool | None = None,
    version: int | None = None,
) -> ExpertPool:
    """Create a pool kept by the actor's bureau, or change one the actor manages."""
    if not may_keep_pools(actor) or (pool is not None and not may_manage(actor, pool)):
        raise NotPermitted(E.NOT_PERMITTED, _("Only a bureau's officers keep expert pools."))
    name = name.strip()
    if not name:
        message = _("Name the pool, e.g. 医疗纠纷专家库.")
        raise ValidationFailed(E.INVALID, message, fields={"name": [message]})
    if not types:
        message = _("Choose at least one dispute type the pool is for.")
        raise ValidationFailed(E.INVALID, message, fields={"dispute_types": [message]})
    owner = pool.owner if pool is not None else actor.organisation
    same_name = ExpertPool.objects.filter(owner=owner, name=name)
    if pool is not None:
        same_name = same_name.exclude(pk=pool.pk)
    if same_name.exists():
        message = _("Your bureau already keeps a pool of this name.")
        raise ValidationFailed(E.INVALID, message, fields={"name": [message]})
    with transaction.atomic():
        before = None
        if pool is None:
            pool = ExpertPool(owner=owner, owner_path=owner.path)
        else:
            pool = ExpertPool.objects.select_for_update().get(pk=pool.pk)
            if version is not None and pool.version != version:
                raise Conflict(
                    E.STALE_VERSION,
                    _("Someone changed this pool meanwhile: reload the page and try again."),
                )
            before = {
                "name": pool.name,
                "dispute_types": sorted(pool.dispute_types.values_list("code", flat=True)),
            }
            pool.version += 1
        pool.name = name
        pool.description = description.strip()
        pool.save()
        pool.dispute_types.set(types)
        audit.record(
            EventType.EXPERT_POOL_SAVED,
            actor=actor,
            obj=pool,
            organisation=owner,
            before=before,
            after={"name": name, "dispute_types": sorted(t.code for t in types)},
        )
    return pool


# --- members --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpertData:
    """A member to add: ``mediator_id`` for a registered mediator (their name and personal data
    stay on the mediator record), else an outside expert with name and ID number."""

    field: str
    profession: str = ""
    mediator_id: int | None = None
    name: str = ""
    employer: str = ""
    title: str = ""
    id_number: str = ""
    phone: str = ""
    since: dt.date | None = None


def _invalid(errors: dict[str, list[str]]) -> ValidationFailed:
    return ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)


def _check_outside(data: ExpertData, errors: dict[str, list[str]]) -> tuple[str, str]:
    id_number = normalise_id_number(data.id_number) if data.id_number.strip() else ""
    phone = normalise_phone(data.phone) if data.phone.strip() else ""
    if not data.name.strip():
        errors.setdefault("name", []).append(_("Enter the expert's name."))
    if data.profession not in Profession.values or data.profession == Profession.MEDIATOR:
        errors.setdefault("profession", []).append(_("Choose the expert's profession."))
    if not id_number:
        errors.setdefault("id_number", []).append(
            _("Enter the ID number: it tells whether the expert is already in the pool.")
        )
    for value, name, check in (
        (id_number, "id_number", validate_id_number),
        (phone, "phone", validate_mobile_or_phone),
    ):
        if value:
            try:
                check(value)
            except ValidationError as exc:
                errors.setdefault(name, []).extend(exc.messages)
    return id_number, phone


def expert_add(*, actor: User, pool: ExpertPool, data: ExpertData) -> Expert:
    """Add a member to a pool; the same person twice (not left) is refused."""
    if not may_manage(actor, pool):
        raise NotPermitted(E.NOT_PERMITTED, _("Only the pool's bureau adds experts to it."))
    errors: dict[str, list[str]] = {}
    since = data.since or timezone.localdate()
    if since > timezone.localdate():
        errors["since"] = [_("The day cannot be in the future.")]
    if not data.field.strip():
        errors["field"] = [_("Enter the expert's field, e.g. 心血管内科.")]
    mediator: Mediator | None = None
    id_number = phone = ""
    if data.mediator_id is not None:
        mediator = (
            mediator_policy.visible(actor, Capability.MEDIATOR_VIEW)
            .filter(pk=data.mediator_id)
            .first()
        )
        if mediator is None:
            errors["mediator_id"] = [_("No such mediator in your area.")]
        elif mediator.status != MediatorStatus.ACTIVE:
            errors["mediator_id"] = [_("Only an active mediator can join a pool.")]
    else:
        id_number, phone = _check_outside(data, errors)
    if errors:
        raise _invalid(errors)
    live = Expert.objects.filter(pool=pool).exclude(status=S.LEFT)
    twice = (
        live.filter(mediator=mediator)
        if mediator is not None
        else live.filter(
            id_number_index__in=blind_index_candidates(id_number, purpose="expert.id_number")
        )
    )
    if twice.exists():
        raise Conflict(E.EXPERT_EXISTS, _("This person is already a member of the pool."))
    expert = Expert(
        pool=pool,
        pool_path=pool.owner_path,
        mediator=mediator,
        name=mediator.name if mediator is not None else data.name.strip(),
        profession=Profession.MEDIATOR if mediator is not None else data.profession,
        field=data.field.strip(),
        employer=data.employer.strip(),
        title=data.title.strip(),
        id_number=id_number,
        phone=phone,
        since=since,
        status_since=since,
        added_by=actor,
    )
    refresh_blind_indexes(expert)
    try:
        with transaction.atomic():
            expert.save()
            audit.record(
                EventType.EXPERT_ADDED,
                actor=actor,
                obj=expert,
                organisation=pool.owner,
                after={
                    "pool": pool.pk,
                    "mediator": getattr(mediator, "pk", None),
                    "profession": expert.profession,
                    "since": since.isoformat(),
                },
            )
    except IntegrityError as exc:  # the same person added at the same moment by another
        raise Conflict(E.EXPERT_EXISTS, _("This person is already a member of the pool.")) from exc
    return expert


def masked(expert: Expert) -> dict[str, str]:
    """An outside expert's personal data masked (a mediator's stays on their record)."""
    return {"id_number": mask_id_number(expert.id_number), "phone": mask_phone(expert.phone)}


def revealed(actor: User, expert: Expert) -> dict[str, str]:
    """An outside expert's personal data in full, for the pool's managers; audited."""
    if not may_manage(actor, expert.pool):
        raise PermissionDenied
    audit.record(
        EventType.PERSONAL_DATA_VIEWED,
        actor=actor,
        obj=expert,
        after={"experts": [expert.pk], "fields": list(PERSONAL_FIELDS)},
    )
    return {name: getattr(expert, name) for name in PERSONAL_FIELDS}


# --- a member's status, on the transition engine ------------------------------------------


MOVES = {
    A.SUSPEND: dated_move(A.SUSPEND, {S.ACTIVE}, S.SUSPENDED, apply=from_day, needs_reason=True),
    A.REINSTATE: dated_move(A.REINSTATE, {S.SUSPENDED}, S.ACTIVE, apply=from_day),
    A.LEAVE: dated_move(
        A.LEAVE, {S.ACTIVE, S.SUSPENDED}, S.LEFT, apply=leave_on_day, needs_reason=True
    ),
}


def _permit(actor: Any, expert: Expert, move: transitions.Move[Expert]) -> None:
    if not may_manage(actor, expert.pool):
        raise NotPermitted(E.NOT_PERMITTED, _("Only the pool's bureau changes its members."))


WORKFLOW: transitions.Workflow[Expert] = transitions.Workflow(
    name="expert",
    model=Expert,
    moves=MOVES,
    log=ExpertTransition,
    log_field="expert",
    scope=lambda actor, e: pools_visible(actor).filter(pk=e.pool_id).exists(),
    permit=_permit,
    messages=transitions.Messages(
        out_of_scope=gettext_lazy("This expert pool is not within your organisation."),
        not_allowed=gettext_lazy("Only the pool's bureau changes its members."),
        illegal=lambda status, move: (
            _("Not possible while the expert is “%(status)s”.") % {"status": S(status).label}
        ),
    ),
    record=status_recorder(EventType.EXPERT_STATUS_CHANGED),
    subject=lambda e: {"expert_id": e.pk, "pool_id": e.pool_id},
)


def expert_transition(
    *,
    actor: User,
    expert: Expert,
    action: str,
    reason: str = "",
    version: int | None = None,
    on: dt.date | str | None = None,
) -> Expert:
    """Suspend, reinstate or record the member leaving the pool, from a day."""
    return WORKFLOW.move(
        actor=actor,
        obj=expert,
        action=action,
        reason=reason,
        version=version,
        data={"on": on} if on else {},
    )


# --- consultations --------------------------------------------------------------------------


def _opinion_errors(
    opinion: str, answered_on: dt.date | None, asked_on: dt.date | None, followed: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if followed not in OpinionFollowed.values:
        errors["followed"] = [_("Choose one of the listed values.")]
    elif followed and not opinion.strip():
        errors["followed"] = [_("Record the opinion before saying whether it was followed.")]
    if answered_on is not None:
        if answered_on > timezone.localdate():
            errors["answered_on"] = [_("The day cannot be in the future.")]
        elif asked_on is not None and answered_on < asked_on:
            errors["answered_on"] = [_("The opinion cannot come before the question.")]
    return errors


def consultation_record(
    *,
    actor: User,
    case: Case,
    expert_id: int | None,
    question: str,
    asked_on: dt.date | None,
    opinion: str = "",
    answered_on: dt.date | None = None,
    followed: str = "",
) -> Consultation:
    """Record that the case's mediator asked a pool member; the opinion may come now or later."""
    if not may_consult(actor, case):
        raise NotPermitted(
            E.NOT_PERMITTED, _("Only the committee handling the case records consultations.")
        )
    errors: dict[str, list[str]] = {}
    expert = (
        Expert.objects.filter(pk=expert_id, pool__in=pools_for_case(case)).first()
        if expert_id is not None
        else None
    )
    if expert is None:
        errors["expert_id"] = [
            _(
                "This expert is not in a pool your committee may consult on this case (a pool"
                " kept by a bureau above the committee, for the case's dispute type)."
            )
        ]
    elif expert.status != S.ACTIVE:
        errors["expert_id"] = [
            _("This expert is “%(status)s” in the pool and cannot be consulted.")
            % {"status": S(expert.status).label}
        ]
    if not question.strip():
        errors["question"] = [_("Write down the question put to the expert.")]
    if asked_on is None:
        errors["asked_on"] = [_("Enter the day the expert was asked.")]
    elif asked_on > timezone.localdate():
        errors["asked_on"] = [_("The day cannot be in the future.")]
    if opinion.strip() and answered_on is None:
        answered_on = asked_on
    errors.update(_opinion_errors(opinion, answered_on, asked_on, followed))
    if errors or expert is None or asked_on is None:
        raise _invalid(errors)
    with transaction.atomic():
        row = Consultation.objects.create(
            case=case,
            expert=expert,
            asked_on=asked_on,
            question=question.strip(),
            opinion=opinion.strip(),
            answered_on=answered_on if opinion.strip() else None,
            followed=followed,
            recorded_by=actor,
        )
        audit.record(
            EventType.EXPERT_CONSULTED,
            actor=actor,
            obj=row,
            organisation=case.committee,
            after={
                "case": case.pk,
                "expert": expert.pk,
                "asked_on": asked_on.isoformat(),
                "answered": bool(row.opinion),
                "followed": followed,
            },
        )
    return row


def consultation_answer(
    *,
    actor: User,
    consultation: Consultation,
    opinion: str,
    answered_on: dt.date | None,
    followed: str = "",
    version: int | None = None,
) -> Consultation:
    """Record (or correct) the expert's opinion and whether the mediation followed it."""
    if not may_consult(actor, consultation.case):
        raise NotPermitted(
            E.NOT_PERMITTED, _("Only the committee handling the case records consultations.")
        )
    errors: dict[str, list[str]] = {}
    if not opinion.strip():
        errors["opinion"] = [_("Write down the expert's opinion.")]
    errors.update(
        _opinion_errors(
            opinion, answered_on or consultation.asked_on, consultation.asked_on, followed
        )
    )
    if errors:
        raise _invalid(errors)
    with transaction.atomic():
        row = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if version is not None and row.version != version:
            raise Conflict(
                E.STALE_VERSION,
                _("Someone changed this consultation meanwhile: reload the page and try again."),
            )
        before = {"answered": bool(row.opinion), "followed": row.followed}
        row.opinion = opinion.strip()
        row.answered_on = answered_on or row.answered_on or row.asked_on
        row.followed = followed
        row.version += 1
        row.save()
        audit.record(
            EventType.EXPERT_OPINION_RECORDED,
            actor=actor,
            obj=row,
            organisation=consultation.case.committee,
            before=before,
            after={"case": row.case_id, "answered": True, "followed": followed},
        )
    return row


def consultations_of(case: Case) -> QuerySet[Consultation]:
    return Consultation.objects.filter(case=case).select_related("expert__pool", "recorded_by")
