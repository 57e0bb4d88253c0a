"""Eight clerks register at once: every case gets its own number, with no gaps (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tiaojie.accounts.models import User
from tiaojie.cases.models import Case
from tiaojie.cases.tests import factories as f

WRITERS = 8
EACH = 5


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_get_unique_gap_free_numbers() -> None:
    from conftest import restore_world

    restore_world()  # transactional tests start from an empty database
    mediator = User.objects.get(username="demo_mediator")
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def clerk() -> None:
        try:
            barrier.wait()
            for _ in range(EACH):
                f.register(mediator)
        except BaseException as exc:  # surfaced below with the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sequences = sorted(
        Case.objects.filter(committee=mediator.organisation).values_list("sequence", flat=True)
    )
    assert sequences == list(range(1, WRITERS * EACH + 1))
    assert Case.objects.values("number").distinct().count() == WRITERS * EACH
