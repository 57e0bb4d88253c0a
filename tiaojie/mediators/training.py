"""Training: courses, who attended, the bureau's rule (trained within a period; new mediators
within N days), and the coverage it gives. Writes check, then write and audit in one
transaction; an attendance for a course the actor cannot see (or that does not exist) is
refused."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.mediators.choices import CourseKind, CourseMode, MediatorStatus
from tiaojie.mediators.error_codes import MediatorsErrorCode as E
from tiaojie.mediators.models import Attendance, Course, Mediator, TrainingRule
from tiaojie.mediators.rules import BUREAU_KINDS, may_configure_ladder, mediator_policy
from tiaojie.organisations.models import path_ids

if TYPE_CHECKING:
    from tiaojie.accounts.models import User
    from tiaojie.organisations.models import Organisation

DEFAULT_PERIOD_MONTHS = 36
DEFAULT_NEW_DAYS = 90
MAX_HOURS = Decimal("999.9")


@dataclass
class CourseData:
    title: str
    kind: str
    mode: str
    hours: Decimal | None
    starts_on: dt.date | None
    ends_on: dt.date | None
    teachers: str = ""


def _invalid(errors: dict[str, list[str]]) -> ValidationFailed:
    return ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)


def courses_visible(user: User) -> QuerySet[Course]:
    """Courses run within the viewer's subtree or by the organisations above them."""
    if not user.is_authenticated or not user.can(Capability.MEDIATOR_VIEW):
        return Course.objects.none()
    path = user.organisation.path
    return Course.objects.filter(
        Q(owner_path__startswith=path) | Q(owner_id__in=path_ids(path))
    ).select_related("owner")


def _clean_course(data: CourseData) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = [_("Give the course a title.")]
    if data.kind not in CourseKind.values:
        errors["kind"] = [_("Choose one of the listed values.")]
    if data.mode not in CourseMode.values:
        errors["mode"] = [_("Choose one of the listed values.")]
    if data.hours is None or not Decimal(0) < data.hours <= MAX_HOURS:
        errors["hours"] = [_("Enter the hours, more than 0 and at most 999.9.")]
    if data.starts_on is None:
        errors["starts_on"] = [_("Enter the first day.")]
    if data.ends_on is None:
        errors["ends_on"] = [_("Enter the last day.")]
    elif data.starts_on is not None and data.ends_on < data.starts_on:
        errors["ends_on"] = [_("The last day cannot be before the first.")]
    return errors


def course_create(*, actor: User, data: CourseData) -> Course:
    """A course run by the actor's organisation."""
    if not actor.can(Capability.MEDIATOR_MANAGE):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not record training."))
    errors = _clean_course(data)
    if errors or data.hours is None or data.starts_on is None or data.ends_on is None:
        raise _invalid(errors)
    with transaction.atomic():
        course = Course.objects.create(
            owner=actor.organisation,
            owner_path=actor.organisation.path,
            title=data.title.strip(),
            kind=data.kind,
            mode=data.mode,
            hours=data.hours,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            teachers=data.teachers.strip(),
        )
        audit.record(
            EventType.COURSE_SAVED,
            actor=actor,
            obj=course,
            after=audit.snapshot(
                course, ["title", "kind", "mode", "hours", "starts_on", "ends_on"]
            ),
        )
    return course


def course_for(actor: User, course_id: int | None) -> Course:
    """The course, if it exists and the actor may see it; otherwise a refusal in words."""
    course = courses_visible(actor).filter(pk=course_id).first() if course_id else None
    if course is None:
        message = _("No such training course: record the course first, then who attended.")
        raise ValidationFailed(E.UNKNOWN_COURSE, message, fields={"course": [message]})
    return course


def attendance_record(
    *,
    actor: User,
    course_id: int | None,
    mediators: list[Mediator],
    hours: Decimal | None = None,
) -> list[Attendance]:
    """Record that ``mediators`` attended the course (each once; a repeat is refused)."""
    if not actor.can(Capability.MEDIATOR_MANAGE):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not record training."))
    course = course_for(actor, course_id)
    if hours is not None and not Decimal(0) < hours <= course.hours:
        message = _("At most the course's %(hours)s hours.") % {"hours": course.hours}
        raise ValidationFailed(E.INVALID, message, fields={"hours": [message]})
    if not mediators:
        message = _("Choose who attended.")
        raise ValidationFailed(E.INVALID, message, fields={"mediators": [message]})
    visible = set(
        mediator_policy.visible(actor, Capability.MEDIATOR_VIEW)
        .filter(pk__in=[m.pk for m in mediators])
        .values_list("pk", flat=True)
    )
    if any(m.pk not in visible for m in mediators):
        message = _("A mediator chosen is not within your organisation.")
        raise ValidationFailed(E.INVALID, message, fields={"mediators": [message]})
    already = list(
        Mediator.objects.filter(attendances__course=course, pk__in=visible).values_list(
            "name", flat=True
        )
    )
    if already:
        raise Conflict(
            E.ATTENDANCE_EXISTS,
            _("Already recorded for this course: %(names)s.") % {"names": "、".join(already)},
        )
    try:
        with transaction.atomic():
            made = [
                Attendance.objects.create(
                    course=course, mediator=m, hours=hours or course.hours, recorded_by=actor
                )
                for m in mediators
            ]
            audit.record(
                EventType.ATTENDANCE_RECORDED,
                actor=actor,
                obj=course,
                after={"mediators": [m.pk for m in mediators], "hours": hours or course.hours},
            )
    except IntegrityError as exc:  # recorded meanwhile by someone else
        raise Conflict(E.ATTENDANCE_EXISTS, _("Already recorded for this course.")) from exc
    return made


