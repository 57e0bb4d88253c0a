"""When the case closes (heard through ``case.moved``) the applicant is texted once to rate
the service; the rating is given once, after closing only; a complaint reaches the director."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.cases.workflow import transition
from tiaojie.core.events import Event
from tiaojie.notifications.models import Notification
from tiaojie.public.listeners import invite_rating_when_closed
from tiaojie.public.models import Rating, SmsMessage
from tiaojie.public.tests.helpers import (
    PHONE,
    apply_online,
    last_text,
    routed_to_committee_a,
    sign_in,
)

pytestmark = pytest.mark.django_db


def _closed(client: Client):  # type: ignore[no-untyped-def]
    case = routed_to_committee_a(apply_online(client))
    mediator = User.objects.get(username="demo_mediator")
    case = transition(actor=mediator, case=case, action="accept")
    return transition(
        actor=mediator,
        case=case,
        action="terminate",
        reason="申请人撤回调解申请",
        data={"end_reason": "party_withdraws"},
    )


def test_closing_the_case_invites_a_rating_once() -> None:
    client = Client()
    sign_in(client)
    case = routed_to_committee_a(apply_online(client))
    page = client.get(reverse("public:my_case", args=[case.pk])).content.decode()
    assert "评价服务" not in page  # not before it ends
    texts = SmsMessage.objects.count()
    mediator = User.objects.get(username="demo_mediator")
    case = transition(actor=mediator, case=case, action="accept")
    assert SmsMessage.objects.count() == texts  # accepting is no closing
    case = transition(
        actor=mediator,
        case=case,
        action="terminate",
        reason="申请人撤回",
        data={"end_reason": "party_withdraws"},
    )
    assert "请登录评价" in last_text(PHONE) and case.number not in last_text(PHONE)
    count = SmsMessage.objects.count()
    # The event delivered again (at-least-once) sends nothing more.
    invite_rating_when_closed(
        Event(
            id=0,
            name="case.moved",
            payload={"case_id": case.pk, "to": "terminated"},
            at=timezone.now(),
        )
    )
    assert SmsMessage.objects.count() == count
    assert "评价服务" in client.get(reverse("public:my_case", args=[case.pk])).content.decode()


def test_a_complaint_reaches_the_director_and_a_second_rating_is_refused() -> None:
    client = Client()
    sign_in(client)
    case = _closed(client)
    response = client.post(
        reverse("public:rate", args=[case.pk]),
        {"score": "2", "comment": "调解员迟到一个小时", "is_complaint": "on"},
    )
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert rating.score == 2 and rating.is_complaint
    assert Notification.objects.filter(recipient__username="demo_director", case=case).exists()
    client.post(reverse("public:rate", args=[case.pk]), {"score": "5"})
    assert Rating.objects.get().score == 2


def test_no_rating_before_the_case_ends_nor_of_anothers_case() -> None:
    client = Client()
    sign_in(client)
    case = routed_to_committee_a(apply_online(client))
    client.post(reverse("public:rate", args=[case.pk]), {"score": "5"})
    assert not Rating.objects.exists()
    stranger = Client()
    sign_in(stranger, "13900139001")
    assert stranger.post(reverse("public:rate", args=[case.pk]), {"score": "5"}).status_code == 404
