"""Expert pool pages (the pools of the viewer's area, a pool with its members) and the
consultations of a case: a page of this app the case page links to, and a panel the case page
loads through ``core.case_page`` (cases does not import mediators)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.accounts.roles import Capability
from tiaojie.cases.models import Case
from tiaojie.cases.rules import case_policy
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.mediators import experts
from tiaojie.mediators.choices import ExpertStatus
from tiaojie.mediators.forms_experts import (
    ConsultationForm,
    ExpertForm,
    ExpertStatusForm,
    OpinionForm,
    PoolForm,
)
from tiaojie.mediators.models_experts import Consultation, Expert, ExpertPool


def _pool(request: AuthedRequest, pk: int) -> ExpertPool:
    pool = experts.pools_visible(request.user).filter(pk=pk).first()
    if pool is None:
        raise Http404
    return pool


def _expert(request: AuthedRequest, pk: int) -> Expert:
    pools = experts.pools_visible(request.user)
    expert = Expert.objects.filter(pk=pk, pool__in=pools).select_related("pool__owner").first()
    if expert is None:
        raise Http404
    return expert


def _case(request: AuthedRequest, case_id: int) -> Case:
    return case_policy.get_or_404(
        request.user,
        Capability.CASE_CONTENT,
        base=Case.objects.select_related("committee", "dispute_type"),
        pk=case_id,
    )


@access(Capability.MEDIATOR_VIEW)
def pool_list(request: AuthedRequest) -> HttpResponse:
    """The pools kept at or above the viewer (to consult) and below them (to oversee)."""
    pools = list(experts.pools_visible(request.user).order_by("owner_path", "name"))
    counts = dict(
        Expert.objects.filter(pool__in=pools, status=ExpertStatus.ACTIVE)
        .values("pool_id")
        .order_by()
        .annotate(n=Count("id"))
        .values_list("pool_id", "n")
    )
    return render(
        request,
        "mediators/expert_pools.html",
        {
            "pools": [(p, counts.get(p.pk, 0)) for p in pools],
            "may_keep": experts.may_keep_pools(request.user),
        },
    )


def _save_pool(request: AuthedRequest, pool: ExpertPool | None) -> HttpResponse:
    initial = (
        {
            "name": pool.name,
            "description": pool.description,
            "version": pool.version,
            "dispute_types": list(pool.dispute_types.values_list("code", flat=True)),
        }
        if pool is not None
        else {}
    )
    form = PoolForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            saved = experts.pool_save(
                actor=request.user,
                name=d.get("name") or "",
                types=experts.dispute_types(d.get("dispute_types") or []),
                description=d.get("description") or "",
                pool=pool,
                version=d.get("version"),
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("mediators:pool_detail", pk=saved.pk)
    return render(
        request,
        "mediators/expert_pool_form.html",
        {"form": form, "pool": pool},
        status=422 if request.method == "POST" else 200,
    )


@access(Capability.MEDIATOR_MANAGE)
def pool_create(request: AuthedRequest) -> HttpResponse:
    if not experts.may_keep_pools(request.user):
        raise PermissionDenied
    return _save_pool(request, None)


@access(Capability.MEDIATOR_MANAGE)
def pool_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    pool = _pool(request, pk)
    if not experts.may_manage(request.user, pool):
        raise PermissionDenied
    return _save_pool(request, pool)


@access(Capability.MEDIATOR_VIEW)
def pool_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A pool's members (personal data masked) and, for its bureau, the forms to change them."""
    pool = _pool(request, pk)
    manage = experts.may_manage(request.user, pool)
    form = ExpertForm(request.POST or None, user=request.user) if manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                experts.expert_add(actor=request.user, pool=pool, data=form.data_for_service())
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("The expert was added to the pool."))
                return redirect("mediators:pool_detail", pk=pool.pk)
    members = list(pool.members.select_related("mediator").annotate(asked=Count("consultations")))
    return render(
        request,
        "mediators/expert_pool_detail.html",
        {
            "pool": pool,
            "members": [(m, experts.masked(m)) for m in members],
            "may_manage": manage,
            "form": form,
            "status_form": ExpertStatusForm(),
        },
        status=422 if request.method == "POST" else 200,
    )


