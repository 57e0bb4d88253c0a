"""A routed case's clock to accept starts when it reaches the committee (issue 9, item 19):
the days it waited in the governance centre's queue count against the centre, not the
committee."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests import personas as p
from tiaojie.deadlines.models import DeadlineAlert
from tiaojie.deadlines.scan import run_scan
from tiaojie.deadlines.selectors import case_deadlines
from tiaojie.deadlines.tests.helpers import levels, set_registered
from tiaojie.routing.services.routing import case_route
from tiaojie.routing.tests.helpers import queued, user

pytestmark = pytest.mark.django_db


def test_the_committee_clock_starts_when_the_case_reaches_it() -> None:
    today = timezone.localdate()
    case = set_registered(queued(), today - dt.timedelta(days=20))
    # Twenty days in the centre's queue: late against the centre's own deadline.
    assert ("accept", "overdue") in levels(case, today)
    run_scan(today)
    waited = DeadlineAlert.objects.get(case=case, cleared_at__isnull=True)
    assert (waited.kind, waited.level) == ("accept", "overdue")

    routed = case_route(actor=user(p.STREET), case=case)

    # At the committee the case is new: it has its full time to accept it.
    assert levels(routed, today) == set()
    [accept] = [d for d in case_deadlines(routed) if d.kind == "accept"]
    assert accept.due_on > today and accept.level == ""
    # The centre's overdue alert cleared when the case left it, and the next scan raises
    # nothing against the committee.
    waited.refresh_from_db()
    assert waited.cleared_at is not None
    assert run_scan(today).raised == 0
    assert not DeadlineAlert.objects.filter(case=case, cleared_at__isnull=True).exists()
