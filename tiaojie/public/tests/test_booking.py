"""Booking: mediators offer times, directors publish opening hours, a party books one time of
the case's committee with a texted confirmation, and a slot is never booked twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.public import booking
from tiaojie.public.models import Booking, Slot
from tiaojie.public.tests.helpers import (
    OTHER_PHONE,
    PHONE,
    apply_online,
    last_text,
    routed_to_committee_a,
    sign_in,
)

pytestmark = pytest.mark.django_db


def _tomorrow_at(hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _offered(hour: int = 15) -> Slot:
    return booking.slot_add(
        actor=User.objects.get(username="demo_mediator"), starts_at=_tomorrow_at(hour)
    )


def test_a_mediator_offers_a_time_and_the_director_publishes_hours(client_as: object) -> None:
    mediator = client_as("demo_mediator")  # type: ignore[operator]
    response = mediator.post(
        reverse("public:slots"),
        {"starts_at": _tomorrow_at(9).strftime("%Y-%m-%dT%H:%M"), "minutes": "60"},
    )
    assert response.status_code == 302
    assert Slot.objects.get().mediator.username == "demo_mediator"
    # A time in the past is refused on its field.
    response = mediator.post(
        reverse("public:slots"), {"starts_at": "2020-01-01T09:00", "minutes": "60"}
    )
    assert response.status_code == 422 and "请选择将来的时间" in response.content.decode()
    director = client_as("demo_director")  # type: ignore[operator]
    response = director.post(
        reverse("public:slots"), {"weekday": "0", "opens": "09:00", "closes": "17:00"}
    )
    assert response.status_code == 302
    response = mediator.post(
        reverse("public:slots"), {"weekday": "1", "opens": "09:00", "closes": "17:00"}
    )
    assert response.status_code == 403


def test_a_party_books_a_time_with_a_texted_confirmation() -> None:
    client = Client()
    citizen = sign_in(client)
    case = apply_online(client)
    slot = _offered()
    # Queued at the centre: no committee yet, nothing to book.
    page = client.get(reverse("public:book", args=[case.pk])).content.decode()
    assert "调委会受理案件后才能预约" in page
    routed_to_committee_a(case)
    page = client.get(reverse("public:book", args=[case.pk])).content.decode()
    assert f'value="{slot.pk}"' in page
    response = client.post(reverse("public:book", args=[case.pk]), {"slot": slot.pk})
    assert response.status_code == 302
    assert Booking.objects.get().citizen == citizen
    text = last_text(PHONE)
    assert "东湖社区人民调解委员会" in text and "孙大伟" not in text
    # Booked: no longer offered, to anyone.
    assert (
        f'value="{slot.pk}"'
        not in client.get(reverse("public:book", args=[case.pk])).content.decode()
    )


def test_a_slot_is_never_booked_twice() -> None:
    first, second = Client(), Client()
    sign_in(first)
    sign_in(second, OTHER_PHONE)
    case_one = routed_to_committee_a(apply_online(first))
    case_two = routed_to_committee_a(apply_online(second))
    slot = _offered()
    assert (
        first.post(reverse("public:book", args=[case_one.pk]), {"slot": slot.pk}).status_code == 302
    )
    response = second.post(reverse("public:book", args=[case_two.pk]), {"slot": slot.pk})
    assert response.status_code == 409
    assert "该时间刚刚被预约" in response.content.decode()
    assert Booking.objects.count() == 1
    # The database itself refuses a second row, whatever the code above checked.
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            slot=slot,
            case=case_two,
            citizen=case_two.online_application.citizen,
            confirmed_at=timezone.now(),
        )


def test_another_committees_slot_cannot_be_booked() -> None:
    client = Client()
    sign_in(client)
    case = routed_to_committee_a(apply_online(client))
    other = booking.slot_add(
        actor=User.objects.get(username="demo_mediator_b"), starts_at=_tomorrow_at(10)
    )
    response = client.post(reverse("public:book", args=[case.pk]), {"slot": other.pk})
    assert response.status_code == 409
    assert not Booking.objects.exists()
