"""Personal-information rights (个人信息保护法, PIPL) over the parties of cases (issue 16).

* **Access request** (art. 45): given an ID number, everything held on that person — every
  party row with that number (blind-index lookup) in the cases the requester may read, the
  cases' facts, and the audit entries about those parties and cases — as one JSON file.
  Audited (event 920), with the number of parties and cases, never the ID number.
* **Anonymisation after retention** (art. 19, 47): parties of cases archived more than
  ``TIAOJIE_RETENTION_YEARS`` ago lose their personal data: names become 某某, ID numbers,
  phones, addresses, birth dates and agents' phones are cleared, and so are the blind
  indexes; the names are also replaced in the case's free text. Idempotent (a party already
  anonymised is not counted again), audited per case (event 921), with a dry run.

Who: the web page is for roles with ``PERSONAL_INFO_REQUEST`` (the committee director, who
already sees parties in full), scoped to their subtree; the command line (``actor=None``) is
for the security administrator with server access. No administrator gets a page that finds
a person by ID number: that would undo the three-admin separation (decision 4).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases import search
from tiaojie.cases.choices import CaseStatus, PartyKind
from tiaojie.cases.models import Case, Party
from tiaojie.cases.selectors import cases_for
from tiaojie.core.crypto import blind_index_candidates

ANONYMOUS = "某某"
# Case text that may name a party; the names in it are replaced too.
CASE_TEXT_FIELDS = ("summary", "narrative", "requests", "risk_notes")
PERSONAL_FIELDS = ("id_number", "phone", "address", "agent_phone")


def _parties_with(id_number: str, actor: User | None) -> QuerySet[Party]:
    indexes = blind_index_candidates(id_number, purpose="party.id_number")
    parties = Party.objects.filter(id_number_index__in=indexes)
    if actor is not None:
        parties = parties.filter(case__in=cases_for(actor))
    return parties.select_related("case", "case__committee").order_by("case__registered_at", "id")


def _party_row(party: Party) -> dict[str, Any]:
    case = party.case
    return {
        "case": {
            "number": case.number,
            "status": case.get_status_display(),
            "committee": case.committee.name,
            "registered_at": case.registered_at.isoformat() if case.registered_at else None,
            "archived_on": case.archived_on.isoformat() if case.archived_on else None,
            "summary": case.summary,
            "narrative": case.narrative,
            "requests": case.requests,
        },
        "role": party.get_role_display(),
        "kind": party.get_kind_display(),
        "name": party.name,
        "gender": party.get_gender_display(),
        "ethnicity": party.ethnicity,
        "birth_date": party.birth_date.isoformat() if party.birth_date else None,
        "occupation": party.occupation,
        "id_number": party.id_number,
        "phone": party.phone,
        "address": party.address,
        "agent_name": party.agent_name,
        "agent_phone": party.agent_phone,
        "recorded_at": party.created_at.isoformat(),
    }


def _event_row(event: AuditEvent) -> dict[str, Any]:
    try:
        label = str(EventType(event.event_type).label)
    except ValueError:
        label = str(event.event_type)
    return {
        "time": event.occurred_at.isoformat(),
        "event": label,
        "by": event.actor_name or event.actor_username or "",
        "role": event.actor_role,
        "object": event.object_repr,
    }


@dataclass(frozen=True)
class PersonExport:
    parties: int
    cases: int
    content: dict[str, Any]


@transaction.atomic
def export_person(*, actor: User | None, id_number: str, reason: str) -> PersonExport:
    """Everything held on the person with ``id_number`` that ``actor`` may read (all of it
    from the command line). The request is audited without the number itself."""
    if actor is not None and not actor.can(Capability.PERSONAL_INFO_REQUEST):
        raise PermissionError("not permitted")
    parties = list(_parties_with(id_number, actor))
    case_ids = {str(p.case_id) for p in parties}
    party_ids = {str(p.pk) for p in parties}
    events = AuditEvent.objects.filter(
        Q(object_type="cases.case", object_id__in=case_ids)
        | Q(object_type="cases.party", object_id__in=party_ids)
    ).order_by("occurred_at", "id")
    content = {
        "generated_at": timezone.localtime().isoformat(),
        "generated_by": actor.username if actor is not None else "manage.py",
        "reason": reason,
        "parties": [_party_row(p) for p in parties],
        "processing": [_event_row(e) for e in events] if parties else [],
    }
    audit.record(
        EventType.PERSONAL_DATA_REQUEST_EXPORTED,
        actor=actor,
        reason=reason,
        after={"parties": len(parties), "cases": len(case_ids)},
    )
    return PersonExport(parties=len(parties), cases=len(case_ids), content=content)


def retention_cutoff(today: dt.date | None = None) -> dt.date:
    """Cases archived before this day are past retention."""
    today = today or timezone.localdate()
    years = settings.TIAOJIE_RETENTION_YEARS
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _not_yet_anonymous() -> Q:
    condition = ~Q(name=ANONYMOUS) | Q(birth_date__isnull=False)
    for name in PERSONAL_FIELDS:
        condition |= ~Q(**{name: ""})
    return condition


def expired_cases(today: dt.date | None = None) -> QuerySet[Case]:
    """Archived cases past retention that still hold a party's personal data."""
    pending = Party.objects.filter(kind=PartyKind.PERSON).filter(_not_yet_anonymous())
    return (
        Case.objects.filter(
            status=CaseStatus.ARCHIVED,
            archived_on__lt=retention_cutoff(today),
            pk__in=pending.values("case_id"),
        )
        .select_related("committee")
        .order_by("archived_on", "number")
    )


def _replace_names(text: str, names: list[str]) -> str:
    for name in names:
        if len(name) >= 2:
            text = text.replace(name, ANONYMOUS)
    return text


@transaction.atomic
def anonymise_case(case: Case) -> int:
    """Remove the personal data of the natural persons of ``case``; how many changed."""
    parties = list(
        Party.objects.select_for_update()
        .filter(case=case, kind=PartyKind.PERSON)
        .filter(_not_yet_anonymous())
    )
    names = sorted(
        {n for p in parties for n in (p.name, p.agent_name) if n and n != ANONYMOUS},
        key=len,
        reverse=True,
    )
    for party in parties:
        party.name = ANONYMOUS
        party.agent_name = ANONYMOUS if party.agent_name else ""
        party.birth_date = None
        for field in PERSONAL_FIELDS:
            setattr(party, field, "")
        party.id_number_index = ""
        party.phone_index = ""
        party.save()
    if names:
        locked = Case.objects.select_for_update().get(pk=case.pk)
        for field in CASE_TEXT_FIELDS:
            setattr(locked, field, _replace_names(getattr(locked, field), names))
        # The search tokens held the names too (as characters and pairs).
        locked.search_tokens = search.index_text(
            [
                locked.summary,
                locked.narrative,
                locked.requests,
                *locked.parties.values_list("name", flat=True),
            ]
        )
        locked.save(update_fields=[*CASE_TEXT_FIELDS, "search_tokens"])
    if parties:
        audit.record(
            EventType.PERSONAL_DATA_ANONYMISED,
            actor=None,
            organisation=case.committee,
            obj=case,
            after={"parties": len(parties), "retention_years": settings.TIAOJIE_RETENTION_YEARS},
        )
    return len(parties)


def anonymise_expired(*, today: dt.date | None = None, dry_run: bool = False) -> list[Case]:
    """Anonymise every case past retention (each in its own transaction); the cases."""
    cases = list(expired_cases(today))
    if not dry_run:
        for case in cases:
            anonymise_case(case)
    return cases
