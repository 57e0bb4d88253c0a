"""Screening periods: the week, month or quarter a day falls in; a round is due on its last day."""

from __future__ import annotations

import datetime as dt

from tiaojie.screening.choices import Frequency


def bounds(frequency: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the period of ``frequency`` that holds ``day``."""
    if frequency == Frequency.WEEKLY:
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    if frequency == Frequency.MONTHLY:
        start = day.replace(day=1)
    elif frequency == Frequency.QUARTERLY:
        start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    else:
        raise ValueError(frequency)
    months = 1 if frequency == Frequency.MONTHLY else 3
    month = start.month + months
    following = start.replace(year=start.year + (month - 1) // 12, month=(month - 1) % 12 + 1)
    return start, following - dt.timedelta(days=1)
