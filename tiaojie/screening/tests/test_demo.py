"""The demo shows a nil report, a finding turned into a case, a closed finding, overdue rounds
for the levels above, an assigned round and a prevented escalation; running it twice adds
nothing."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from conftest import World
from tiaojie.cases.choices import CaseSource
from tiaojie.cases.demo import seed_demo_cases
from tiaojie.screening.choices import FindingStatus, RoundStatus
from tiaojie.screening.demo import seed_screening_demo
from tiaojie.screening.models import (
    Campaign,
    CaseRisk,
    DuplicateSuggestion,
    Finding,
    PreventedEscalation,
    Round,
)
from tiaojie.screening.services import hotspots


def test_the_demo_screening(world: World, client_as: Callable[[str], Client]) -> None:
    seed_demo_cases(count=60)
    seed_screening_demo()
    nil = Round.objects.get(nil_report=True)
    assert nil.organisation == world.org("东湖社区人民调解委员会") and not nil.reported_late
    reported = Round.objects.get(status=RoundStatus.REPORTED, nil_report=False)
    assert reported.findings_count == 2
    turned = Finding.objects.filter(status=FindingStatus.CASE)
    assert turned.count() == 2 and all(f.case is not None for f in turned)
    # From the field app: a grid report waiting in 东湖街道's queue with the phone's photo and
    # voice note in its file, and a report with a photo still open.
    from_phone = Finding.objects.get(client_key="demo-field-1")
    assert from_phone.case is not None and from_phone.case.source == CaseSource.GRID
    assert from_phone.case.committee == world.org("东湖街道司法所")
    assert sorted(from_phone.case.attachments.values_list("content_type", flat=True)) == [
        "image/jpeg",
        "video/webm",
    ]
    still_open = Finding.objects.get(client_key="demo-field-2")
    assert still_open.status == FindingStatus.OPEN and still_open.media.count() == 1
    assert Finding.objects.filter(status=FindingStatus.CLOSED).count() == 1
    assert Round.objects.filter(status=RoundStatus.OVERDUE).exists()
    assert Round.objects.filter(assignee=world.user("demo_grid")).count() == 1
    assert PreventedEscalation.objects.count() == 1
    hot = [c for c in hotspots.cells(world.org("东湖区司法局").path) if c.hot]
    assert ("梨园社区人民调解委员会", "物业") in [(c.committee, c.dispute_type) for c in hot]
    assert DuplicateSuggestion.objects.filter(matched_by="phone").exists()
    assert CaseRisk.objects.filter(score__gte=3).exists()
    campaign = Campaign.objects.get()
    assert campaign.targets.count() == 2 and campaign.counts.count() == 10
    late = Round.objects.filter(status=RoundStatus.OVERDUE).select_related("organisation")
    district = world.org("东湖区司法局")
    below = [r.organisation.name for r in late if r.organisation.is_within(district)]
    assert below  # 东湖区 has communities that did not report last week
    page = client_as("demo_district").get(reverse("screening:overdue")).content.decode()
    assert all(name in page for name in below)

    counts = (
        Round.objects.count(),
        Finding.objects.count(),
        PreventedEscalation.objects.count(),
        Campaign.objects.count(),
    )
    seed_screening_demo()
    assert (
        Round.objects.count(),
        Finding.objects.count(),
        PreventedEscalation.objects.count(),
        Campaign.objects.count(),
    ) == counts
