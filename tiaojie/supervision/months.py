"""Calendar months of the ledger: parsing ``YYYY-MM`` and their bounds in local time."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def first_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def previous_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def last_day(month: dt.date) -> dt.date:
    return next_month(month) - dt.timedelta(days=1)


def parse(value: str | None, default: dt.date | None = None) -> dt.date | None:
    """``2026-11`` → 2026-11-01; anything else → ``default``."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        return default


def start_of(day: dt.date) -> dt.datetime:
    """Midnight starting ``day``, local time: registrations are datetimes."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def has_ended(month: dt.date, today: dt.date | None = None) -> bool:
    return next_month(month) <= (today or timezone.localdate())
