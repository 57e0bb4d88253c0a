"""Score sheets: list, create, edit (until a round uses the sheet), copy."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.accounts.roles import Capability
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.reviews import selectors
from tiaojie.reviews.forms import ItemFormSet, SheetForm, item_initial, items_from
from tiaojie.reviews.models import ReviewRound, ScoreSheet
from tiaojie.reviews.rules import sheet_policy
from tiaojie.reviews.services import sheets


def get_sheet(request: AuthedRequest, pk: int) -> ScoreSheet:
    return sheet_policy.get_or_404(
        request.user,
        Capability.REVIEW_MANAGE,
        base=ScoreSheet.objects.select_related("owner"),
        pk=pk,
    )


@access(Capability.REVIEW_MANAGE)
def sheet_list(request: AuthedRequest) -> HttpResponse:
    rows = [
        {"sheet": s, "in_use": s.in_use, "editable": sheet_policy.may_edit(request.user, s)}  # type: ignore[attr-defined]
        for s in selectors.sheets_listed(request.user)
    ]
    return render(request, "reviews/sheet_list.html", {"rows": rows})


def _save(
    request: AuthedRequest, sheet: ScoreSheet | None, form: SheetForm, formset: Any
) -> ScoreSheet | None:
    if not (form.is_valid() and formset.is_valid()):
        return None
    data = form.cleaned_data
    try:
        if sheet is None:
            return sheets.sheet_create(
                actor=request.user,
                name=data["name"] or "",
                items=items_from(formset),
                active=data["active"],
            )
        return sheets.sheet_update(
            actor=request.user,
            sheet=sheet,
            name=data["name"] or "",
            items=items_from(formset),
            active=data["active"],
            version=data["version"],
        )
    except DomainError as exc:
        apply_domain_error(form, exc)
        return None


def _page(request: AuthedRequest, sheet: ScoreSheet | None) -> HttpResponse:
    in_use = sheet is not None and ReviewRound.objects.filter(sheet=sheet).exists()
    if request.method == "POST":
        form = SheetForm(request.POST)
        formset = ItemFormSet(request.POST, prefix="items")
        saved = _save(request, sheet, form, formset)
        if saved is not None:
            messages.success(request, _("The score sheet was saved."))
            return redirect("reviews:sheet_list")
    elif sheet is None:
        form = SheetForm(initial={"active": True})
        formset = ItemFormSet(prefix="items")
    else:
        form = SheetForm(
            initial={"name": sheet.name, "active": sheet.active, "version": sheet.version}
        )
        formset = ItemFormSet(prefix="items", initial=item_initial(sheet))
    context = {"sheet": sheet, "form": form, "formset": formset, "in_use": in_use}
    return render(request, "reviews/sheet_form.html", context)


@access(Capability.REVIEW_MANAGE)
def sheet_create(request: AuthedRequest) -> HttpResponse:
    return _page(request, None)


@access(Capability.REVIEW_MANAGE)
def sheet_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    sheet = get_sheet(request, pk)
    if not sheet_policy.may_edit(request.user, sheet):
        # A bureau above's sheet: it may be read and copied here, not changed.
        messages.info(
            request, _("This score sheet belongs to another bureau; copy it to adapt it.")
        )
        return redirect("reviews:sheet_list")
    return _page(request, sheet)


@access(Capability.REVIEW_MANAGE)
@require_POST
def sheet_copy(request: AuthedRequest, pk: int) -> HttpResponse:
    sheet = get_sheet(request, pk)
    try:
        copy = sheets.sheet_copy(actor=request.user, sheet=sheet)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reviews:sheet_list")
    messages.success(request, _("Copied. Adapt the copy and save it."))
    return redirect("reviews:sheet_edit", pk=copy.pk)
