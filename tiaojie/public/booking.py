"""Booking a meeting with the mediator: committees' opening hours, mediators' free slots, and a
party's booking with its confirmation by SMS. A slot is never booked twice: ``Booking.slot``
is one-to-one, so of two phones booking at the same moment the database takes one and refuses
the other, which is told the time was just taken."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability, Role
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.models import Case
from tiaojie.core.errors import Conflict, NotPermitted, field_error
from tiaojie.organisations.models import Organisation
from tiaojie.public import sms
from tiaojie.public.error_codes import PublicErrorCode as E
from tiaojie.public.models import Booking, Citizen, OpeningHours, Slot

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

# A meeting is booked while the case is at a committee and not over.
BOOKABLE = frozenset({CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.IN_MEDIATION})


def _committee_staff(actor: User) -> Organisation:
    if actor.role not in (Role.MEDIATOR, Role.COMMITTEE_DIRECTOR) or not actor.can(
        Capability.CASE_HANDLE
    ):
        raise NotPermitted(E.NOT_PERMITTED, _("Only a committee's mediators offer times."))
    return actor.organisation


@transaction.atomic
def slot_add(*, actor: User, starts_at: dt.datetime, minutes: int = 60) -> Slot:
    """The actor (a mediator or director) offers a free hour of their own."""
    committee = _committee_staff(actor)
    if starts_at <= timezone.now():
        raise field_error("starts_at", _("Choose a time in the future."))
    if not 15 <= minutes <= 240:
        raise field_error("minutes", _("A meeting lasts 15 to 240 minutes."))
    if Slot.objects.filter(mediator=actor, starts_at=starts_at).exists():
        raise field_error("starts_at", _("You already offer this time."))
    return Slot.objects.create(
        committee=committee, mediator=actor, starts_at=starts_at, minutes=minutes
    )


@transaction.atomic
def hours_set(*, actor: User, weekday: int, opens: dt.time, closes: dt.time) -> OpeningHours:
    """The director publishes an opening span of the committee."""
    committee = _committee_staff(actor)
    if actor.role != Role.COMMITTEE_DIRECTOR:
        raise NotPermitted(E.NOT_PERMITTED, _("The committee's director sets its opening hours."))
    if not 0 <= weekday <= 6:
        raise field_error("weekday", _("Choose a weekday."))
    if opens >= closes:
        raise field_error("closes", _("The closing time must be after the opening time."))
    return OpeningHours.objects.create(
        committee=committee, weekday=weekday, opens=opens, closes=closes
    )


def free_slots(case: Case) -> QuerySet[Slot]:
    """The case's committee's future slots nobody has booked."""
    return Slot.objects.filter(
        committee_id=case.committee_id, starts_at__gt=timezone.now(), booking__isnull=True
    ).select_related("mediator")


@transaction.atomic
def book(*, citizen: Citizen, case: Case, slot_id: int) -> Booking:
    """Book one free slot of the case's committee, confirmed at once by SMS (the time and the
    committee's name only)."""
    if case.status not in BOOKABLE:
        raise Conflict(E.NOT_BOOKABLE, _("A meeting can be booked once a committee has the case."))
    slot = free_slots(case).filter(pk=slot_id).first()
    if slot is None:
        raise Conflict(E.SLOT_TAKEN, _("This time was just taken. Choose another."))
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                slot=slot, case=case, citizen=citizen, confirmed_at=timezone.now()
            )
    except IntegrityError as exc:
        raise Conflict(E.SLOT_TAKEN, _("This time was just taken. Choose another.")) from exc
    audit.record(
        EventType.MEETING_BOOKED,
        actor=None,
        organisation=case.committee,
        obj=case,
        after={"citizen": citizen.pk, "slot": slot.pk, "starts_at": slot.starts_at.isoformat()},
    )
    local = timezone.localtime(slot.starts_at)
    sms.send(
        citizen.phone,
        _("[People's mediation] Your meeting at %(committee)s is booked for %(when)s.")
        % {"committee": case.committee.name, "when": local.strftime("%m月%d日 %H:%M")},
    )
    return booking


@transaction.atomic
def booking_cancel(*, citizen: Citizen, case: Case, booking_id: int) -> None:
    """The party cancels their own booking before it starts; the slot is free again. Someone
    else's booking answers as a missing one (the caller turns ``None`` into 404)."""
    booking = (
        Booking.objects.select_for_update()
        .select_related("slot")
        .filter(pk=booking_id, case=case, citizen=citizen)
        .first()
    )
    if booking is None:
        raise Conflict(E.STALE, _("This booking no longer exists."))
    if booking.slot.starts_at <= timezone.now():
        raise Conflict(E.NOT_BOOKABLE, _("A meeting that has begun cannot be cancelled."))
    starts_at = booking.slot.starts_at
    booking.delete()
    audit.record(
        EventType.MEETING_CANCELLED,
        actor=None,
        organisation=case.committee,
        obj=case,
        after={"citizen": citizen.pk, "starts_at": starts_at.isoformat()},
    )
