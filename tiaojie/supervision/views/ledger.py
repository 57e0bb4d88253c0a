"""The ledger page (台账) per organisation and month, its XLSX export, close-out and reopening
per row, and the month-end carry-over button."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.exports import XLSX_CONTENT_TYPE
from tiaojie.cases.models import DisputeType, FollowUp
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error, show_refusal
from tiaojie.core.types import AuthedRequest
from tiaojie.supervision import exports, months, selectors
from tiaojie.supervision.choices import LedgerShow
from tiaojie.supervision.forms import CarryOverForm, CloseOutForm, LedgerFilterForm, ReopenForm
from tiaojie.supervision.rules import LEDGER_KINDS, may_close_out, may_keep_ledger
from tiaojie.supervision.services import ledger as services
from tiaojie.supervision.views.common import done, indented

# A page a phone can scroll: hundreds of open items run to tens of thousands of pixels.
PAGE_SIZE = 25


def _query(request: AuthedRequest) -> tuple[LedgerFilterForm, selectors.LedgerQuery]:
    """The filter form and what it asks for; a bad value falls back to the defaults."""
    user = request.user
    if user.organisation.kind not in LEDGER_KINDS:
        raise PermissionDenied  # a grid keeps no ledger
    orgs = list(selectors.ledger_organisations(user).order_by("path"))
    types = list(DisputeType.objects.order_by("code").values_list("pk", "name").distinct())
    form = LedgerFilterForm(request.GET or None, organisations=indented(orgs), dispute_types=types)
    data: dict[str, Any] = form.cleaned_data if form.is_bound and form.is_valid() else {}
    # An organisation out of scope is "not found", not silently the user's own.
    raw = request.GET.get("organisation", "")
    org = selectors.ledger_organisation(user, int(raw) if raw.isdigit() else None)
    today = timezone.localdate()
    month = data.get("month") or months.first_of(today)
    if not form.is_bound:
        form = LedgerFilterForm(
            initial={"organisation": org.pk, "month": f"{month:%Y-%m}", "show": LedgerShow.OPEN},
            organisations=indented(orgs),
            dispute_types=types,
        )
    query = selectors.LedgerQuery(
        org=org,
        month=month,
        show=data.get("show") or LedgerShow.OPEN,
        dispute_type=data.get("dispute_type") or None,
        overdue=bool(data.get("overdue")),
    )
    return form, query


@access(Capability.CASE_CONTENT)
def ledger_page(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form, query = _query(request)
    # Whether each agreed case had a follow-up visit, read with the rows: the close-out button
    # depends on it (one query for the page, not one per row).
    qs = selectors.ledger_cases(user, query).annotate(
        has_follow_up=Exists(FollowUp.objects.filter(case=OuterRef("pk")))
    )
    period, figures, rows = selectors.ledger_figures(query)
    paginator = Paginator(qs, PAGE_SIZE)
    if rows is not None:
        paginator.count = rows  # known already (a cached property of the paginator)
    page = paginator.get_page(request.GET.get("page"))
    ended = months.has_ended(query.month)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "query": query,
        "page": page,
        "offset": (page.number - 1) * PAGE_SIZE,
        "period": period,
        "figures": figures,
        "month_ended": ended,
        "can_carry_over": ended and period is None and may_keep_ledger(user, query.org),
        "can_export": user.can(Capability.CASE_EXPORT),
        "can_close": user.can(Capability.LEDGER_CLOSE),
        "params": params.urlencode(),
        "today": timezone.localdate(),
        "title": exports.title(query.org, query.month),
    }
    for case in page:
        case.may_close = may_close_out(user, case)  # type: ignore[attr-defined]
        case.refusal = services.close_out_refusal(case)  # type: ignore[attr-defined]
        case.time_limit = exports.time_limit(case)  # type: ignore[attr-defined]
    if request.htmx and not request.htmx.boosted:
        return render(request, "supervision/partials/ledger_table.html", context)
    return render(request, "supervision/ledger.html", context)


@access(Capability.CASE_EXPORT)
def ledger_export(request: AuthedRequest) -> HttpResponse:
    """The same rows and columns as the page, as XLSX; audited (904)."""
    user = request.user
    _form, query = _query(request)
    cases = selectors.ledger_cases(user, query)[: exports.EXPORT_LIMIT]
    body, count = exports.to_xlsx(query.org, query.month, cases)
    audit.record(
        EventType.LEDGER_EXPORTED,
        actor=user,
        organisation=query.org,
        after={
            "organisation_id": query.org.pk,
            "month": f"{query.month:%Y-%m}",
            "show": query.show,
            "dispute_type": query.dispute_type,
            "overdue": query.overdue,
            "rows": count,
        },
    )
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="ledger-{query.org.pk}-{query.month:%Y-%m}.xlsx"'
    )
    return response


@access(Capability.LEDGER_CLOSE)
def carry_over(request: AuthedRequest) -> HttpResponse:
    """Freeze a finished month (POST from the ledger page)."""
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    form = CarryOverForm(request.POST)
    fallback = reverse("supervision:ledger")
    if not form.is_valid():
        messages.error(request, _("Choose the organisation and the month."))
        return done(request, fallback)
    org = selectors.ledger_organisation(request.user, form.cleaned_data["organisation"])
    month = form.cleaned_data["month"]
    try:
        services.carry_over(actor=request.user, organisation=org, month=month)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The month is carried over; its figures are frozen."))
    return done(request, f"{fallback}?organisation={org.pk}&month={month:%Y-%m}")


def _case_for_ledger(request: AuthedRequest, pk: int) -> Any:
    case = selectors.case_or_404(request.user, pk)
    if not may_close_out(request.user, case):
        raise PermissionDenied
    return case


@access(Capability.LEDGER_CLOSE)
def close_out(request: AuthedRequest, pk: int) -> HttpResponse:
    """The close-out form of one ledger row (htmx fragment, or a page), and its submission."""
    case = _case_for_ledger(request, pk)
    status = 200
    if request.method == "POST":
        form = CloseOutForm(request.POST)
        if form.is_valid():
            try:
                services.close_out(actor=request.user, case=case, **form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = 409 if exc.status == 409 else 200
            else:
                messages.success(request, _("%(number)s is closed out.") % {"number": case.number})
                return done(request, reverse("supervision:ledger"))
    else:
        form = CloseOutForm()
        refusal = services.close_out_refusal(case)
        if refusal:
            show_refusal(form, refusal)
    context = {"case": case, "form": form, "next": request.GET.get("next", "")}
    template = (
        "supervision/partials/close_out_form.html"
        if request.htmx
        else "supervision/close_out_page.html"
    )
    return render(request, template, context, status=status)


@access(Capability.LEDGER_CLOSE)
def close_out_reopen(request: AuthedRequest, pk: int) -> HttpResponse:
    """Put an item closed out by mistake back on the ledger, saying why."""
    case = _case_for_ledger(request, pk)
    if request.method == "POST":
        form = ReopenForm(request.POST)
        if form.is_valid():
            try:
                services.close_out_reopen(
                    actor=request.user, case=case, reason=form.cleaned_data["reason"]
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(
                    request, _("%(number)s is back on the ledger.") % {"number": case.number}
                )
                return done(request, reverse("supervision:ledger"))
    else:
        form = ReopenForm()
    context = {"case": case, "form": form, "reopen": True, "next": request.GET.get("next", "")}
    template = (
        "supervision/partials/close_out_form.html"
        if request.htmx
        else "supervision/close_out_page.html"
    )
    return render(request, template, context)
