"""Booking pages: the staff's free times and opening hours (/online/slots/), and the citizen's
choice of a time for their case (/m/cases/<id>/book/)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability, Role
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.public import booking, selectors
from tiaojie.public.forms import WEEKDAY_CHOICES, HoursForm, SlotForm
from tiaojie.public.models import Citizen, OpeningHours, Slot
from tiaojie.public.session import citizen_required


def hours_of(committee_id: int) -> list[tuple[str, OpeningHours]]:
    names = dict(WEEKDAY_CHOICES)
    return [
        (str(names[h.weekday]), h) for h in OpeningHours.objects.filter(committee_id=committee_id)
    ]


@access(Capability.CASE_HANDLE)
def slots(request: AuthedRequest) -> HttpResponse:
    """A mediator's offered times (a director sees the committee's) and the opening hours."""
    user = request.user
    slot_form = SlotForm(request.POST if "starts_at" in request.POST else None)
    hours_form = HoursForm(request.POST if "weekday" in request.POST else None)
    status = 200
    if request.method == "POST":
        try:
            if slot_form.is_bound and slot_form.is_valid():
                booking.slot_add(actor=user, **slot_form.cleaned_data)
                messages.success(request, _("The time is offered."))
                return redirect("public:slots")
            if hours_form.is_bound and hours_form.is_valid():
                booking.hours_set(actor=user, **hours_form.cleaned_data)
                messages.success(request, _("The opening hours are published."))
                return redirect("public:slots")
        except DomainError as exc:
            apply_domain_error(slot_form if slot_form.is_bound else hours_form, exc)
            status = 422 if exc.status == 422 else exc.status
        else:
            status = 422
    mine = Slot.objects.filter(committee=user.organisation).select_related("mediator", "booking")
    if user.role != Role.COMMITTEE_DIRECTOR:
        mine = mine.filter(mediator=user)
    context = {
        "slot_form": slot_form,
        "hours_form": hours_form,
        "slots": mine,
        "hours": hours_of(user.organisation_id),
        "is_director": user.role == Role.COMMITTEE_DIRECTOR,
        "nav_current": "public:slots",
    }
    return render(request, "public/staff/slots.html", context, status=status)


@citizen_required()
def book(request: HttpRequest, pk: int) -> HttpResponse:
    citizen = cast(Citizen, request.citizen)  # type: ignore[attr-defined]
    application = selectors.application_or_404(citizen, pk)
    case = application.case
    error = ""
    if request.method == "POST":
        slot_id = request.POST.get("slot", "")
        try:
            booking.book(
                citizen=citizen, case=case, slot_id=int(slot_id) if slot_id.isdigit() else 0
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Your meeting is booked. A text confirms it."))
            return redirect("public:my_case", case.pk)
    context = {
        "case": case,
        "slots": booking.free_slots(case) if case.status in booking.BOOKABLE else [],
        "bookable": case.status in booking.BOOKABLE,
        "error": error,
        "hours": hours_of(case.committee_id),
    }
    return render(request, "public/book.html", context, status=409 if error else 200)
