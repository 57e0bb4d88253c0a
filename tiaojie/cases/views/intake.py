"""Registering a dispute: the intake form, its party rows added on demand, and the hints shown
while the clerk types (the same person in earlier cases; the same dispute registered twice)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability
from tiaojie.cases import selectors
from tiaojie.cases.choices import REFERRAL_SOURCES, Gender
from tiaojie.cases.forms import (
    PARTY_PREFIX,
    BasePartyFormSet,
    CaseForm,
    party_form,
    party_formset,
)
from tiaojie.cases.services.intake import case_register as register_service
from tiaojie.cases.services.intake import (
    clean_party,
    has_intake,
    party_name_warnings,
    registers_at,
)
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError, NotPermitted
from tiaojie.core.types import AuthedRequest
from tiaojie.core.validators import id_number_birth_date, id_number_gender
from tiaojie.organisations.choices import OrganisationKind
from tiaojie.organisations.models import Organisation

# "parties.0.id_number" from the service ↔ field "id_number" of the formset's form 0
SERVICE_PARTY_KEY = re.compile(r"^parties\.(\d+)\.(\w+)$")
LOOKUP_KEY = re.compile(rf"^{PARTY_PREFIX}-(\d+)-(id_number|phone)$")


def _apply_register_error(
    form: CaseForm, formset: BasePartyFormSet, rows: list[int], exc: DomainError
) -> list[str]:
    """Put the service's errors on the case fields and on the right party rows; returns the
    errors about the parties as a whole (e.g. "needs an applicant and a respondent")."""
    general: list[str] = []
    if not exc.fields:
        form.add_error(None, exc.message)
        return general
    for key, msgs in exc.fields.items():
        match = SERVICE_PARTY_KEY.match(key)
        for message in msgs:
            if match:
                position, name = int(match[1]), match[2]
                row = formset.forms[rows[position]] if position < len(rows) else None
                if row is None:
                    general.append(message)
                else:
                    row.add_error(name if name in row.fields else None, message)
            elif key == "parties":
                general.append(message)
            else:
                form.add_error(key if key in form.fields else None, message)
    return general


def _holder(user: object) -> Organisation:
    """Where the user's registrations land; an officer away from a governance centre has no
    intake of their own (403)."""
    try:
        return registers_at(user)  # type: ignore[arg-type]
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc


def _may_register(user: object) -> None:
    """The cheap check for the hints called while typing: registrations land somewhere."""
    if not has_intake(user):  # type: ignore[arg-type]
        raise PermissionDenied


@access(Capability.CASE_REGISTER)
def case_register(request: AuthedRequest) -> HttpResponse:
    """The intake form. Everything typed stays on the page when the service refuses it."""
    user = request.user
    holder = _holder(user)
    data = request.POST if request.method == "POST" else None
    form = CaseForm(data)
    if data is None:
        form.fields["dispute_type"].widget.attrs["autofocus"] = True
    formset = party_formset(data, place=holder)
    party_errors: list[str] = []
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        rows = formset.parties()
        parties = [party for _index, party in rows]
        try:
            case = register_service(actor=user, data=form.to_data(parties))
        except DomainError as exc:
            party_errors = _apply_register_error(form, formset, [i for i, _p in rows], exc)
        else:
            messages.success(request, _("Registered as %(number)s.") % {"number": case.number})
            for warning in party_name_warnings(parties):
                messages.warning(request, warning)
            return redirect("cases:case_detail", pk=case.pk)
    elif request.method == "POST" and formset.is_valid():
        # The case fields need correcting first; say now what is wrong with the parties too.
        for index, party in formset.parties():
            for name, msgs in clean_party(party)[1].items():
                row = formset.forms[index]
                for message in msgs:
                    row.add_error(name if name in row.fields else None, message)
    return render(
        request,
        "cases/register.html",
        {
            "form": form,
            "formset": formset,
            "party_errors": party_errors,
            "committee": holder,
            "to_queue": holder.kind != OrganisationKind.COMMITTEE,
            "referral_sources": sorted(REFERRAL_SOURCES),
        },
    )


@access(Capability.CASE_REGISTER)
def party_row(request: AuthedRequest) -> HttpResponse:
    """One more party fieldset, numbered after those on the page (and the count updated)."""
    holder = _holder(request.user)
    if request.method == "DELETE":
        return HttpResponse("")  # the row removes itself: an added row only, never the first two
    raw = request.GET.get(f"{PARTY_PREFIX}-TOTAL_FORMS", "")
    index = int(raw) if raw.isdigit() else 2
    index = min(index, 29)
    row = party_form(index, place=holder)
    row.fields["name"].widget.attrs["autofocus"] = True
    return render(
        request,
        "cases/partials/party_row_added.html",
        {"party": row, "index": index, "total": index + 1},
    )


@access(Capability.CASE_REGISTER)
def party_lookup(request: AuthedRequest) -> HttpResponse:
    """As the clerk leaves an ID number or phone field: earlier parties with the same one (by
    blind index, in cases the clerk may read), each with a button that fills the name in."""
    user = request.user
    _may_register(user)
    fill = request.GET.get("fill", "")
    index_raw = request.GET.get("index", "")
    if fill.isdigit() and index_raw.isdigit():
        party = selectors.party_in_scope(user, int(fill))
        row = party_form(int(index_raw), initial={"name": party.name if party else ""})
        return HttpResponse(str(row["name"]))
    index, value, field_name = None, "", ""
    for key in request.GET:
        match = LOOKUP_KEY.match(key)
        raw = request.GET.get(key, "").strip()
        if match and raw:
            index, value, field_name = int(match[1]), raw, match[2]
            break
    found = selectors.parties_matching(user, value) if value else []
    context: dict[str, Any] = {"found": found, "index": index}
    if field_name == "id_number" and index is not None:
        context["derived"] = _from_id_number(index, value)
    response = render(request, "cases/partials/party_suggestions.html", context)
    # Tell the page to check for the same dispute registered twice (cases:case_duplicates).
    response["HX-Trigger"] = "partyLookedUp"
    return response


def _from_id_number(index: int, value: str) -> dict[str, Any] | None:
    """What a valid ID number states (birth date, sex), and row ``index``'s gender field with
    the sex chosen, so that the form shows what the record will hold; None for an invalid one."""
    try:
        born = id_number_birth_date(value)
        sex = Gender.MALE if id_number_gender(value) == "male" else Gender.FEMALE
    except ValidationError:
        return None
    row = party_form(index, initial={"gender": sex})
    return {"born": born, "sex_label": sex.label, "gender": row["gender"]}


@access(Capability.CASE_REGISTER)
def case_duplicates(request: AuthedRequest) -> HttpResponse:
    """Open cases of this committee from the last 90 days with one of the parties entered."""
    user = request.user
    committee = _holder(user)
    values = [request.GET.get(key, "") for key in request.GET if LOOKUP_KEY.match(key)]
    found = selectors.possible_duplicates(user, committee, values)
    return render(
        request,
        "cases/partials/duplicates.html",
        {"found": found, "days": selectors.DUPLICATE_WINDOW_DAYS},
    )