@access(Capability.MEDIATOR_MANAGE)
@require_POST
def expert_move(request: AuthedRequest, pk: int) -> HttpResponse:
    expert = _expert(request, pk)
    form = ExpertStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the change to make."))
        return redirect("mediators:pool_detail", pk=expert.pool_id)
    d = form.cleaned_data
    try:
        experts.expert_transition(
            actor=request.user,
            expert=expert,
            action=d["action"],
            reason=d.get("reason") or "",
            version=d.get("version"),
            on=d.get("on"),
        )
    except DomainError as exc:
        messages.error(
            request, "；".join(m for ms in exc.fields.values() for m in ms) or exc.message
        )
    else:
        messages.success(request, _("The expert's status was changed."))
    return redirect("mediators:pool_detail", pk=expert.pool_id)


@access(Capability.MEDIATOR_MANAGE)
@require_POST
def expert_reveal(request: AuthedRequest, pk: int) -> HttpResponse:
    """An outside expert's ID number and phone in full, for the pool's bureau; audited."""
    expert = _expert(request, pk)
    shown = experts.revealed(request.user, expert)
    context = {"expert": expert, "shown": shown}
    if request.htmx:
        return render(request, "mediators/partials/expert_revealed.html", context)
    return render(request, "mediators/expert_revealed.html", context)


# --- on a case ------------------------------------------------------------------------------


@access(Capability.CASE_CONTENT)
def case_consultations(request: AuthedRequest, case_id: int) -> HttpResponse:
    """A case's consultations, and the form to record one for the committee handling it."""
    case = _case(request, case_id)
    may = experts.may_consult(request.user, case)
    form = ConsultationForm(
        request.POST or None, case=case, initial={"asked_on": timezone.localdate()}
    )
    if request.method == "POST":
        if not may:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                experts.consultation_record(
                    actor=request.user,
                    case=case,
                    expert_id=d.get("expert_id"),
                    question=d.get("question") or "",
                    asked_on=d.get("asked_on"),
                    opinion=d.get("opinion") or "",
                    answered_on=d.get("answered_on"),
                    followed=d.get("followed") or "",
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("The consultation was recorded."))
                return redirect("mediators:case_consultations", case_id=case.pk)
    return render(
        request,
        "mediators/case_consultations.html",
        {
            "case": case,
            "rows": experts.consultations_of(case),
            "form": form if may else None,
            "offered": experts.experts_for_case(case).exists(),
        },
        status=422 if request.method == "POST" else 200,
    )


@access(Capability.CASE_CONTENT)
def case_panel(request: AuthedRequest, case_id: int) -> HttpResponse:
    """On the case page (core.case_page): the experts consulted. Nothing, nothing rendered."""
    case = _case(request, case_id)
    return render(
        request,
        "mediators/partials/case_experts.html",
        {
            "case": case,
            "rows": experts.consultations_of(case),
            "may_consult": experts.may_consult(request.user, case)
            and experts.experts_for_case(case).exists(),
        },
    )


@access(Capability.CASE_HANDLE)
def consultation_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record the expert's opinion (it often comes days after the question)."""
    row = Consultation.objects.select_related("case", "expert__pool").filter(pk=pk).first()
    if row is None or not case_policy.allows(request.user, Capability.CASE_CONTENT, row.case):
        raise Http404
    if not experts.may_consult(request.user, row.case):
        raise PermissionDenied
    form = OpinionForm(
        request.POST or None,
        initial={
            "opinion": row.opinion,
            "answered_on": row.answered_on or timezone.localdate(),
            "followed": row.followed,
            "version": row.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            experts.consultation_answer(
                actor=request.user,
                consultation=row,
                opinion=d.get("opinion") or "",
                answered_on=d.get("answered_on"),
                followed=d.get("followed") or "",
                version=d.get("version"),
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The expert's opinion was recorded."))
            return redirect("mediators:case_consultations", case_id=row.case_id)
    return render(
        request,
        "mediators/consultation_answer.html",
        {"row": row, "case": row.case, "form": form},
        status=422 if request.method == "POST" else 200,
    )
