"""Overdue screening rounds as an overdue source of the deadlines list (the level above reads
them there with its case deadlines). Registered from ``listeners.py``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaojie.deadlines.sources import OverdueItem, OverdueSource
from tiaojie.screening import selectors

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

# How many the deadlines list shows; the full list is the overdue page.
SHOWN = 50


def overdue_rounds(user: User) -> list[OverdueItem]:
    """The user's overdue rounds below, as deadlines-list items ([] without oversight)."""
    today = timezone.localdate()
    return [
        OverdueItem(
            what=_("%(frequency)s screening round") % {"frequency": r.get_frequency_display()},
            organisation=r.organisation.name,
            due_on=r.due_on,
            days_late=(today - r.due_on).days,
            url=reverse("screening:round_detail", args=[r.pk]),
        )
        for r in selectors.overdue_below(user)[:SHOWN]
    ]


SOURCE = OverdueSource(
    key="screening.rounds",
    label=gettext_lazy("Overdue screening rounds"),
    items=overdue_rounds,
)
