"""Other apps' overdue work shown in the deadlines list (逾期事项), without deadlines importing
them.

Deadlines owns the list a level above reads every morning; some overdue work is not a case
deadline (a screening round not reported by its due day). Apps of the same layer register an
*overdue source* here (from their ``listeners.py``, which ``core`` imports at start-up);
``deadlines`` asks each source for the user's items. Deadlines never names them, so the two
watcher apps do not import each other both ways.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from tiaojie.accounts.models import User


@dataclass(frozen=True)
class OverdueItem:
    """One overdue piece of work the user's level should chase."""

    what: str  # e.g. "社区排查（周）": what is owed
    organisation: str  # who owes it
    due_on: date
    days_late: int  # calendar days
    url: str  # where to read it


@dataclass(frozen=True)
class OverdueSource:
    key: str
    label: str | Promise  # heading of the source's block in the list
    items: Callable[[User], list[OverdueItem]]  # scoped to the user; [] when not theirs


_SOURCES: dict[str, OverdueSource] = {}


def register(source: OverdueSource) -> None:
    """Add (or replace, by key: registering twice is harmless) an overdue source."""
    _SOURCES[source.key] = source


def overdue_elsewhere(user: User) -> list[tuple[OverdueSource, list[OverdueItem]]]:
    """For each registered source with something for the user: the source and its items,
    longest late first."""
    found = []
    for source in sorted(_SOURCES.values(), key=lambda s: s.key):
        items = sorted(source.items(user), key=lambda i: (-i.days_late, i.organisation))
        if items:
            found.append((source, items))
    return found
