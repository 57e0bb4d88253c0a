"""The respondent answers through the texted link, one question per screen; a mediator can
enter the answers on their behalf (marked); the engagement rate counts both sides taking
part."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.choices import PartyRole
from tiaojie.public.models import Invitation
from tiaojie.public.tests.helpers import (
    RESPONDENT_PHONE,
    apply_online,
    last_text,
    routed_to_committee_a,
    sign_in,
)

pytestmark = pytest.mark.django_db


def _link() -> str:
    found = re.search(r"https?://[^/]+(/m/r/[A-Za-z0-9_-]+/)", last_text(RESPONDENT_PHONE))
    assert found is not None
    return found.group(1)


def test_the_respondent_answers_one_question_at_a_time() -> None:
    applicant = Client()
    sign_in(applicant)
    case = apply_online(applicant)
    link = _link()
    respondent = Client()
    page = respondent.get(link).content.decode()
    assert "您是否同意调解" in page
    assert "赵丽华" not in page  # the applicant's name is not on the respondent's screen
    assert respondent.post(link, {"step": "agrees", "value": "yes"}).status_code == 302
    assert "您什么时间方便参加调解" in respondent.get(link).content.decode()
    respondent.post(link, {"step": "proposed_time", "value": "工作日晚上"})
    respondent.post(link, {"step": "statement", "value": "漏水是老房子的问题，愿意分担。"})
    assert "您的答复已转交调委会" in respondent.get(link).content.decode()
    invitation = Invitation.objects.get(case=case)
    assert invitation.agrees == "yes" and invitation.proposed_time == "工作日晚上"
    assert invitation.answered_at is not None and invitation.proxy_by is None
    assert AuditEvent.objects.filter(event_type=EventType.RESPONDENT_ANSWERED).count() == 3


def test_a_respondent_who_declines_is_asked_only_for_their_side() -> None:
    applicant = Client()
    sign_in(applicant)
    apply_online(applicant)
    link = _link()
    respondent = Client()
    respondent.post(link, {"step": "agrees", "value": "no"})
    assert "请简要说明您的意见" in respondent.get(link).content.decode()
    respondent.post(link, {"step": "statement", "value": ""})
    assert Invitation.objects.get().answered_at is not None


def test_a_wrong_token_is_not_found() -> None:
    assert Client().get(reverse("public:respond", args=["x" * 32])).status_code == 404


def test_a_mediator_enters_answers_on_the_partys_behalf(client_as: object) -> None:
    applicant = Client()
    sign_in(applicant)
    case = routed_to_committee_a(apply_online(applicant, respondent_phone=""))
    assert not Invitation.objects.exists()  # no number, no text
    respondent = case.parties.get(role=PartyRole.RESPONDENT)
    mediator = client_as("demo_mediator")  # type: ignore[operator]
    page = mediator.get(reverse("public:online_case", args=[case.pk])).content.decode()
    assert "代当事人录入答复" in page
    response = mediator.post(
        reverse("public:proxy_entry", args=[case.pk, respondent.pk]),
        {"agrees": "yes", "proposed_time": "周六上午", "statement": "电话中表示愿意调解"},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(party=respondent)
    assert invitation.proxy_by is not None and invitation.proxy_by.username == "demo_mediator"
    page = mediator.get(reverse("public:online_case", args=[case.pk])).content.decode()
    assert "由李建国代为录入" in page
    # The engagement figure counts it.
    listing = mediator.get(reverse("public:online_cases")).content.decode()
    assert 'data-invited="1" data-both="1"' in listing
    assert "100%" in listing


def test_the_engagement_rate_counts_only_respondents_who_agreed(client_as: object) -> None:
    for phone, answer in (("13800000001", "yes"), ("13800000002", "no"), ("13800000003", "")):
        applicant = Client()
        sign_in(applicant, phone)
        apply_online(applicant)
        if answer:
            Client().post(_link(), {"step": "agrees", "value": answer})
    # A governance-centre officer sees the three queued applications of the street.
    page = client_as("demo_street").get(reverse("public:online_cases")).content.decode()  # type: ignore[operator]
    assert 'data-invited="3" data-both="1"' in page
    assert "33%" in page
    # The sibling committee's director sees none of them.
    page = client_as("demo_mediator_b").get(reverse("public:online_cases")).content.decode()  # type: ignore[operator]
    assert 'data-invited="0"' in page


def test_the_online_list_shows_each_online_case_once_and_no_desk_case(client_as: object) -> None:
    from tiaojie.accounts.models import User
    from tiaojie.cases.tests import factories as f

    applicant = Client()
    sign_in(applicant)
    online = apply_online(applicant)
    # A second respondent texted too: two invitations must not list the case twice.
    second = online.parties.get(role=PartyRole.RESPONDENT)
    second.pk = None
    second.name = "赵六"
    second.save()
    Invitation.objects.create(
        case=online, party=second, token_hash="0" * 64, sent_at=timezone.now()
    )
    assert online.invitations.count() == 2
    desk = f.register(User.objects.get(username="demo_street"))
    response = client_as("demo_street").get(reverse("public:online_cases"))  # type: ignore[operator]
    listed = [case.pk for case in response.context["page"].object_list]
    assert listed == [online.pk]
    assert desk.pk not in listed
