"""How a mediator is shown: personal data masked unless revealed; the API's dictionaries."""

from __future__ import annotations

from typing import Any

from tiaojie.core.masking import mask_address, mask_id_number, mask_phone
from tiaojie.mediators.models import Mediator, Membership


def masked(mediator: Mediator) -> dict[str, str]:
    return {
        "id_number": mask_id_number(mediator.id_number),
        "phone": mask_phone(mediator.phone),
        "address": mask_address(mediator.address),
    }


def membership_out(m: Membership) -> dict[str, Any]:
    return {
        "id": m.pk,
        "committee_id": m.committee_id,
        "committee_name": m.committee.name,
        "role": m.role,
        "since": m.since,
        "until": m.until,
    }


def mediator_out(mediator: Mediator, memberships: list[Membership] | None = None) -> dict[str, Any]:
    """The API's view of a mediator, personal data masked."""
    found = (
        memberships
        if memberships is not None
        else list(mediator.memberships.select_related("committee"))
    )
    return {
        "id": mediator.pk,
        "version": mediator.version,
        "name": mediator.name,
        "gender": mediator.gender,
        "birth_date": mediator.birth_date,
        **masked(mediator),
        "employment": mediator.employment,
        "source": mediator.source,
        "education": mediator.education,
        "political_status": mediator.political_status,
        "certificate_number": mediator.certificate_number,
        "certified": mediator.certified,
        "grade_id": mediator.grade_id,
        "grade_name": mediator.grade.name if mediator.grade is not None else "",
        "expertise": [t.code for t in mediator.expertise.all()],
        "user_id": mediator.user_id,
        "status": mediator.status,
        "status_since": mediator.status_since,
        "joined_on": mediator.joined_on,
        "left_on": mediator.left_on,
        "memberships": [membership_out(m) for m in found],
    }
