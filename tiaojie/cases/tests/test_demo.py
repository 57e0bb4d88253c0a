"""The demo cases cover every state and obey the same rules as real ones."""

from __future__ import annotations

from django.utils import timezone

from conftest import World
from tiaojie.cases import casefile
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.demo import seed_demo_cases
from tiaojie.cases.models import Case


def test_demo_cases_cover_every_state_and_archived_files_are_complete(world: World) -> None:
    assert seed_demo_cases(count=60) == 63  # 60 at committees + 3 in the centres' queues
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    for case in Case.objects.filter(status=CaseStatus.ARCHIVED):
        assert casefile.missing_documents(case) == []
    assert len({c.narrative for c in Case.objects.all()}) > 40  # varied, not one template
    # Spread over the year through the services' ``on=``: each case's steps carry its day.
    assert len({timezone.localdate(c.registered_at) for c in Case.objects.all()}) > 5
    for case in Case.objects.exclude(accepted_on=None):
        day = timezone.localdate(case.registered_at)
        assert case.accepted_on == day
        assert {timezone.localdate(t.at) for t in case.transitions.all()} == {day}
    assert seed_demo_cases(count=60) == 0  # idempotent
