"""Writes to the registry: register a mediator, edit them, their memberships, the grade
ladder, and the audited reading of their personal data. Every write checks, then writes and
records its audit event in one transaction; a refusal changes nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.choices import Gender
from tiaojie.cases.models import DisputeType
from tiaojie.core import bulk
from tiaojie.core.crypto import blind_index_candidates, refresh_blind_indexes
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.core.validators import (
    id_number_birth_date,
    id_number_gender,
    normalise_id_number,
    normalise_phone,
    validate_id_number,
    validate_mobile_or_phone,
)
from tiaojie.mediators import selectors
from tiaojie.mediators.choices import (
    Education,
    Employment,
    MediatorStatus,
    MembershipRole,
    PoliticalStatus,
    Source,
)
from tiaojie.mediators.error_codes import MediatorsErrorCode as E
from tiaojie.mediators.models import Grade, Mediator, Membership
from tiaojie.mediators.rules import may_configure_ladder, mediator_policy
from tiaojie.organisations.choices import OrganisationKind

if TYPE_CHECKING:
    from tiaojie.accounts.models import User
    from tiaojie.organisations.models import Organisation

PERSONAL_FIELDS = ("id_number", "phone", "address")
# What the trail keeps of a change: codes and ids, never the personal data itself.
AUDITED_FIELDS = [
    "name",
    "employment",
    "source",
    "education",
    "political_status",
    "certificate_number",
    "certified",
    "grade",
    "user",
    "joined_on",
]


@dataclass
class MediatorData:
    """What a form, the API or an import row says about a mediator."""

    name: str
    id_number: str
    employment: str
    phone: str = ""
    address: str = ""
    source: str = Source.OTHER
    education: str = ""
    political_status: str = ""
    certificate_number: str = ""
    certified: bool = False
    grade_id: int | None = None
    expertise: list[DisputeType] = field(default_factory=list)
    joined_on: dt.date | None = None
    user_id: int | None = None


def _validation(function: Any, value: str, name: str, errors: dict[str, list[str]]) -> None:
    try:
        function(value)
    except ValidationError as exc:
        errors.setdefault(name, []).extend(exc.messages)


def clean(data: MediatorData) -> tuple[MediatorData, dict[str, list[str]]]:
    """Normalise and check what needs no database; errors keyed by field."""
    errors: dict[str, list[str]] = {}
    data = dataclasses.replace(
        data,
        name=data.name.strip(),
        id_number=normalise_id_number(data.id_number) if data.id_number.strip() else "",
        phone=normalise_phone(data.phone) if data.phone.strip() else "",
        address=data.address.strip(),
        certificate_number=data.certificate_number.strip(),
    )
    if not data.name:
        errors.setdefault("name", []).append(_("Enter the mediator's name."))
    if not data.id_number:
        errors.setdefault("id_number", []).append(
            _("Enter the ID number: it tells one person from another across committees.")
        )
    else:
        _validation(validate_id_number, data.id_number, "id_number", errors)
    if data.phone:
        _validation(validate_mobile_or_phone, data.phone, "phone", errors)
    for name, enum, blank in (
        ("employment", Employment, False),
        ("source", Source, False),
        ("education", Education, True),
        ("political_status", PoliticalStatus, True),
    ):
        value = getattr(data, name)
        if (value or not blank) and value not in enum.values:
            errors.setdefault(name, []).append(_("Choose one of the listed values."))
    if data.certified and not data.certificate_number:
        errors.setdefault("certificate_number", []).append(
            _("A certified mediator (持证上岗) has a certificate number: enter it.")
        )
    if data.joined_on is not None and data.joined_on > timezone.localdate():
        errors.setdefault("joined_on", []).append(_("The day joined cannot be in the future."))
    return data, errors


def _check_grade(
    grade_id: int | None,
    committees: list[Organisation],
    errors: dict[str, list[str]],
    ladder_of: Callable[[Organisation], list[Grade]] = selectors.ladder_for,
) -> Grade | None:
    if grade_id is None:
        return None
    ladder = {g.pk: g for c in committees for g in ladder_of(c)}
    grade = ladder.get(grade_id)
    if grade is None:
        names = "、".join(sorted({g.name for g in ladder.values()}, key=str)) or _("none")
        errors.setdefault("grade", []).append(
            _("This grade is not on the bureau's grade ladder (its grades: %(names)s).")
            % {"names": names}
        )
    return grade


def _check_user(
    user_id: int | None, mediator: Mediator | None, errors: dict[str, list[str]]
) -> None:
    if user_id is None:
        return
    taken = Mediator.objects.filter(user_id=user_id)
    if mediator is not None:
        taken = taken.exclude(pk=mediator.pk)
    if taken.exists():
        errors.setdefault("user", []).append(
            _("This account is already linked to another mediator.")
        )


def find_person(id_number: str) -> Mediator | None:
    """The registered mediator with this ID number, if any (whatever the key it was indexed
    under)."""
    indexes = blind_index_candidates(normalise_id_number(id_number), purpose="mediator.id_number")
    return Mediator.objects.filter(id_number_index__in=indexes).first()


def find_people(id_numbers: Iterable[str]) -> dict[str, Mediator]:
    """``find_person`` for many ID numbers in few queries (an import's): the registered
    mediator of each normalised number that has one."""
    wanted: dict[str, str] = {}
    for number in {normalise_id_number(n) for n in id_numbers if n.strip()}:
        for index in blind_index_candidates(number, purpose="mediator.id_number"):
            wanted[index] = number
    found: dict[str, Mediator] = {}
    indexes = list(wanted)
    for start in range(0, len(indexes), 1000):
        for mediator in Mediator.objects.filter(id_number_index__in=indexes[start : start + 1000]):
            found.setdefault(wanted[mediator.id_number_index], mediator)
    return found


def _duplicate_message(existing: Mediator, actor: User) -> str:
    if mediator_policy.allows(actor, Capability.MEDIATOR_VIEW, existing):
        committees = "、".join(m.committee.name for m in selectors.same_person(existing)[:3])
        return _(
            "This person is already registered (%(name)s, %(committees)s): add the committee "
            "to their record instead of registering them again."
        ) % {"name": existing.name, "committees": committees}
    return _(
        "This person is already registered as a mediator by another committee; ask its "
        "justice office to add your committee to their record."
    )


def _fill_from_id(mediator: Mediator) -> None:
    mediator.birth_date = id_number_birth_date(mediator.id_number)
    male = id_number_gender(mediator.id_number) == "male"
    mediator.gender = Gender.MALE if male else Gender.FEMALE


def require_manage(actor: User) -> None:
    if not actor.can(Capability.MEDIATOR_MANAGE):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not change the mediator roster."))


def _require_committee(actor: User, committee: Organisation) -> None:
    if (
        committee.kind != OrganisationKind.COMMITTEE
        or not committee.path.startswith(actor.organisation.path)
        or not selectors.committees_in_scope(actor).filter(pk=committee.pk).exists()
    ):
        raise ValidationFailed(
            E.COMMITTEE_OUT_OF_SCOPE,
            _("Choose an active committee within your organisation."),
            fields={"committee": [_("Choose an active committee within your organisation.")]},
        )


def validate_for_register(
    actor: User,
    data: MediatorData,
    committee: Organisation,
    *,
    ladder_of: Callable[[Organisation], list[Grade]] = selectors.ladder_for,
    registered: Mapping[str, Mediator] | None = None,
) -> tuple[MediatorData, Grade | None, dict[str, list[str]]]:
    """Everything ``mediator_register`` checks, without writing (the import checks every row
    with it before writing any, giving the ladders it read once and the people already
    registered among its rows, ``find_people``, so that a row costs no query)."""
    data, errors = clean(data)
    grade = _check_grade(data.grade_id, [committee], errors, ladder_of)
    _check_user(data.user_id, None, errors)
    if "id_number" not in errors:
        existing = (
            find_person(data.id_number) if registered is None else registered.get(data.id_number)
        )
        if existing is not None:
            errors.setdefault("id_number", []).append(_duplicate_message(existing, actor))
    return data, grade, errors


@dataclass(frozen=True)
class NewMediator:
    """A checked person to register, with their first committee."""

    data: MediatorData
    grade: Grade | None
    committee: Organisation
    role: str


def write_new(
    actor: User,
    data: MediatorData,
    grade: Grade | None,
    committee: Organisation,
    role: str,
) -> Mediator:
    return write_many(actor, [NewMediator(data, grade, committee, role)])[0]


def write_many(actor: User, people: list[NewMediator]) -> list[Mediator]:
    """Register checked people, each with their first membership and audit event, inserted in
    bulk (one person from the form, ten thousand from a roster: the same rows either way).
    Inside the caller's transaction."""
    today = timezone.localdate()
    mediators: list[Mediator] = []
    for person in people:
        data = person.data
        mediator = Mediator(
            name=data.name,
            id_number=data.id_number,
            phone=data.phone,
            address=data.address,
            employment=data.employment,
            source=data.source,
            education=data.education,
            political_status=data.political_status,
            certificate_number=data.certificate_number,
            certified=data.certified,
            grade=person.grade,
            user_id=data.user_id,
            joined_on=data.joined_on or today,
            status_since=data.joined_on or today,
        )
        _fill_from_id(mediator)
        refresh_blind_indexes(mediator)
        mediators.append(mediator)
    bulk.insert(Mediator, mediators)
    expertise = Mediator.expertise.through
    bulk.insert(
        expertise,
        [
            expertise(mediator_id=mediator.pk, disputetype_id=dispute_type.pk)
            for mediator, person in zip(mediators, people, strict=True)
            for dispute_type in dict.fromkeys(person.data.expertise)
        ],
    )
    bulk.insert(
        Membership,
        [
            Membership(
                mediator=mediator,
                committee=person.committee,
                role=person.role,
                since=mediator.joined_on,
            )
            for mediator, person in zip(mediators, people, strict=True)
        ],
    )
    audit.record_many(
        [
            audit.build(
                EventType.MEDIATOR_REGISTERED,
                actor=actor,
                organisation=person.committee,
                obj=mediator,
                after={
                    **audit.snapshot(mediator, AUDITED_FIELDS),
                    "committee": person.committee.pk,
                },
            )
            for mediator, person in zip(mediators, people, strict=True)
        ]
    )
    return mediators


def mediator_register(
    *,
    actor: User,
    data: MediatorData,
    committee: Organisation,
    role: str = MembershipRole.MEMBER,
) -> Mediator:
    """Register a person as a mediator of ``committee``; refused if the ID number is already
    registered (the same person in a second committee is a membership, not a new mediator)."""
    require_manage(actor)
    _require_committee(actor, committee)
    if role not in MembershipRole.values:
        raise ValidationFailed(
            E.INVALID, _("Choose a role."), fields={"role": [_("Choose a role.")]}
        )
    data, grade, errors = validate_for_register(actor, data, committee)
    if errors:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    with transaction.atomic():
        return write_new(actor, data, grade, committee, role)


def mediator_update(
    *, actor: User, mediator: Mediator, data: MediatorData, version: int
) -> Mediator:
    """Change a mediator's record; refused if someone else changed it since ``version``."""
    require_manage(actor)
    data, errors = clean(data)
    committees = [m.committee for m in mediator.memberships.filter(until__isnull=True)]
    grade = _check_grade(data.grade_id, committees, errors)
    _check_user(data.user_id, mediator, errors)
    if "id_number" not in errors:
        existing = find_person(data.id_number)
        if existing is not None and existing.pk != mediator.pk:
            errors.setdefault("id_number", []).append(_duplicate_message(existing, actor))
    if errors:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    with transaction.atomic():
        locked = Mediator.objects.select_for_update().get(pk=mediator.pk)
        if locked.version != version:
            raise Conflict(
                E.STALE_VERSION,
                _("Someone else changed this mediator while you were editing. Reload to see it."),
            )
        before = audit.snapshot(locked, AUDITED_FIELDS)
        personal_before = {n: getattr(locked, n) for n in PERSONAL_FIELDS}
        for name in (
            "name",
            "id_number",
            "phone",
            "address",
            "employment",
            "source",
            "education",
            "political_status",
            "certificate_number",
            "certified",
        ):
            setattr(locked, name, getattr(data, name))
        locked.grade = grade
        locked.user_id = data.user_id
        if data.joined_on is not None:
            locked.joined_on = data.joined_on
        _fill_from_id(locked)
        refresh_blind_indexes(locked)
        locked.version += 1
        locked.save()
        locked.expertise.set(data.expertise)
        old, new = audit.changed(before, audit.snapshot(locked, AUDITED_FIELDS))
        # Personal data changed is said by name only: the trail holds no ID numbers.
        touched = [n for n in PERSONAL_FIELDS if getattr(locked, n) != personal_before[n]]
        if touched:
            new["personal_data_changed"] = touched
        audit.record(EventType.MEDIATOR_UPDATED, actor=actor, obj=locked, before=old, after=new)
    return locked


def membership_add(
    *,
    actor: User,
    mediator: Mediator,
    committee: Organisation,
    role: str,
    since: dt.date | None = None,
) -> Membership:
    """Add a committee to a mediator's record (a person serving in a second committee)."""
    require_manage(actor)
    _require_committee(actor, committee)
    if role not in MembershipRole.values:
        raise ValidationFailed(
            E.INVALID, _("Choose a role."), fields={"role": [_("Choose a role.")]}
        )
    if mediator.memberships.filter(committee=committee, until__isnull=True).exists():
        raise Conflict(E.MEMBERSHIP_EXISTS, _("The mediator already serves in this committee."))
    with transaction.atomic():
        membership = Membership.objects.create(
            mediator=mediator,
            committee=committee,
            role=role,
            since=since or timezone.localdate(),
        )
        audit.record(
            EventType.MEMBERSHIP_ADDED,
            actor=actor,
            organisation=committee,
            obj=mediator,
            after={"committee": committee.pk, "role": role},
        )
    return membership


def membership_end(
    *, actor: User, membership: Membership, until: dt.date | None = None
) -> Membership:
    """A mediator stops serving in one committee (their record and other places stay)."""
    require_manage(actor)
    if not membership.committee.path.startswith(actor.organisation.path):
        raise NotPermitted(E.NOT_PERMITTED, _("The committee is not within your organisation."))
    if membership.until is not None:
        raise Conflict(E.MEMBERSHIP_ENDED, _("This membership has already ended."))
    day = until or timezone.localdate()
    if day < membership.since:
        raise ValidationFailed(
            E.INVALID,
            _("The end cannot be before the start."),
            fields={"until": [_("The end cannot be before the start.")]},
        )
    with transaction.atomic():
        membership.until = day
        membership.save(update_fields=["until"])
        audit.record(
            EventType.MEMBERSHIP_ENDED,
            actor=actor,
            organisation=membership.committee,
            obj=membership.mediator,
            after={"committee": membership.committee_id, "until": day},
        )
    return membership


def revealed(actor: User, mediator: Mediator) -> dict[str, str]:
    """A mediator's personal data in full, for a role that manages the roster; each view is
    one audit event."""
    if not actor.can(Capability.MEDIATOR_MANAGE):
        raise PermissionDenied
    values = {name: getattr(mediator, name) for name in PERSONAL_FIELDS}
    audit.record(
        EventType.PERSONAL_DATA_VIEWED,
        actor=actor,
        obj=mediator,
        after={"mediators": [mediator.pk], "fields": list(PERSONAL_FIELDS)},
    )
    return values


def ladder_set(*, actor: User, names: list[str]) -> list[Grade]:
    """Replace the grade ladder of the actor's bureau (lowest first). A grade some mediator
    holds cannot be removed."""
    if not may_configure_ladder(actor):
        raise NotPermitted(E.NOT_PERMITTED, _("Only a bureau's officers configure its grades."))
    bureau = actor.organisation
    cleaned = [n.strip() for n in names if n.strip()]
    errors: list[str] = []
    if len(set(cleaned)) != len(cleaned):
        errors.append(_("Each grade appears once."))
    if any(len(n) > 20 for n in cleaned):
        errors.append(_("A grade's name has at most 20 characters."))
    current = {g.name: g for g in Grade.objects.filter(bureau=bureau)}
    dropped = [g for n, g in current.items() if n not in cleaned]
    held = [g.name for g in dropped if g.mediators.exists()]
    if held:
        errors.append(
            _("Mediators hold the grade %(names)s: change their grade before removing it.")
            % {"names": "、".join(held)}
        )
    if errors:
        raise ValidationFailed(E.INVALID, errors[0], fields={"grades": errors})
    with transaction.atomic():
        before = [g.name for g in current.values()]
        for grade in dropped:
            grade.delete()
        # Kept grades move out of the way first: (bureau, rank) is unique.
        for grade in current.values():
            if grade.pk is not None and grade not in dropped:
                grade.rank += 1_000
                grade.save(update_fields=["rank"])
        grades = []
        for rank, name in enumerate(cleaned, start=1):
            grade = current.get(name) or Grade(bureau=bureau, name=name, rank=rank)
            grade.rank = rank
            grade.save()
            grades.append(grade)
        audit.record(
            EventType.GRADE_LADDER_CHANGED,
            actor=actor,
            organisation=bureau,
            before={"grades": before},
            after={"grades": cleaned},
        )
    return grades


def status_label(status: str) -> str:
    return str(MediatorStatus(status).label)
