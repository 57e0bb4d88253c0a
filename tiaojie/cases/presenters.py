"""What a viewer sees of a case's personal data: masked unless asked for and allowed, and
then recorded as a view of personal data in the audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied

from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.models import Case, Party
from tiaojie.core.masking import mask_address, mask_id_number, mask_phone

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

PERSONAL_FIELDS = ("id_number", "phone", "address", "agent_phone")
PARTY_FIELDS = (
    "id",
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
)


def masked(party: Party) -> dict[str, Any]:
    values = {name: getattr(party, name) for name in PARTY_FIELDS}
    values["id_number"] = mask_id_number(party.id_number)
    values["phone"] = mask_phone(party.phone)
    values["address"] = mask_address(party.address)
    values["agent_phone"] = mask_phone(party.agent_phone)
    return values


def revealed(actor: User, case: Case, parties: Iterable[Party]) -> list[dict[str, Any]]:
    """The parties in full, for a viewer whose role needs it; one audit event for the view."""
    if not actor.can(Capability.PERSONAL_DATA):
        raise PermissionDenied
    rows = []
    for party in parties:
        values = {name: getattr(party, name) for name in PARTY_FIELDS}
        values.update({name: getattr(party, name) for name in PERSONAL_FIELDS})
        rows.append(values)
    audit.record(
        EventType.PERSONAL_DATA_VIEWED,
        actor=actor,
        organisation=case.committee,
        obj=case,
        after={"parties": [row["id"] for row in rows], "fields": list(PERSONAL_FIELDS)},
    )
    return rows
