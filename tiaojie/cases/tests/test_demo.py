"""The demo cases cover every state and obey the same rules as real ones."""

from __future__ import annotations

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
    assert seed_demo_cases(count=60) == 0  # idempotent
