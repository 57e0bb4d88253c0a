"""Where a mediator's evaluation finds the applicants' ratings (满意度): the public side keeps
them, and it registers its reader here (``public/listeners.py``), because the public side
already uses the mediators' registry for its directory and the two apps must not import each
other (``core/tests/test_import_loops.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

# Given the first and last day of a period: each rated case's id and its score (1–5).
RatingsReader = Callable[[dt.date, dt.date], dict[int, int]]

_READERS: list[RatingsReader] = []


def register(reader: RatingsReader) -> None:
    """Add a source of ratings (called once at start-up; twice adds nothing)."""
    if reader not in _READERS:
        _READERS.append(reader)


def ratings(starts_on: dt.date, ends_on: dt.date) -> dict[int, int]:
    """Every registered source's ratings given in the period, by case."""
    found: dict[int, int] = {}
    for reader in _READERS:
        found.update(reader(starts_on, ends_on))
    return found