# --- the rule -------------------------------------------------------------------------------


def rule_for(org: Organisation) -> tuple[int, int]:
    """(period in months, days for a new mediator) of the nearest bureau at or above ``org``."""
    ids = path_ids(org.path)
    rules = {r.bureau_id: r for r in TrainingRule.objects.filter(bureau_id__in=ids)}
    for pk in reversed(ids):
        if pk in rules:
            return rules[pk].period_months, rules[pk].new_mediator_days
    return DEFAULT_PERIOD_MONTHS, DEFAULT_NEW_DAYS


def rule_set(*, actor: User, period_months: int, new_mediator_days: int) -> TrainingRule:
    """Set the actor's bureau's training rule."""
    if not may_configure_ladder(actor) or actor.organisation.kind not in BUREAU_KINDS:
        raise NotPermitted(E.NOT_PERMITTED, _("Only a bureau's officers set its training rule."))
    errors: dict[str, list[str]] = {}
    if not 1 <= period_months <= 120:
        errors["period_months"] = [_("Between 1 and 120 months.")]
    if not 1 <= new_mediator_days <= 730:
        errors["new_mediator_days"] = [_("Between 1 and 730 days.")]
    if errors:
        raise _invalid(errors)
    with transaction.atomic():
        rule, _created = TrainingRule.objects.get_or_create(bureau=actor.organisation)
        before = {"period_months": rule.period_months, "new_mediator_days": rule.new_mediator_days}
        rule.period_months, rule.new_mediator_days = period_months, new_mediator_days
        rule.version += 1
        rule.save()
        audit.record(
            EventType.TRAINING_RULE_CHANGED,
            actor=actor,
            obj=rule,
            before=before,
            after={"period_months": period_months, "new_mediator_days": new_mediator_days},
        )
    return rule


# --- coverage -------------------------------------------------------------------------------


def months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last = [
        31,
        29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][month - 1]
    return dt.date(year, month, min(day.day, last))


@dataclass(frozen=True)
class Gap:
    mediator: Mediator
    last_trained: dt.date | None
    due_since: dt.date


@dataclass(frozen=True)
class Coverage:
    period_months: int
    new_mediator_days: int
    active: int
    untrained: list[Gap]  # not trained within the period
    new_untrained: list[Gap]  # joined, not trained within N days of joining


def coverage(user: User, today: dt.date | None = None) -> Coverage:
    """Who of the viewer's active mediators lacks training, by the rule of the viewer's place
    (the rule of the nearest bureau at or above it)."""
    today = today or timezone.localdate()
    period, new_days = rule_for(user.organisation)
    since = months_before(today, period)
    mediators = list(
        mediator_policy.visible(user, Capability.MEDIATOR_VIEW)
        .filter(status=MediatorStatus.ACTIVE)
        .annotate(last_trained=Max("attendances__course__ends_on"))
        .order_by("name", "id")
    )
    untrained, new_untrained = [], []
    for m in mediators:
        last: dt.date | None = m.last_trained
        due = m.joined_on + dt.timedelta(days=new_days)
        if m.joined_on >= since:
            # New (joined within the period): due within N days of joining.
            if (last is None or last < m.joined_on) and due < today:
                new_untrained.append(Gap(m, last, due))
        elif last is None or last < since:
            untrained.append(Gap(m, last, since))
    return Coverage(period, new_days, len(mediators), untrained, new_untrained)


@dataclass(frozen=True)
class Hours:
    mediator: Mediator
    hours: Decimal
    courses: int


def hours_in_year(user: User, year: int) -> list[Hours]:
    """Hours per active mediator in ``year`` (by the course's last day), fewest first."""
    mediators = (
        mediator_policy.visible(user, Capability.MEDIATOR_VIEW)
        .filter(status=MediatorStatus.ACTIVE)
        .order_by("name", "id")
    )
    totals = {
        row["mediator_id"]: row
        for row in Attendance.objects.filter(mediator__in=mediators)
        .annotate(year=ExtractYear("course__ends_on"))
        .filter(year=year)
        .values("mediator_id")
        .annotate(total=Sum("hours"), count=Sum(1))
    }
    rows = [
        Hours(
            m,
            totals.get(m.pk, {}).get("total") or Decimal(0),
            int(totals.get(m.pk, {}).get("count") or 0),
        )
        for m in mediators
    ]
    return sorted(rows, key=lambda r: (r.hours, r.mediator.name))
