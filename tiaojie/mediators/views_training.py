"""Training pages: courses, who attended, the coverage report and its lists as XLSX, the
bureau's training rule."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.accounts.roles import Capability
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.mediators import training, training_exports
from tiaojie.mediators.forms import AttendanceForm, CourseForm, TrainingRuleForm
from tiaojie.mediators.models import Course, TrainingRule
from tiaojie.mediators.rules import may_configure_ladder, mediator_policy


def get_course(request: AuthedRequest, pk: int) -> Course:
    course = training.courses_visible(request.user).filter(pk=pk).first()
    if course is None:
        raise Http404
    return course


@access(Capability.MEDIATOR_VIEW)
def course_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "mediators/course_list.html",
        {
            "courses": training.courses_visible(request.user)[:200],
            "can_manage": request.user.can(Capability.MEDIATOR_MANAGE),
        },
    )


@access(Capability.MEDIATOR_MANAGE)
def course_create(request: AuthedRequest) -> HttpResponse:
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            course = training.course_create(
                actor=request.user,
                data=training.CourseData(
                    title=d.get("title") or "",
                    kind=d.get("kind") or "",
                    mode=d.get("mode") or "",
                    hours=d.get("hours"),
                    starts_on=d.get("starts_on"),
                    ends_on=d.get("ends_on"),
                    teachers=d.get("teachers") or "",
                ),
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The course was saved. Record who attended next."))
            return redirect("mediators:course_detail", pk=course.pk)
    return render(request, "mediators/course_form.html", {"form": form})


def _course_context(request: AuthedRequest, course: Course, form: Any = None) -> dict[str, Any]:
    mine = mediator_policy.visible(request.user, Capability.MEDIATOR_VIEW)
    can_manage = request.user.can(Capability.MEDIATOR_MANAGE)
    return {
        "course": course,
        # Only the attendees the viewer may see: another district's mediators stay hidden.
        "attendances": course.attendances.filter(mediator__in=mine).select_related("mediator"),
        "form": form or (AttendanceForm(user=request.user) if can_manage else None),
        "can_manage": can_manage,
    }


@access(Capability.MEDIATOR_VIEW)
def course_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    course = get_course(request, pk)
    return render(request, "mediators/course_detail.html", _course_context(request, course))


@access(Capability.MEDIATOR_MANAGE)
@require_POST
def attendance_add(request: AuthedRequest, pk: int) -> HttpResponse:
    course = get_course(request, pk)
    form = AttendanceForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            made = training.attendance_record(
                actor=request.user,
                course_id=course.pk,
                mediators=list(form.cleaned_data.get("mediators") or []),
                hours=form.cleaned_data.get("hours"),
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("%(count)s attendances recorded.") % {"count": len(made)})
            return redirect("mediators:course_detail", pk=course.pk)
    context = _course_context(request, course, form)
    return render(request, "mediators/course_detail.html", context, status=422)


@access(Capability.MEDIATOR_VIEW)
def training_report(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 2000), today.year)
    return render(
        request,
        "mediators/training_report.html",
        {
            "coverage": training.coverage(request.user, today),
            "hours": training.hours_in_year(request.user, year),
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
            "can_export": request.user.can(Capability.MEDIATOR_MANAGE),
        },
    )


@access(Capability.MEDIATOR_MANAGE)
def training_export(request: AuthedRequest) -> HttpResponse:
    """One list of the report as XLSX: ``list`` = untrained, new or hours (with ``year``)."""
    which = request.GET.get("list", "untrained")
    if which not in training_exports.LISTS:
        raise Http404
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    return training_exports.response(request.user, which, year)


@access(Capability.RULES_CONFIGURE)
def training_rule(request: AuthedRequest) -> HttpResponse:
    if not may_configure_ladder(request.user):
        raise PermissionDenied
    bureau = request.user.organisation
    period, days = training.rule_for(bureau)
    form = TrainingRuleForm(
        request.POST or None, initial={"period_months": period, "new_mediator_days": days}
    )
    if request.method == "POST" and form.is_valid():
        try:
            training.rule_set(
                actor=request.user,
                period_months=form.cleaned_data["period_months"],
                new_mediator_days=form.cleaned_data["new_mediator_days"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The training rule was saved."))
            return redirect("mediators:training_rule")
    own = TrainingRule.objects.filter(bureau=bureau).exists()
    return render(
        request, "mediators/training_rule.html", {"form": form, "bureau": bureau, "own": own}
    )
