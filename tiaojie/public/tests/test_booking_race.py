"""Eight phones book the same slot at the same moment: one booking, seven told the time was
taken (PostgreSQL; the unique column decides, not the check before it)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tiaojie.core.errors import Conflict
from tiaojie.public import booking
from tiaojie.public.models import Booking

PHONES = 8


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_bookings_of_one_slot_give_one_booking() -> None:
    from django.test import Client

    from conftest import restore_world
    from tiaojie.accounts.models import User
    from tiaojie.public.tests.helpers import apply_online, routed_to_committee_a, sign_in
    from tiaojie.public.tests.test_booking import _tomorrow_at

    restore_world()  # transactional tests start from an empty database
    cases = []
    for index in range(PHONES):
        client = Client()
        sign_in(client, f"1360000000{index}")
        cases.append(routed_to_committee_a(apply_online(client)))
    slot = booking.slot_add(
        actor=User.objects.get(username="demo_mediator"), starts_at=_tomorrow_at(15)
    )
    barrier = threading.Barrier(PHONES)
    taken: list[str] = []
    errors: list[BaseException] = []

    def phone(case_index: int) -> None:
        case = cases[case_index]
        try:
            barrier.wait()
            booking.book(citizen=case.online_application.citizen, case=case, slot_id=slot.pk)
        except Conflict as exc:
            taken.append(exc.code)
        except BaseException as exc:  # surfaced below with the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=phone, args=(i,)) for i in range(PHONES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Booking.objects.filter(slot=slot).count() == 1
    assert taken == ["slot_taken"] * (PHONES - 1)
