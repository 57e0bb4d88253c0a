"""The demo has citizens with applications in several states; running it again adds nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tiaojie.cases.choices import CaseStatus
from tiaojie.documents.selectors import file_entries
from tiaojie.public.demo import seed_public_demo
from tiaojie.public.models import Application, Invitation, OpeningHours, Slot
from tiaojie.public.tests.helpers import sign_in

pytestmark = pytest.mark.django_db


def test_the_demo_shows_applications_in_every_state() -> None:
    assert seed_public_demo() == 10
    states = set(Application.objects.values_list("case__status", flat=True))
    assert states == set(CaseStatus)
    # One written agreement waits for the parties to sign on their phones.
    assert Application.objects.filter(
        case__status=CaseStatus.IN_MEDIATION, case__agreements__kind="written"
    ).exists()
    assert Invitation.objects.filter(proxy_by__isnull=False).count() == 1
    assert Invitation.objects.filter(agrees="yes").count() == 7
    assert Slot.objects.count() == 3 and OpeningHours.objects.count() == 10
    assert seed_public_demo() == 0
    assert Application.objects.count() == 10
    # A demo citizen signs in and sees the agreement in plain words.
    client = Client()
    sign_in(client, "18800000005")
    page = client.get(reverse("public:my_cases")).content.decode()
    assert "电梯长期故障" in page and "达成调解协议" in page


def test_an_archived_online_case_lists_the_real_name_record_as_the_applicants_proof() -> None:
    seed_public_demo()
    case = Application.objects.get(case__status=CaseStatus.ARCHIVED).case
    # Archived through the workflow's complete-file check: the applicant's proof is the
    # real-name record, the respondent's the ID number the mediator recorded from the card.
    assert all(p.id_number for p in case.parties.all())
    identity = [e for e in file_entries(case) if e.title == "当事人身份证明"]
    assert [e.note for e in identity] == ["申请人：网上实名认证记录；其他当事人：纸质另附"]
    client = Client()
    sign_in(client, "18800000010")
    page = client.get(reverse("public:my_cases")).content.decode()
    assert "楼下早点铺清晨噪音油烟扰民" in page and "已结束" in page
