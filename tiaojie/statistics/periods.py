"""Reporting periods: a month (2026-11), a quarter (2026-Q4) or a year (2026)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from django.utils.translation import gettext as _

from tiaojie.core.errors import ValidationFailed, field_error

MONTH, QUARTER, YEAR = "month", "quarter", "year"
_PATTERN = re.compile(r"^(\d{4})(?:-(?:(\d{2})|Q([1-4])))?$")


@dataclasses.dataclass(frozen=True)
class Period:
    """A run of whole months, named as the user types it."""

    kind: str
    first: dt.date  # the first day of its first month
    last: dt.date  # the first day of its last month

    @property
    def code(self) -> str:
        if self.kind == MONTH:
            return f"{self.first:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        return str(self.first.year)

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return _("%(year)d年%(month)d月") % {"year": self.first.year, "month": self.first.month}
        if self.kind == QUARTER:
            return _("%(year)d年第%(quarter)d季度") % {
                "year": self.first.year,
                "quarter": (self.first.month - 1) // 3 + 1,
            }
        return _("%(year)d年") % {"year": self.first.year}

    @property
    def end(self) -> dt.date:
        """The last day of the period."""
        year, month = self.last.year + self.last.month // 12, self.last.month % 12 + 1
        return dt.date(year, month, 1) - dt.timedelta(days=1)

    def months(self) -> list[dt.date]:
        out, day = [], self.first
        while day <= self.last:
            out.append(day)
            day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return out


def parse(raw: str, field: str = "period") -> Period:
    """``2026-11``, ``2026-Q4`` or ``2026``; anything else is refused naming the field."""
    found = _PATTERN.match((raw or "").strip())
    month = int(found.group(2)) if found and found.group(2) else None
    if found is None or (month is not None and not 1 <= month <= 12):
        raise field_error(field, _("Enter a period as 2026-11, 2026-Q4 or 2026."))
    year = int(found.group(1))
    if month is not None:
        day = dt.date(year, month, 1)
        return Period(MONTH, day, day)
    if found.group(3):
        quarter = int(found.group(3))
        return Period(QUARTER, dt.date(year, 3 * quarter - 2, 1), dt.date(year, 3 * quarter, 1))
    return Period(YEAR, dt.date(year, 1, 1), dt.date(year, 12, 1))


def month_of(day: dt.date) -> Period:
    first = day.replace(day=1)
    return Period(MONTH, first, first)


__all__ = ["MONTH", "QUARTER", "YEAR", "Period", "ValidationFailed", "month_of", "parse"]
