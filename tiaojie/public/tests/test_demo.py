"""The demo has citizens with applications in several states; running it again adds nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tiaojie.cases.choices import CaseStatus
from tiaojie.public.demo import seed_public_demo
from tiaojie.public.models import Application, Invitation, OpeningHours, Slot
from tiaojie.public.tests.helpers import sign_in

pytestmark = pytest.mark.django_db


def test_the_demo_shows_applications_in_every_state() -> None:
    assert seed_public_demo() == 9
    states = set(Application.objects.values_list("case__status", flat=True))
    # Every state but archived (archiving needs the paper identity proofs in the file).
    assert states == set(CaseStatus) - {CaseStatus.ARCHIVED}
    # One written agreement waits for the parties to sign on their phones.
    assert Application.objects.filter(
        case__status=CaseStatus.IN_MEDIATION, case__agreements__kind="written"
    ).exists()
    assert Invitation.objects.filter(proxy_by__isnull=False).count() == 1
    assert Invitation.objects.filter(agrees="yes").count() == 6
    assert Slot.objects.count() == 3 and OpeningHours.objects.count() == 10
    assert seed_public_demo() == 0
    assert Application.objects.count() == 9
    # A demo citizen signs in and sees the agreement in plain words.
    client = Client()
    sign_in(client, "18800000005")
    page = client.get(reverse("public:my_cases")).content.decode()
    assert "电梯长期故障" in page and "达成调解协议" in page
