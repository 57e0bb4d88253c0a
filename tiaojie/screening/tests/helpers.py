"""Test builders: a round of committee A (东湖社区), opened for a given week."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tiaojie.organisations.models import Organisation
from tiaojie.screening.choices import Frequency, Level
from tiaojie.screening.models import Round

COMMITTEE_A = "东湖社区人民调解委员会"


def make_round(
    org_name: str = COMMITTEE_A,
    *,
    weeks_ago: int = 0,
    level: str = Level.COMMUNITY,
    assignee: object = None,
) -> Round:
    org = Organisation.objects.get(name=org_name)
    today = timezone.localdate() - dt.timedelta(weeks=weeks_ago)
    start = today - dt.timedelta(days=today.weekday())
    return Round.objects.create(
        organisation=org,
        organisation_path=org.path,
        level=level,
        frequency=Frequency.WEEKLY,
        period_start=start,
        due_on=start + dt.timedelta(days=6),
        assignee=assignee,  # type: ignore[misc]
    )
