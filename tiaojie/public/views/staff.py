"""The staff's side of the public pages, scoped like cases (not yours: 404): the online cases
with the engagement figure, one case's messages with its party, the respondent's answers and
the proxy entry, the interview and the evidence, and the panel the case page loads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.accounts.roles import Capability
from tiaojie.cases.choices import PartyRole
from tiaojie.cases.models import Case
from tiaojie.cases.rules import may_work_on
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.public import selectors, services
from tiaojie.public.forms import MessageForm, ProxyForm
from tiaojie.public.models import Application, Evidence, Invitation

PAGE_SIZE = 50


@access(Capability.CASE_CONTENT)
def online_cases(request: AuthedRequest) -> HttpResponse:
    """The online cases in scope, and the engagement rate: of the respondents invited, how
    many agreed to mediate (both sides taking part)."""
    page = Paginator(selectors.staff_online_cases(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "engagement": selectors.engagement(request.user),
        "variants": selectors.engagement_by_variant(request.user),
        "nav_current": "public:online_cases",
    }
    return render(request, "public/staff/online_cases.html", context)


def _may_act(request: AuthedRequest, case: Case) -> bool:
    return request.user.can(Capability.CASE_HANDLE) and may_work_on(request.user, case)


def _context(request: AuthedRequest, case: Case) -> dict[str, object]:
    respondents = case.parties.filter(role=PartyRole.RESPONDENT)
    invitations = {i.party_id: i for i in Invitation.objects.filter(case=case)}
    return {
        "case": case,
        "application": Application.objects.filter(case=case).first(),
        "messages_list": selectors.messages_of(case),
        "evidence": selectors.evidence_of(case),
        "respondents": [(party, invitations.get(party.pk)) for party in respondents],
        "may_act": _may_act(request, case),
        "form": MessageForm(),
        "proxy_form": ProxyForm(),
        "plain_status": selectors.plain_status(case.status),
    }


@access(Capability.CASE_CONTENT)
def online_case(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.staff_case_or_404(request.user, pk)
    return render(request, "public/staff/online_case.html", _context(request, case))


@require_POST
@access(Capability.CASE_HANDLE)
def message_send(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.staff_case_or_404(request.user, pk)
    if not _may_act(request, case):
        raise PermissionDenied
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_from_staff(
                actor=request.user, case=case, text=form.cleaned_data["text"]
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return redirect("public:online_case", case.pk)
    context = {**_context(request, case), "form": form}
    return render(request, "public/staff/online_case.html", context, status=422)


@require_POST
@access(Capability.CASE_HANDLE)
def proxy_entry(request: AuthedRequest, pk: int, party_id: int) -> HttpResponse:
    """The mediator records a respondent's answers given by phone or in person (marked as
    entered on their behalf)."""
    case = selectors.staff_case_or_404(request.user, pk)
    if not _may_act(request, case):
        raise PermissionDenied
    party = case.parties.filter(pk=party_id, role=PartyRole.RESPONDENT).first()
    if party is None:
        raise Http404
    form = ProxyForm(request.POST)
    if form.is_valid():
        invitation = services.proxy_invitation(actor=request.user, case=case, party=party)
        try:
            services.proxy_answers(actor=request.user, invitation=invitation, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The answers were recorded on the party's behalf."))
            return redirect("public:online_case", case.pk)
    context = {**_context(request, case), "proxy_form": form}
    return render(request, "public/staff/online_case.html", context, status=422)


@access(Capability.CASE_CONTENT)
def evidence_download(request: AuthedRequest, pk: int, evidence_id: int) -> FileResponse:
    case = selectors.staff_case_or_404(request.user, pk)
    evidence = Evidence.objects.filter(pk=evidence_id, case=case).first()
    if evidence is None:
        raise Http404
    path = services.evidence_dir(case) / evidence.stored_name
    if not path.exists():
        raise Http404
    services.evidence_downloaded(actor=request.user, evidence=evidence)
    return FileResponse(
        path.open("rb"), content_type=evidence.content_type, filename=evidence.original_name
    )


@access(Capability.CASE_CONTENT)
def case_panel(request: AuthedRequest, pk: int) -> HttpResponse:
    """The public side's panel of the case page: whether the case came online, the respondent's
    answers, and the way to the messages (the case page hx-gets it)."""
    case = selectors.staff_case_or_404(request.user, pk)
    context = _context(request, case)
    context["online"] = (
        context["application"] is not None or Invitation.objects.filter(case=case).exists()
    )
    return render(request, "public/staff/case_panel.html", context)
