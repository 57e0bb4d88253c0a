"""Time limits of supervision and of the trace, in one place.

They come from the deadlines app's rules (``deadline_rule(org, kind)``: a bureau's own rule,
else the default); if that app's rules are not installed, the defaults below apply. Nothing
else in this app reads a time limit.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from tiaojie.cases.workflow import add_months
from tiaojie.deadlines.calendar import WorkCalendar
from tiaojie.deadlines.selectors import deadline_rule

if TYPE_CHECKING:
    from tiaojie.organisations.models import Organisation

# 挂牌督办: ten working days to report back is the common default of bureaus' rules.
SUPERVISION_WORKING_DAYS = 10
# A committee decides on accepting an application within three working days.
ACCEPT_WORKING_DAYS = 3
FALLBACK = {"supervision": SUPERVISION_WORKING_DAYS, "accept": ACCEPT_WORKING_DAYS}


def rule(org: Organisation, kind: str) -> tuple[int, str]:
    """``(value, unit)`` of the rule of ``kind`` in force for ``org``."""
    found = deadline_rule(org, kind)
    return found.value, str(found.unit)


def deadline_after(
    org: Organisation, kind: str, start: dt.date, calendar: WorkCalendar | None = None
) -> dt.date:
    """The day the rule of ``kind`` for ``org`` falls due, counted from ``start``."""
    value, unit = rule(org, kind)
    return due_after(value, unit, start, calendar)


def due_after(
    value: int, unit: str, start: dt.date, calendar: WorkCalendar | None = None
) -> dt.date:

    if unit == "months":
        return add_months(start, value)
    if unit == "days":
        return start + dt.timedelta(days=value)
    cal = calendar or WorkCalendar.load(start.year - 1, start.year + 1)
    return cal.add_working_days(start, value)


def supervision_deadline(
    org: Organisation, start: dt.date, calendar: WorkCalendar | None = None
) -> dt.date:
    """The default deadline of a supervision that ``org`` opens on ``start``."""
    return deadline_after(org, "supervision", start, calendar)
