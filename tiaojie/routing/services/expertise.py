"""A committee director records which dispute types each of their mediators is good at."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.models import DisputeType
from tiaojie.core.errors import NotPermitted, field_error
from tiaojie.routing.error_codes import RoutingErrorCode as E
from tiaojie.routing.models import MediatorExpertise
from tiaojie.routing.services.routing import directs
from tiaojie.routing.suggestions import MEDIATING_ROLES

if TYPE_CHECKING:
    from tiaojie.accounts.models import User


@transaction.atomic
def expertise_save(
    *, actor: User | None, mediator: User, dispute_types: Iterable[DisputeType]
) -> list[int]:
    """Replace ``mediator``'s expertise with ``dispute_types``; returns the type ids.

    The director of the mediator's committee does this (``actor`` None: the demo data)."""
    if actor is not None and not directs(actor, mediator.organisation_id):
        raise NotPermitted(
            E.NOT_PERMITTED, _("Only the director of the mediator's committee does this.")
        )
    if mediator.role not in MEDIATING_ROLES:
        raise NotPermitted(E.NOT_PERMITTED, _("Only mediators have expertise."))
    chosen = {t.pk: t for t in dispute_types}
    valid = set(
        DisputeType.objects.valid_on(timezone.localdate())
        .filter(pk__in=chosen)
        .values_list("pk", flat=True)
    )
    retired = [t.name for pk, t in chosen.items() if pk not in valid]
    if retired:
        message = _("No longer in use: %(types)s. Choose current dispute types.") % {
            "types": "、".join(retired)
        }
        raise field_error("dispute_types", message, E.INVALID)
    before = sorted(
        MediatorExpertise.objects.filter(mediator=mediator).values_list(
            "dispute_type_id", flat=True
        )
    )
    MediatorExpertise.objects.filter(mediator=mediator).exclude(dispute_type_id__in=chosen).delete()
    MediatorExpertise.objects.bulk_create(
        [MediatorExpertise(mediator=mediator, dispute_type_id=pk) for pk in chosen],
        ignore_conflicts=True,
    )
    after = sorted(chosen)
    if before != after:
        audit.record(
            EventType.MEDIATOR_EXPERTISE_SAVED,
            actor=actor,
            organisation=mediator.organisation,
            obj=mediator,
            before={"dispute_types": before},
            after={"dispute_types": after},
        )
    return after
