"""Shared builders for the deadline tests: cases through the services, users by name."""

from __future__ import annotations

import datetime as dt

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Role
from tiaojie.cases.models import Case
from tiaojie.deadlines.context import DeadlineContext
from tiaojie.deadlines.queries import deadline_set

D = dt.date
# The factories date everything today; the tests judge it on fixed days relative to that.
MEDIATOR = "demo_mediator"
DIRECTOR = "demo_director"


def user(username: str) -> User:
    return User.objects.get(username=username)


def staff_of(org_name: str, role: Role = Role.MEDIATOR) -> User:
    found = User.objects.filter(organisation__name=org_name, role=role, is_active=True).first()
    assert found is not None
    return found


def levels(case: Case, today: dt.date) -> set[tuple[str, str]]:
    """The (kind, level) sets the case falls in on ``today``; the home page's counts of every
    pair at once (``pair_counts``) must say the same."""
    ctx = DeadlineContext.build(today)
    from tiaojie.deadlines.queries import PAIRS, pair_counts

    one = Case.objects.filter(pk=case.pk)
    found = {pair for pair in PAIRS if deadline_set(one, *pair, ctx).exists()}
    counted = {pair for pair, n in pair_counts(one, ctx).items() if n}
    assert counted == found, (case.status, today)
    return found


def set_registered(case: Case, day: dt.date) -> Case:
    """Move a case's registration to ``day`` (as the demo and ledger import date cases)."""
    from tiaojie.deadlines.context import start_of_day

    Case.objects.filter(pk=case.pk).update(registered_at=start_of_day(day) + dt.timedelta(hours=10))
    return Case.objects.get(pk=case.pk)
