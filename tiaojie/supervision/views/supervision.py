"""Supervised cases: the list, one supervision with its history and actions, the flag form,
and the panel the case page loads."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from tiaojie.accounts.roles import Capability, Role
from tiaojie.cases.models import Case
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error, show_refusal
from tiaojie.core.types import AuthedRequest
from tiaojie.supervision import selectors
from tiaojie.supervision.choices import SupervisionAction
from tiaojie.supervision.forms import ACTION_FORMS, FlagForm
from tiaojie.supervision.ledger import close_out_of
from tiaojie.supervision.models import Supervision
from tiaojie.supervision.rules import flag_refusal, may_close_out
from tiaojie.supervision.services import ledger as ledger_services
from tiaojie.supervision.services import supervision as services
from tiaojie.supervision.views.common import done

PAGE_SIZE = 50
STATES = ("open", "overdue", "all")


@access(Capability.CASE_CONTENT)
def supervision_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if user.role == Role.GRID_WORKER:
        raise PermissionDenied
    state = request.GET.get("state", "open")
    state = state if state in STATES else "open"
    scope = "area" if request.GET.get("scope") == "area" else "ours"
    qs = selectors.supervisions_for(user, state=state, scope=scope)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "scope": scope,
        "is_officer": user.can(Capability.CASE_SUPERVISE),
        "today": timezone.localdate(),
        "query": f"state={state}&scope={scope}",
    }
    return render(request, "supervision/supervision_list.html", context)


def _detail_context(request: AuthedRequest, sup: Supervision) -> dict[str, Any]:
    return {
        "sup": sup,
        "case": sup.case,
        "reports": sup.reports.select_related("actor"),
        "actions": services.allowed_actions(sup, request.user),
        "action_labels": dict(SupervisionAction.choices),
        "chain": _chain(sup),
        "today": timezone.localdate(),
    }


def _chain(sup: Supervision) -> list[Supervision]:
    """The supervision's line: what it escalated from and to, oldest first."""
    return list(
        Supervision.objects.filter(case=sup.case)
        .select_related("supervising_org")
        .order_by("opened_at", "id")
    )


@access(Capability.CASE_CONTENT)
def supervision_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    sup = selectors.supervision_or_404(request.user, pk)
    return render(request, "supervision/supervision_detail.html", _detail_context(request, sup))


@access(Capability.CASE_CONTENT)
def supervision_action(request: AuthedRequest, pk: int) -> HttpResponse:
    """``?do=report|extend|close|escalate``: GET the form (fragment for htmx), POST it."""
    user = request.user
    sup = selectors.supervision_or_404(user, pk)
    name = request.GET.get("do", "")
    if not name:
        # The bar of buttons alone, e.g. to refresh it.
        return render(
            request, "supervision/partials/action_bar.html", _detail_context(request, sup)
        )
    form_class = ACTION_FORMS.get(name)
    if form_class is None:
        raise Http404
    if name not in services.allowed_actions(sup, user):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version", None)
            reason = str(data.pop("reason", ""))
            try:
                services.supervision_transition(
                    actor=user,
                    supervision=sup,
                    action=name,
                    reason=reason,
                    data=data,
                    version=version,
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = 409 if exc.status == 409 else 200
            else:
                messages.success(request, _("Saved."))
                return done(request, reverse("supervision:supervision_detail", args=[sup.pk]))
    else:
        initial: dict[str, Any] = {"version": sup.version}
        if name == "extend":
            initial["deadline"] = services.default_deadline(sup.supervising_org, sup.deadline)
        form = form_class(initial=initial)
    context = {
        "sup": sup,
        "form": form,
        "name": name,
        "label": SupervisionAction(name).label,
        "next": request.GET.get("next", ""),
    }
    template = (
        "supervision/partials/action_form.html" if request.htmx else "supervision/action_page.html"
    )
    return render(request, template, context, status=status)


@access(Capability.CASE_SUPERVISE)
def supervision_flag(request: AuthedRequest, pk: int) -> HttpResponse:
    """Flag a case for supervision: a deadline (the rules' default offered) and instructions."""
    user = request.user
    case = selectors.case_or_404(user, pk)
    status = 200
    if request.method == "POST":
        form: forms.Form = FlagForm(request.POST)
        if form.is_valid():
            try:
                sup = services.supervision_open(actor=user, case=case, **form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = exc.status if exc.status in (403, 409) else 200
            else:
                messages.success(request, _("The case is flagged for supervision."))
                url = reverse("supervision:supervision_detail", args=[sup.pk])
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    else:
        form = FlagForm(initial={"deadline": services.default_deadline(user.organisation)})
        refusal = flag_refusal(user, case)
        if refusal == "same_level":
            show_refusal(form, _("A case is flagged by a level above the one holding it."))
        elif refusal:
            show_refusal(form, _("This case cannot be flagged now."))
        elif selectors.open_supervision(case) is not None:
            show_refusal(form, _("This case is already under supervision."))
    template = (
        "supervision/partials/flag_form.html" if request.htmx else "supervision/flag_page.html"
    )
    return render(request, template, {"case": case, "form": form}, status=status)


@access(Capability.CASE_CONTENT)
def case_panel(request: AuthedRequest, pk: int) -> HttpResponse:
    """The supervision and ledger panel of a case's page (the case page hx-gets it)."""
    user = request.user
    case: Case = selectors.case_or_404(user, pk)
    if user.role == Role.GRID_WORKER:
        # A grid worker reports disputes; supervision and the ledger are the staff's business.
        return HttpResponse("")
    sup = selectors.open_supervision(case)
    item = close_out_of(case)
    context = {
        "case": case,
        "sup": sup,
        "reports": sup.reports.select_related("actor") if sup else [],
        "actions": services.allowed_actions(sup, user) if sup else [],
        "action_labels": dict(SupervisionAction.choices),
        "past": Supervision.objects.filter(case=case)
        .exclude(status="open")
        .select_related("supervising_org"),
        "may_flag": sup is None and not flag_refusal(user, case),
        "close_out": item,
        "may_close": may_close_out(user, case),
        "refusal": ledger_services.close_out_refusal(case) if item is None else "",
        "today": timezone.localdate(),
    }
    return render(request, "supervision/partials/case_panel.html", context)
