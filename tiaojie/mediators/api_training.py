"""API of training: courses, attendance (an unknown course answers 422), coverage, hours,
the bureau's rule. Operations on the registry's router (imported by ``config.api``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Status, UploadedFile

from tiaojie.accounts.roles import Capability
from tiaojie.core.api import ERRORS, caller
from tiaojie.core.errors import ValidationFailed
from tiaojie.mediators import attendance_import, training
from tiaojie.mediators.api import router
from tiaojie.mediators.error_codes import MediatorsErrorCode as E
from tiaojie.mediators.models import Attendance, Course, Mediator
from tiaojie.mediators.schemas import (
    AttendanceImportOut,
    AttendanceIn,
    AttendanceOut,
    CourseIn,
    CourseOut,
    CoverageOut,
    HoursOut,
    TrainingRuleIn,
    TrainingRuleOut,
)
from tiaojie.mediators.training import Gap


@router.get(
    "/training/courses", response={200: list[CourseOut], **ERRORS}, operation_id="courses_list"
)
def courses_list(request: HttpRequest) -> list[Course]:
    """Courses run within the caller's subtree or above it (newest first, at most 200)."""
    return list(training.courses_visible(caller(request, Capability.MEDIATOR_VIEW))[:200])


@router.post(
    "/training/courses", response={201: CourseOut, **ERRORS}, operation_id="courses_create"
)
def courses_create(request: HttpRequest, body: CourseIn) -> Status[Course]:
    user = caller(request, Capability.MEDIATOR_MANAGE)
    data = training.CourseData(**body.model_dump())
    return Status(201, training.course_create(actor=user, data=data))


@router.post(
    "/training/attendances",
    response={201: list[AttendanceOut], **ERRORS},
    operation_id="attendances_create",
)
def attendances_create(request: HttpRequest, body: AttendanceIn) -> Status[list[Attendance]]:
    """Record who attended a course; 422 ``unknown_course`` for a course the caller cannot
    see, 409 for someone already recorded."""
    user = caller(request, Capability.MEDIATOR_MANAGE)
    mediators = list(Mediator.objects.filter(pk__in=body.mediator_ids))
    if len(mediators) != len(set(body.mediator_ids)):
        # An id that is no mediator reads like one out of scope: nothing to tell apart.
        message = _("A mediator chosen is not within your organisation.")
        raise ValidationFailed(E.INVALID, message, fields={"mediator_ids": [message]})
    made = training.attendance_record(
        actor=user, course_id=body.course_id, mediators=mediators, hours=body.hours
    )
    return Status(201, made)


def _gap(g: Gap) -> dict[str, Any]:
    return {
        "mediator_id": g.mediator.pk,
        "name": g.mediator.name,
        "joined_on": g.mediator.joined_on,
        "last_trained": g.last_trained,
        "due_since": g.due_since,
    }


@router.get(
    "/training/coverage", response={200: CoverageOut, **ERRORS}, operation_id="training_coverage"
)
def training_coverage(request: HttpRequest) -> dict[str, Any]:
    """Active mediators not trained within the period, and new ones not within N days."""
    found = training.coverage(caller(request, Capability.MEDIATOR_VIEW))
    return {
        "period_months": found.period_months,
        "new_mediator_days": found.new_mediator_days,
        "active": found.active,
        "untrained": [_gap(g) for g in found.untrained],
        "new_untrained": [_gap(g) for g in found.new_untrained],
    }


@router.get(
    "/training/hours", response={200: list[HoursOut], **ERRORS}, operation_id="training_hours"
)
def training_hours(request: HttpRequest, year: int | None = None) -> list[dict[str, Any]]:
    """Hours per active mediator in ``year`` (default this year), fewest first."""
    user = caller(request, Capability.MEDIATOR_VIEW)
    today = timezone.localdate()
    chosen = min(max(year or today.year, 2000), today.year + 1)
    return [
        {
            "mediator_id": r.mediator.pk,
            "name": r.mediator.name,
            "courses": r.courses,
            "hours": r.hours,
        }
        for r in training.hours_in_year(user, chosen)
    ]


@router.get(
    "/training/rule", response={200: TrainingRuleOut, **ERRORS}, operation_id="training_rule_read"
)
def training_rule_read(request: HttpRequest) -> dict[str, int]:
    """The rule in force at the caller's place."""
    period, days = training.rule_for(caller(request, Capability.MEDIATOR_VIEW).organisation)
    return {"period_months": period, "new_mediator_days": days}


@router.put(
    "/training/rule",
    response={200: TrainingRuleOut, **ERRORS},
    operation_id="training_rule_update",
)
def training_rule_update(request: HttpRequest, body: TrainingRuleIn) -> dict[str, int]:
    user = caller(request, Capability.RULES_CONFIGURE)
    rule = training.rule_set(
        actor=user, period_months=body.period_months, new_mediator_days=body.new_mediator_days
    )
    return {"period_months": rule.period_months, "new_mediator_days": rule.new_mediator_days}


@router.post(
    "/training/attendance/import",
    response={200: AttendanceImportOut, **ERRORS},
    operation_id="training_attendance_import",
)
def training_attendance_import(request: HttpRequest, file: File[UploadedFile]) -> dict[str, int]:
    """Import attendance (XLSX/CSV, multipart; columns 培训课程, 身份证号, 姓名, 学时). Nothing
    is written unless every row is valid; otherwise 422 ``import_invalid`` with one ``fields``
    entry per problem, keyed ``"<row>:<column>"`` as the spreadsheet shows them."""
    user = caller(request, Capability.MEDIATOR_MANAGE)
    written = attendance_import.attendance_import(actor=user, file=file, file_name=file.name or "")
    return {"records": written}
