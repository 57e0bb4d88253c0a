"""Registering a dispute as a case, editing it, and its parties."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability, Role
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases import numbering, search
from tiaojie.cases.choices import CaseSource, CaseStatus, Gender, PartyKind, PartyRole
from tiaojie.cases.error_codes import CasesErrorCode as E
from tiaojie.cases.models import Case, DisputeType, Party
from tiaojie.cases.services.common import (
    bump,
    check_version,
    lock_case,
    require_status,
)
from tiaojie.core import events
from tiaojie.core.bulk import set_prefetched
from tiaojie.core.crypto import refresh_blind_indexes
from tiaojie.core.errors import NotPermitted, ValidationFailed
from tiaojie.core.fonts import name_warnings
from tiaojie.core.transitions import moment_on
from tiaojie.core.validators import (
    id_number_facts,
    normalise_id_number,
    normalise_phone,
    normalise_uscc,
    validate_mobile_or_phone,
    validate_uscc,
)
from tiaojie.organisations.choices import OrganisationKind, OrganisationStatus
from tiaojie.organisations.models import Organisation
from tiaojie.organisations.selectors import centre_for

if TYPE_CHECKING:
    from tiaojie.accounts.models import User
    from tiaojie.audit.models import AuditEvent

CASE_FIELDS = [
    "dispute_type",
    "source",
    "referral_body",
    "referral_reference",
    "summary",
    "narrative",
    "requests",
    "amount",
    "people_involved",
    "is_complex",
    "is_group",
    "risk_notes",
    "is_public",
]
# The audit trail is read by the audit administrator, who must not read case contents
# (三员分立): it records the values of these descriptive fields only, and of the facts, the
# requests and the parties only which fields changed.
AUDITED_VALUES = [
    "dispute_type",
    "source",
    "amount",
    "people_involved",
    "is_complex",
    "is_group",
    "is_public",
]
PARTY_FIELDS = [
    "role",
    "kind",
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "occupation",
    "credit_code",
    "legal_representative",
    "agent_name",
    "agent_authority",
    "residence_id",
]


@dataclass
class PartyData:
    role: str
    name: str
    kind: str = PartyKind.PERSON
    gender: str = ""
    ethnicity: str = ""
    birth_date: dt.date | None = None
    occupation: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""
    credit_code: str = ""
    legal_representative: str = ""
    agent_name: str = ""
    agent_phone: str = ""
    agent_authority: str = ""
    residence_id: int | None = None  # the community (committee or grid) the party lives in


@dataclass
class CaseData:
    dispute_type: DisputeType
    source: str
    summary: str
    narrative: str = ""
    requests: str = ""
    referral_body: str = ""
    referral_reference: str = ""
    amount: Decimal | None = None
    people_involved: int = 2
    is_complex: bool = False
    is_group: bool = False
    risk_notes: str = ""
    is_public: bool = False
    parties: list[PartyData] = field(default_factory=list)


def committee_for(actor: User) -> Organisation:
    """The committee the actor works for: their committee, or for a grid worker the committee
    their grid belongs to."""
    org = actor.organisation
    if actor.role == Role.GRID_WORKER and org.parent is not None:
        org = org.parent
    if org.kind != OrganisationKind.COMMITTEE or org.status != OrganisationStatus.ACTIVE:
        raise NotPermitted(E.NOT_PERMITTED, _("Only an active committee registers cases."))
    return org


def registers_at(actor: User, source: str = "") -> Organisation:
    """Where a dispute the actor registers lands: a governance centre's queue, or a committee.

    Committee staff register at their committee. A grid worker's report goes to the nearest
    governance centre that receives grid reports, else to the grid's committee. An officer of a
    governance centre registers into the centre's queue (统一受理).
    """
    if actor.role in (Role.OFFICE_OFFICER, Role.BUREAU_OFFICER):
        if has_intake(actor):
            return actor.organisation
        raise NotPermitted(
            E.NOT_PERMITTED, _("Only a committee or a governance centre registers disputes.")
        )
    committee = committee_for(actor)
    if actor.role == Role.GRID_WORKER:
        centre = centre_for(committee, source or CaseSource.GRID)
        if centre is not None and centre.status == OrganisationStatus.ACTIVE:
            return centre
    return committee


def has_intake(actor: User) -> bool:
    """Whether the actor's registrations land anywhere, without working out where (the menu
    asks on every page; ``registers_at`` looks up the governance centres above a grid)."""
    if actor.role in (Role.OFFICE_OFFICER, Role.BUREAU_OFFICER):
        org = actor.organisation
        return org.is_governance_centre and org.status == OrganisationStatus.ACTIVE
    try:
        committee_for(actor)
    except NotPermitted:
        return False
    return True


def party_name_warnings(parties: list[PartyData]) -> list[str]:
    """Warnings, never refusals, about names (of a party, its legal representative, its agent)
    with characters the printed documents cannot draw: the name is right as typed."""
    names = [
        name
        for party in parties
        for name in (party.name, party.legal_representative, party.agent_name)
        if name
    ]
    return name_warnings(names)


def _validation(
    function: object, value: str, field_name: str, errors: dict[str, list[str]]
) -> None:
    try:
        function(value)  # type: ignore[operator]
    except ValidationError as exc:
        errors.setdefault(field_name, []).extend(exc.messages)


# The choices' values, once (``Choices.values`` builds its list on every call).
_ROLES, _KINDS, _GENDERS = (frozenset(c.values) for c in (PartyRole, PartyKind, Gender))


def clean_party(data: PartyData, prefix: str = "") -> tuple[PartyData, dict[str, list[str]]]:
    """Normalise and check one party; errors keyed ``<prefix><field>``."""
    errors: dict[str, list[str]] = {}
    data = dataclasses.replace(
        data,
        name=data.name.strip(),
        id_number=normalise_id_number(data.id_number) if data.id_number else "",
        phone=normalise_phone(data.phone) if data.phone.strip() else "",
        agent_phone=normalise_phone(data.agent_phone) if data.agent_phone.strip() else "",
        credit_code=normalise_uscc(data.credit_code) if data.credit_code.strip() else "",
    )
    if data.role not in _ROLES:
        errors.setdefault(f"{prefix}role", []).append(_("Choose the party's role."))
    if data.kind not in _KINDS:
        errors.setdefault(f"{prefix}kind", []).append(_("Choose a person or an organisation."))
    if not data.name:
        errors.setdefault(f"{prefix}name", []).append(_("Enter the party's name."))
    if data.gender and data.gender not in _GENDERS:
        errors.setdefault(f"{prefix}gender", []).append(_("Choose a valid gender."))
    if data.id_number:
        try:  # checked once: a ledger checks ten thousand parties
            born, stated = id_number_facts(data.id_number)
        except ValidationError as exc:
            errors.setdefault(f"{prefix}id_number", []).extend(exc.messages)
        else:
            # The ID number states birth date and sex: fill them in, or catch a typo.
            sex = Gender.MALE if stated == "male" else Gender.FEMALE
            if data.birth_date and data.birth_date != born:
                errors.setdefault(f"{prefix}birth_date", []).append(
                    _("The birth date differs from the one in the ID number.")
                )
            if data.gender in (Gender.MALE, Gender.FEMALE) and data.gender != sex:
                errors.setdefault(f"{prefix}gender", []).append(
                    _("The gender differs from the one in the ID number.")
                )
            data = dataclasses.replace(data, birth_date=born, gender=sex)
    if data.phone:
        _validation(validate_mobile_or_phone, data.phone, f"{prefix}phone", errors)
    if data.agent_phone:
        _validation(validate_mobile_or_phone, data.agent_phone, f"{prefix}agent_phone", errors)
    if data.credit_code:
        _validation(validate_uscc, data.credit_code, f"{prefix}credit_code", errors)
    if data.residence_id is not None and not (
        Organisation.objects.filter(
            pk=data.residence_id,
            kind__in=[OrganisationKind.COMMITTEE, OrganisationKind.GRID],
        ).exists()
    ):
        errors.setdefault(f"{prefix}residence", []).append(_("Choose the community from the list."))
    if data.kind == PartyKind.ORGANISATION and (data.id_number or data.gender):
        errors.setdefault(f"{prefix}kind", []).append(
            _("An organisation has no ID number or gender.")
        )
    return data, errors


def _check_case(
    data: CaseData,
    errors: dict[str, list[str]],
    keep_type_id: int | None = None,
    on: dt.date | None = None,
) -> None:
    """``keep_type_id``: a case may keep the type it was filed under after the type retires.
    ``on``: the day the type must be valid on (today, or a historical registration date)."""
    day = on or timezone.localdate()
    # The type was read by the caller in this request (form or API): checked as held.
    if data.dispute_type.pk != keep_type_id and not data.dispute_type.is_valid_on(day):
        errors.setdefault("dispute_type", []).append(_("This dispute type is no longer in use."))
    if data.source not in CaseSource.values:
        errors.setdefault("source", []).append(_("Choose where the dispute came from."))
    if not data.summary.strip():
        errors.setdefault("summary", []).append(_("Describe the dispute in a sentence."))
    if data.amount is not None and data.amount < 0:
        errors.setdefault("amount", []).append(_("The amount cannot be negative."))
    if data.people_involved < 1:
        errors.setdefault("people_involved", []).append(_("At least one person is involved."))


def _search_text(case: Case, names: list[str]) -> str:
    return search.index_text([case.summary, case.narrative, case.requests, *names])


@transaction.atomic
def case_register(
    *,
    actor: User,
    data: CaseData,
    registered_at: dt.datetime | None = None,
    on: dt.date | None = None,
) -> Case:
    """Register a dispute at the actor's committee with its parties, and number it.

    ``registered_at`` is for the import of historical ledgers only (``cases.ledger_import``),
    never for pages or the API: the case keeps the date it was registered on, its dispute type
    must have been in use on that day, and it takes the next number of that year's sequence,
    so a case registered in 2024 gets a 2024 number. It cannot be in the future. ``on``: the
    same for a day (at this time of day), as ``core.transitions`` moves take it (the demo).
    """
    if on is not None:
        registered_at = moment_on(on, "registered_at")
    if not actor.can(Capability.CASE_REGISTER):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not register cases."))
    holder = registers_at(actor, data.source)
    return _register(holder=holder, data=data, actor=actor, registered_at=registered_at)


def online_holder(committee: Organisation | None, centre: Organisation | None) -> Organisation:
    """Where an online application lands (ADR 0008): the governance centre the applicant
    chose, else the nearest centre above the chosen committee that takes online applications
    (``centre_channels``), else the committee itself."""
    if centre is not None:
        if (
            centre.is_governance_centre
            and CaseSource.ONLINE in (centre.centre_channels or [])
            and centre.status == OrganisationStatus.ACTIVE
        ):
            return centre
        message = _("This centre takes no online applications.")
        raise ValidationFailed(E.INVALID, message, fields={"centre": [message]})
    if (
        committee is None
        or committee.kind != OrganisationKind.COMMITTEE
        or committee.status != OrganisationStatus.ACTIVE
    ):
        message = _("Choose a committee from the directory, or let the centre decide.")
        raise ValidationFailed(E.INVALID, message, fields={"committee": [message]})
    found = centre_for(committee, CaseSource.ONLINE)
    if found is not None and found.status == OrganisationStatus.ACTIVE:
        return found
    return committee


@transaction.atomic
def case_apply_online(
    *, data: CaseData, committee: Organisation | None, centre: Organisation | None = None
) -> Case:
    """Register a citizen's online application (source ``online``) with the same checks as
    staff intake. Nobody on the staff registered it: ``registered_by`` stays empty, and the
    audit entry has no actor (the citizen is no staff account; ``tiaojie.public`` records who
    applied in its own trail)."""
    if data.source != CaseSource.ONLINE:
        message = _("Choose where the dispute came from.")
        raise ValidationFailed(E.INVALID, message, fields={"source": [message]})
    if committee is not None and (
        committee.kind != OrganisationKind.COMMITTEE
        or committee.status != OrganisationStatus.ACTIVE
    ):
        message = _("Choose a committee from the directory, or let the centre decide.")
        raise ValidationFailed(E.INVALID, message, fields={"committee": [message]})
    holder = online_holder(committee, centre)
    # The committee asked for is kept as data (ADR 0041), also when the case lands there;
    # routing checks it against the centre's reach, so a wish beside a centre is kept too.
    return _register(holder=holder, data=data, actor=None, registered_at=None, wished=committee)


def _register(
    *,
    holder: Organisation,
    data: CaseData,
    actor: User | None,
    registered_at: dt.datetime | None,
    wished: Organisation | None = None,
) -> Case:
    queued = holder.kind != OrganisationKind.COMMITTEE
    now = timezone.now()
    if registered_at is not None and registered_at > now:
        message = _("The date cannot be in the future.")
        raise ValidationFailed(E.INVALID, message, fields={"registered_at": [message]})
    when = registered_at or now
    errors: dict[str, list[str]] = {}
    _check_case(data, errors, on=timezone.localdate(when))
    cleaned: list[PartyData] = []
    for index, party in enumerate(data.parties):
        clean, party_errors = clean_party(party, prefix=f"parties.{index}.")
        cleaned.append(clean)
        errors.update(party_errors)
    roles = {p.role for p in cleaned}
    if PartyRole.APPLICANT not in roles or PartyRole.RESPONDENT not in roles:
        errors.setdefault("parties", []).append(
            _("A dispute needs at least one applicant and one respondent.")
        )
    if errors:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    year = timezone.localdate(when).year
    sequence = numbering.next_sequence(holder, year)
    values = {name: getattr(data, name) for name in CASE_FIELDS}
    values["summary"] = data.summary.strip()
    number = (
        numbering.format_receipt(holder, year, sequence)
        if queued
        else numbering.format_number(holder, year, sequence)
    )
    # The tokens go in with the row: no second write of a case just inserted.
    values["search_tokens"] = search.index_text(
        [values["summary"], data.narrative, data.requests, *(p.name for p in cleaned)]
    )
    case = Case.objects.create(
        number=number,
        year=year,
        sequence=sequence,
        committee=holder,
        committee_path=holder.path,
        status=CaseStatus.QUEUED if queued else CaseStatus.REGISTERED,
        centre=holder if queued else None,
        intake_number=number if queued else "",
        wished_committee=wished,
        registered_by=actor,
        registered_at=when,
        **values,
    )
    # One INSERT for all the parties (their ids come back on PostgreSQL and SQLite alike).
    parties = Party.objects.bulk_create([party_row(case, party) for party in cleaned])
    # The answer shows the parties just written: keep them, rather than read them back.
    set_prefetched(case, "parties", parties)
    registered_audit(actor, case, len(cleaned)).save()
    events.publish("case.registered", registered_payload(actor, case))
    return case


def registered_audit(
    actor: User | None, case: Case, parties: int, status: str | None = None
) -> AuditEvent:
    """The audit event of a registration, unsaved (the ledger import inserts many at once,
    with ``status`` the one the case was registered in, before its later moves)."""
    return audit.build(
        EventType.CASE_REGISTERED,
        actor=actor,
        organisation=case.committee,
        obj=case,
        after=registered_after(case, parties, status),
    )


def registered_after(case: Case, parties: int, status: str | None = None) -> dict[str, Any]:
    """What a registration's audit event records after (``registered_audit``'s, which the
    ledger import builds as a plain row)."""
    return {
        **audit.snapshot(case, AUDITED_VALUES),
        "parties": parties,
        "status": status or case.status,
    }


def registered_payload(
    actor: User | None, case: Case, status: str | None = None
) -> dict[str, object]:
    """The ``case.registered`` event of a case (``status``: as in ``registered_audit``)."""
    return {
        "case_id": case.pk,
        "committee_id": case.committee_id,
        "status": status or case.status,
        "registered_at": case.registered_at,
        "actor_id": actor.pk if actor else None,
    }


def party_row(case: Case, data: PartyData, party: Party | None = None) -> Party:
    """The party with ``data`` and its blind indexes set, not saved yet."""
    party = party or Party(case=case)
    # The fields one by one, not ``dataclasses.asdict``: its deep copy of every value was a
    # fifth of building a ledger's cases, and the values are plain.
    for item in dataclasses.fields(data):
        setattr(party, item.name, getattr(data, item.name))
    refresh_blind_indexes(party)
    return party


def _save_party(case: Case, data: PartyData, party: Party | None = None) -> Party:
    party = party_row(case, data, party)
    party.save()
    return party


@transaction.atomic
def case_update(*, actor: User, case: Case, data: CaseData, version: int) -> Case:
    """Correct what was registered; refused once the case has ended."""
    locked = lock_case(actor, case)
    check_version(locked, version)
    require_status(
        locked,
        CaseStatus.QUEUED,
        CaseStatus.REGISTERED,
        CaseStatus.ACCEPTED,
        CaseStatus.IN_MEDIATION,
    )
    errors: dict[str, list[str]] = {}
    _check_case(data, errors, keep_type_id=locked.dispute_type_id)
    if errors:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    before = audit.snapshot(locked, CASE_FIELDS)
    for name in CASE_FIELDS:
        setattr(locked, name, getattr(data, name))
    locked.summary = data.summary.strip()
    locked.search_tokens = _search_text(locked, list(locked.parties.values_list("name", flat=True)))
    locked.version += 1
    locked.save()
    b, a = audit.changed(before, audit.snapshot(locked, CASE_FIELDS))
    audit.record(
        EventType.CASE_UPDATED,
        actor=actor,
        organisation=locked.committee,
        obj=locked,
        before={k: v for k, v in b.items() if k in AUDITED_VALUES},
        after={
            **{k: v for k, v in a.items() if k in AUDITED_VALUES},
            "changed_fields": sorted(a),
        },
    )
    events.publish(
        "case.updated",
        {"case_id": locked.pk, "committee_id": locked.committee_id, "what": "details"},
    )
    return locked


@transaction.atomic
def party_add(*, actor: User, case: Case, data: PartyData, version: int | None = None) -> Party:
    locked = lock_case(actor, case)
    check_version(locked, version)
    require_status(
        locked,
        CaseStatus.QUEUED,
        CaseStatus.REGISTERED,
        CaseStatus.ACCEPTED,
        CaseStatus.IN_MEDIATION,
    )
    clean, errors = clean_party(data)
    if errors:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    party = _save_party(locked, clean)
    locked.search_tokens = _search_text(locked, list(locked.parties.values_list("name", flat=True)))
    locked.save(update_fields=["search_tokens"])
    bump(locked)
    audit.record(
        EventType.PARTY_ADDED,
        actor=actor,
        organisation=locked.committee,
        obj=party,
        after={"role": party.role, "kind": party.kind},
    )
    return party


@transaction.atomic
def party_update(
    *, actor: User, party: Party, data: PartyData, version: int | None = None
) -> Party:
    locked = lock_case(actor, party.case)
    check_version(locked, version)
    require_status(
        locked,
        CaseStatus.QUEUED,
        CaseStatus.REGISTERED,
        CaseStatus.ACCEPTED,
        CaseStatus.IN_MEDIATION,
    )
    clean, errors = clean_party(data)
    if errors:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    before = audit.snapshot(party, PARTY_FIELDS)
    # Personal data changes are recorded as changed, never with their values.
    pii_changed = [
        name
        for name in ("id_number", "phone", "address", "agent_phone")
        if getattr(party, name) != getattr(clean, name)
    ]
    party = _save_party(locked, clean, party)
    locked.search_tokens = _search_text(locked, list(locked.parties.values_list("name", flat=True)))
    locked.save(update_fields=["search_tokens"])
    bump(locked)
    _b, a = audit.changed(before, audit.snapshot(party, PARTY_FIELDS))
    audit.record(
        EventType.PARTY_UPDATED,
        actor=actor,
        organisation=locked.committee,
        obj=party,
        # Which fields changed, never their values (names and personal data are case contents).
        after={"changed_fields": sorted(a), "personal_data_changed": pii_changed},
    )
    return party
