"""The notice that next year's holiday table is missing: from November, the calendar's keepers
(the top bureau's officers) are told once, because deadlines running into a year without a
table count its holidays as working days and are only provisional (docs/deadlines.md)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Role
from tiaojie.accounts.selectors import staff_of
from tiaojie.deadlines.models import CalendarYear
from tiaojie.notifications.models import NotificationKind
from tiaojie.notifications.services import notify
from tiaojie.organisations.models import Organisation

# The State Council publishes next year's table in late October or November; from November
# on, its absence is worth telling the people who enter it.
NOTICE_FROM_MONTH = 11


def calendar_keepers() -> list[User]:
    """Who is told about the calendar: the officers of the top bureau (the calendar is one for
    the installation), or every bureau officer when the top bureau has none."""
    roots = Organisation.objects.filter(parent__isnull=True).values("pk")
    people = list(staff_of(roots, [Role.BUREAU_OFFICER]))
    if not people:
        people = list(staff_of(Organisation.objects.values("pk"), [Role.BUREAU_OFFICER]))
    return people


def calendar_missing_notify(today: dt.date | None = None) -> int:
    """From November, tell the calendar's keepers once that next year has no table yet, and
    what that does to deadlines. Returns how many were notified (0 once they have been)."""
    day = today or timezone.localdate()
    year = day.year + 1
    if day.month < NOTICE_FROM_MONTH or CalendarYear.objects.filter(year=year).exists():
        return 0
    with translation.override("zh-hans"):
        title = _("The holiday table for %(year)d has not been entered") % {"year": year}
        body = _(
            "Deadlines that run into %(year)d count its holidays as working days and are marked "
            "provisional. Enter the State Council's table for %(year)d as soon as it is "
            "published; they are recomputed then."
        ) % {"year": year}
    return notify(
        calendar_keepers(),
        kind=NotificationKind.OTHER,
        title=title,
        body=body,
        url=reverse("deadlines:calendar_edit", args=[year]),
        key=f"calendar_missing:{year}",
    )
