"""Writes to the organisation tree. Views, API, import and demo data all come through here."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core.capabilities import Capability
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.organisations.choices import OrganisationKind, OrganisationStatus
from tiaojie.organisations.error_codes import OrganisationsErrorCode as E
from tiaojie.organisations.models import Organisation, path_segment
from tiaojie.organisations.rules import organisation_policy
from tiaojie.organisations.validation import (
    OrganisationData,
    validate_organisation,
    validate_status_change,
)

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

EDITABLE_FIELDS = [f.name for f in dataclasses.fields(OrganisationData) if f.name != "kind"]
AUDITED_FIELDS = ["kind", "parent", *EDITABLE_FIELDS, "supervising_office"]
SUPERVISING_KINDS = (
    OrganisationKind.CITY_BUREAU,
    OrganisationKind.DISTRICT_BUREAU,
    OrganisationKind.JUSTICE_OFFICE,
)


def _require_manage(actor: User | None, org: Organisation | None) -> None:
    """``actor`` None is the system itself (demo data, command-line import)."""
    if actor is None:
        return
    if org is None:
        raise NotPermitted(E.NOT_PERMITTED, _("Only the system can create a root organisation."))
    if not organisation_policy.allows(actor, Capability.ORGANISATION_MANAGE, org):
        raise NotPermitted(E.NOT_PERMITTED, _("You may not manage this organisation."))


def nearest_supervisor(parent: Organisation | None) -> Organisation | None:
    """The closest bureau or justice office at or above ``parent``."""
    if parent is None:
        return None
    if parent.kind in SUPERVISING_KINDS:
        return parent
    return (
        Organisation.objects.ancestors_of(parent)
        .filter(kind__in=SUPERVISING_KINDS)
        .order_by("-depth")
        .first()
    )


def _check_siblings(parent: Organisation | None, name: str, exclude_pk: int | None = None) -> None:
    siblings = Organisation.objects.filter(parent=parent, name=name)
    if exclude_pk is not None:
        siblings = siblings.exclude(pk=exclude_pk)
    if siblings.exists():
        raise ValidationFailed(
            E.DUPLICATE_NAME,
            _("An organisation with this name already exists here."),
            fields={"name": [_("An organisation with this name already exists here.")]},
        )


@transaction.atomic
def organisation_create(
    *, actor: User | None, parent: Organisation | None, data: OrganisationData
) -> Organisation:
    """Add a node to the tree under ``parent`` and record it in the audit trail."""
    _require_manage(actor, parent)
    errors = validate_organisation(
        data,
        parent_kind=parent.kind if parent else None,
        parent_code=parent.division_code if parent else "",
    )
    if errors:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    _check_siblings(parent, data.name)
    org = Organisation(
        parent=parent,
        supervising_office=nearest_supervisor(parent),
        depth=(parent.depth + 1) if parent else 0,
        path="",
        **dataclasses.asdict(data),
    )
    org.save()
    # The path needs the id, which the database has only just given.
    org.path = (parent.path if parent else "") + path_segment(org.pk)
    Organisation.objects.filter(pk=org.pk).update(path=org.path)
    audit.record(
        EventType.ORGANISATION_CREATED,
        actor=actor,
        organisation=org,
        obj=org,
        after=audit.snapshot(org, AUDITED_FIELDS),
    )
    return org


@transaction.atomic
def organisation_update(
    *, actor: User | None, org: Organisation, data: OrganisationData, version: int
) -> Organisation:
    """Change an organisation's attributes; refuse if someone else saved it since ``version``."""
    locked = (
        Organisation.objects.select_for_update(of=("self",)).select_related("parent").get(pk=org.pk)
    )
    _require_manage(actor, locked)
    if locked.version != version:
        raise Conflict(
            E.STALE_VERSION,
            _(
                "Someone else changed this organisation while you were editing. "
                "Your input is kept below; reload to see their changes."
            ),
        )
    data = dataclasses.replace(data, kind=locked.kind)
    parent = locked.parent
    errors = validate_organisation(
        data,
        parent_kind=parent.kind if parent else None,
        parent_code=parent.division_code if parent else "",
    )
    if errors:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    _check_siblings(parent, data.name, exclude_pk=locked.pk)
    before = audit.snapshot(locked, EDITABLE_FIELDS)
    for field in EDITABLE_FIELDS:
        setattr(locked, field, getattr(data, field))
    locked.version += 1
    locked.save()
    changed_before, changed_after = audit.changed(before, audit.snapshot(locked, EDITABLE_FIELDS))
    audit.record(
        EventType.ORGANISATION_UPDATED,
        actor=actor,
        organisation=locked,
        obj=locked,
        before=changed_before,
        after=changed_after,
    )
    return locked


@transaction.atomic
def organisation_change_status(
    *,
    actor: User | None,
    org: Organisation,
    status: str,
    on: dt.date | None,
    merged_into: Organisation | None = None,
    reason: str,
    version: int,
) -> Organisation:
    """Mark an organisation active, merged (into another) or dissolved, with the date and why."""
    locked = Organisation.objects.select_for_update().get(pk=org.pk)
    _require_manage(actor, locked)
    if locked.version != version:
        raise Conflict(E.STALE_VERSION, _("Someone else changed this organisation meanwhile."))
    errors = validate_status_change(status, on, merged_into.pk if merged_into else None)
    if not reason.strip():
        errors["reason"] = [_("Say why the status changes.")]
    if merged_into is not None and (merged_into.pk == locked.pk or merged_into.is_within(locked)):
        errors["merged_into"] = [_("An organisation cannot merge into itself or its own units.")]
    if status != OrganisationStatus.ACTIVE and locked.children.active().exists():
        errors["status"] = [_("Dissolve or merge its active sub-organisations first.")]
    if errors:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    fields = ["status", "status_changed_on", "merged_into"]
    before = audit.snapshot(locked, fields)
    locked.status = status
    locked.status_changed_on = on
    locked.merged_into = merged_into if status == OrganisationStatus.MERGED else None
    locked.version += 1
    locked.save()
    audit.record(
        EventType.ORGANISATION_STATUS_CHANGED,
        actor=actor,
        organisation=locked,
        obj=locked,
        reason=reason,
        before=before,
        after=audit.snapshot(locked, fields),
    )
    return locked
