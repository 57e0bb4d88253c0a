"""Moving an organisation, with everything below it, to another parent (a committee handed to
another justice office, a street office to another district).

The materialised ``path`` of the node and of its whole subtree changes (ADR 0002), so does the
depth, and the supervising office of every node that was supervised from above the moved
node. Apps that keep a copy of a path (the statistics cells, summed by path prefix) learn of
the move through the ``organisation.moved`` event (docs/events.md); this module knows none of
them."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core.errors import Conflict, ValidationFailed
from tiaojie.core.events import publish
from tiaojie.organisations import path_copies
from tiaojie.organisations.error_codes import OrganisationsErrorCode as E
from tiaojie.organisations.models import Organisation, path_segment
from tiaojie.organisations.services import _check_siblings, _require_manage, nearest_supervisor
from tiaojie.organisations.validation import OrganisationData, validate_organisation

ORGANISATION_MOVED = "organisation.moved"


def _data(org: Organisation) -> OrganisationData:
    return OrganisationData(
        **{field.name: getattr(org, field.name) for field in dataclasses.fields(OrganisationData)}
    )


@transaction.atomic
def organisation_move(
    *,
    # A user; typed loosely as audit does, since accounts sits above organisations.
    actor: Any | None,
    org: Organisation,
    parent: Organisation,
    reason: str,
    version: int,
) -> Organisation:
    """Put ``org`` and its subtree under ``parent``; ``actor`` must manage both the node and
    its new parent (None: the system). Refused, with nothing changed: a move under itself or
    its own units, a parent of the wrong kind, a name already taken there, no reason,
    or someone else's change since ``version``."""
    locked = Organisation.objects.select_for_update().get(pk=org.pk)
    target = Organisation.objects.select_for_update().get(pk=parent.pk)
    _require_manage(actor, locked)
    _require_manage(actor, target)
    if locked.version != version:
        raise Conflict(E.STALE_VERSION, _("Someone else changed this organisation meanwhile."))
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("Say why the organisation moves.")]
    if target.pk == locked.pk or target.is_within(locked):
        errors["parent"] = [_("An organisation cannot move under itself or its own units.")]
    elif target.pk == locked.parent_id:
        errors["parent"] = [_("The organisation is already there.")]
    else:
        for field, messages in validate_organisation(
            _data(locked), parent_kind=target.kind, parent_code=target.division_code
        ).items():
            # The kind decides where a unit may sit. Its division code is left to the next
            # edit (which checks it against the new parent): a unit is often handed over
            # before the area is re-divided.
            if field == "parent":
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    _check_siblings(target, locked.name, exclude_pk=locked.pk)

    old_path, old_parent_id = locked.path, locked.parent_id
    new_path = target.path + path_segment(locked.pk)
    subtree = Organisation.objects.filter(path__startswith=old_path)
    subtree_ids = list(subtree.values_list("pk", flat=True))
    # Who supervised from above the moved node now supervises no longer: the nearest office
    # at or above the new parent does. Offices inside the subtree keep their units.
    supervisor = nearest_supervisor(target)
    Organisation.objects.filter(pk__in=subtree_ids).exclude(
        supervising_office__in=subtree_ids
    ).update(supervising_office=supervisor)
    Organisation.objects.filter(pk__in=subtree_ids).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + (target.depth + 1 - locked.depth),
    )
    Organisation.objects.filter(pk=locked.pk).update(parent=target, version=F("version") + 1)
    locked.refresh_from_db()
    # Scope copies follow in this transaction; statistics re-keys its roll-ups on the event.
    copies_changed = path_copies.follow(locked) + path_copies.follow_prefixes(old_path, new_path)
    audit.record(
        EventType.ORGANISATION_MOVED,
        actor=actor,
        organisation=locked,
        obj=locked,
        reason=reason,
        before={"parent": old_parent_id, "path": old_path},
        after={
            "parent": target.pk,
            "path": new_path,
            "units_moved": len(subtree_ids),
            "path_copies_changed": copies_changed,
        },
    )
    publish(
        ORGANISATION_MOVED,
        {
            "organisation_id": locked.pk,
            "from_parent_id": old_parent_id,
            "to_parent_id": target.pk,
            "old_path": old_path,
            "new_path": new_path,
            "actor_id": actor.pk if actor is not None else None,
        },
    )
    return locked
