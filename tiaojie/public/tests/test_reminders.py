"""Reminders to respondents who have not answered: a variant assigned at random and kept, its
own wording and timing, sent once, and the engagement rate per variant on the staff's page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.public.models import Invitation
from tiaojie.public.reminders import remind_due
from tiaojie.public.tests.helpers import (
    RESPONDENT_PHONE,
    apply_online,
    last_text,
    sign_in,
)

pytestmark = pytest.mark.django_db
SITE = "https://tiaojie.example"


def test_a_respondent_who_has_not_answered_is_reminded_once_by_their_variant() -> None:
    applicant = Client()
    sign_in(applicant)
    case = apply_online(applicant)
    invitation = Invitation.objects.get(case=case)
    assert invitation.reminder_variant in ("a", "b")  # assigned when invited
    first = last_text(RESPONDENT_PHONE)
    Invitation.objects.filter(pk=invitation.pk).update(reminder_variant="b")
    now = timezone.now()
    assert remind_due(site_url=SITE, now=now + dt.timedelta(days=1, hours=1)) == 0  # B waits 2
    assert remind_due(site_url=SITE, now=now + dt.timedelta(days=2, hours=1)) == 1
    text = last_text(RESPONDENT_PHONE)
    assert text != first and "调委会" in text
    link = re.search(r"/m/r/[A-Za-z0-9_-]+/", first)
    assert link is not None and f"{SITE}{link.group(0)}" in text  # the same link again
    assert "孙大伟" not in text and "赵丽华" not in text and case.number not in text
    assert remind_due(site_url=SITE, now=now + dt.timedelta(days=3)) == 0  # once only
    assert AuditEvent.objects.filter(event_type=EventType.REMINDER_SENT).count() == 1


def test_an_answered_invitation_gets_no_reminder_and_counts_for_its_variant(
    client: Client,
) -> None:
    applicant = Client()
    sign_in(applicant)
    case = apply_online(applicant)
    Invitation.objects.filter(case=case).update(reminder_variant="a", agrees="yes")
    assert remind_due(site_url=SITE, now=timezone.now() + dt.timedelta(days=5)) == 0
    client.force_login(User.objects.get(username="demo_street"))
    page = client.get(reverse("public:online_cases")).content.decode()
    assert 'id="reminder-variants"' in page
    row = page.split('data-variant="a"')[1].split("</tr>")[0]
    assert "100%" in row
