"""Building supervision test data through the services, and days relative to today."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.cases.models import Case
from tiaojie.deadlines.calendar import WorkCalendar
from tiaojie.supervision.models import Supervision
from tiaojie.supervision.services.supervision import supervision_open


def calendar() -> WorkCalendar:
    today = timezone.localdate()
    return WorkCalendar.load(today.year - 1, today.year + 1)


def working_day(n: int = 5) -> dt.date:
    """The ``n``-th working day from today."""
    return calendar().add_working_days(timezone.localdate(), n)


def rest_day() -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=1)
    while calendar().is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def flag(officer: User, case: Case, deadline: dt.date | None = None) -> Supervision:
    return supervision_open(
        actor=officer,
        case=case,
        deadline=deadline or working_day(),
        instructions="限期十日内化解，每周报告进展。",
    )
