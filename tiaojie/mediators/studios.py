"""调解工作室: the registry of a committee's brand rooms (品牌调解室) and its mediators' personal
studios (个人调解工作室). Who sees them: anyone with the roster capability whose organisation is
the committee or above it (others: 404). Who keeps them: directors and officers of the committee
or above (``MEDIATOR_MANAGE`` over ``committees_in_scope``).

A personal studio names its lead mediator, who serves in that committee now; a brand room may
name one. Two open studios of one committee never share a name; a studio closes from a day
that is not before it opened. Every write checks first, then writes and records its audit event
in one transaction; a refusal changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.mediators import selectors
from tiaojie.mediators.choices import MediatorStatus, StudioKind
from tiaojie.mediators.error_codes import MediatorsErrorCode as E
from tiaojie.mediators.models import Mediator, Membership
from tiaojie.mediators.models_studios import Studio
from tiaojie.organisations.models import Organisation

AUDITED = ["name", "kind", "mediator", "opened_on", "closed_on", "address", "hours"]


@dataclass(frozen=True)
class StudioData:
    """What a form or the API gives for a studio (the committee is given apart)."""

    name: str
    kind: str
    mediator_id: int | None
    opened_on: dt.date | None
    address: str = ""
    hours: str = ""


# --- who sees -------------------------------------------------------------------------------


def studios_for(
    user: User, *, committee_id: int | None = None, state: str = ""
) -> QuerySet[Studio]:
    """The studios of the committees at or below the viewer's organisation; ``state`` is
    ``open``, ``closed`` or anything else for both."""
    if not user.is_authenticated or not user.can(Capability.MEDIATOR_VIEW):
        return Studio.objects.none()
    found = Studio.objects.filter(committee_path__startswith=user.organisation.path)
    if committee_id:
        found = found.filter(committee_id=committee_id)
    if state == "open":
        found = found.filter(closed_on__isnull=True)
    elif state == "closed":
        found = found.filter(closed_on__isnull=False)
    return found.select_related("committee", "mediator")


def led_by(mediator: Mediator) -> QuerySet[Studio]:
    """The open personal studios a mediator leads (their page shows “个人工作室”)."""
    return Studio.objects.filter(
        mediator=mediator, kind=StudioKind.PERSONAL, closed_on__isnull=True
    ).select_related("committee")


def serving_in(committee: Organisation) -> QuerySet[Mediator]:
    """The mediators serving now in ``committee`` who have not left: those a studio may name."""
    serving = Membership.objects.filter(committee=committee, until__isnull=True).values(
        "mediator_id"
    )
    return (
        Mediator.objects.filter(pk__in=serving)
        .exclude(status=MediatorStatus.LEFT)
        .order_by("name", "id")
    )


# --- writes ---------------------------------------------------------------------------------


def _refused_field(field: str, message: str, code: E = E.INVALID) -> ValidationFailed:
    return ValidationFailed(code, message, fields={field: [message]})


def _check_manager(actor: User, committee: Organisation) -> None:
    if not actor.can(Capability.MEDIATOR_MANAGE):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not keep mediation studios."))
    if not selectors.committees_in_scope(actor).filter(pk=committee.pk).exists():
        raise _refused_field(
            "committee",
            _("Choose an active committee within your organisation."),
            E.COMMITTEE_OUT_OF_SCOPE,
        )


def _checked(
    committee: Organisation, data: StudioData, *, studio: Studio | None = None
) -> tuple[str, Mediator | None, dt.date]:
    """The cleaned name, lead mediator and opening day, or every refusal at once."""
    errors: dict[str, list[str]] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = [_("Name the studio, e.g. 老娘舅调解工作室.")]
    if data.kind not in StudioKind.values:
        errors["kind"] = [_("Choose one of the listed values.")]
    if data.opened_on is None:
        errors["opened_on"] = [_("Give the day the studio opened.")]
    mediator: Mediator | None = None
    if data.mediator_id:
        mediator = serving_in(committee).filter(pk=data.mediator_id).first()
        if mediator is None:
            errors["mediator"] = [
                _("The lead mediator must serve in %(committee)s now.")
                % {"committee": committee.name}
            ]
    elif data.kind == StudioKind.PERSONAL:
        errors["mediator"] = [_("A personal studio needs its lead mediator.")]
    if name and (studio is None or studio.closed_on is None):
        same = Studio.objects.filter(committee=committee, name=name, closed_on__isnull=True)
        if studio is not None:
            same = same.exclude(pk=studio.pk)
        if same.exists():
            errors["name"] = [
                _("%(committee)s already has an open studio named %(name)s.")
                % {"committee": committee.name, "name": name}
            ]
    if (
        studio is not None
        and studio.closed_on is not None
        and data.opened_on is not None
        and studio.closed_on < data.opened_on
    ):
        errors["opened_on"] = [_("A studio cannot open after the day it closed.")]
    if errors or data.opened_on is None:
        code = E.STUDIO_EXISTS if "name" in errors and name else E.INVALID
        raise ValidationFailed(code, _("Please correct the errors below."), fields=errors)
    return name, mediator, data.opened_on


def _name_taken(name: str) -> ValidationFailed:
    # Two people registering the same name at once: the constraint decides.
    return _refused_field(
        "name",
        _("An open studio of this committee is already named %(name)s.") % {"name": name},
        E.STUDIO_EXISTS,
    )


def studio_add(*, actor: User, committee: Organisation, data: StudioData) -> Studio:
    """Register a brand room or a personal studio of ``committee``."""
    _check_manager(actor, committee)
    name, mediator, opened_on = _checked(committee, data)
    studio = Studio(
        committee=committee,
        committee_path=committee.path,
        name=name,
        kind=data.kind,
        mediator=mediator,
        opened_on=opened_on,
        address=data.address.strip(),
        hours=data.hours.strip(),
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                studio.save()
        except IntegrityError as exc:
            raise _name_taken(name) from exc
        audit.record(
            EventType.STUDIO_ADDED,
            actor=actor,
            obj=studio,
            organisation=committee,
            after=audit.snapshot(studio, AUDITED),
        )
    return studio


def _locked(studio: Studio, version: int | None) -> Studio:
    locked = Studio.objects.select_for_update().select_related("committee").get(pk=studio.pk)
    if version is not None and locked.version != version:
        raise Conflict(
            E.STALE_VERSION,
            _("Someone else changed this studio while you were editing. Reload to see it."),
        )
    return locked


def studio_edit(*, actor: User, studio: Studio, data: StudioData, version: int | None) -> Studio:
    """Change a studio's name, kind, lead mediator, opening day, address or hours."""
    _check_manager(actor, studio.committee)
    with transaction.atomic():
        locked = _locked(studio, version)
        name, mediator, opened_on = _checked(locked.committee, data, studio=locked)
        old = audit.snapshot(locked, AUDITED)
        locked.name = name
        locked.kind = data.kind
        locked.mediator = mediator
        locked.opened_on = opened_on
        locked.address = data.address.strip()
        locked.hours = data.hours.strip()
        locked.version += 1
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError as exc:
            raise _name_taken(name) from exc
        before, after = audit.changed(old, audit.snapshot(locked, AUDITED))
        audit.record(
            EventType.STUDIO_EDITED,
            actor=actor,
            obj=locked,
            organisation=locked.committee,
            before=before,
            after=after,
        )
    return locked


def studio_close(
    *, actor: User, studio: Studio, closed_on: dt.date | None, version: int | None
) -> Studio:
    """Close a studio from a day (it stays listed as closed)."""
    _check_manager(actor, studio.committee)
    if closed_on is None:
        raise _refused_field("closed_on", _("Give the day the studio closed."))
    with transaction.atomic():
        locked = _locked(studio, version)
        if locked.closed_on is not None:
            raise _refused_field("closed_on", _("This studio is already closed."))
        if closed_on < locked.opened_on:
            raise _refused_field(
                "closed_on",
                _("A studio cannot close before it opened (%(day)s).")
                % {"day": locked.opened_on.isoformat()},
            )
        locked.closed_on = closed_on
        locked.version += 1
        locked.save(update_fields=["closed_on", "version", "updated_at"])
        audit.record(
            EventType.STUDIO_CLOSED,
            actor=actor,
            obj=locked,
            organisation=locked.committee,
            after={"closed_on": closed_on.isoformat()},
        )
    return locked
