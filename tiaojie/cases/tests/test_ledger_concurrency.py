"""A clerk registers a case while a large ledger is being imported at the same committee, in
the same year: the clerk does not wait for the import (PostgreSQL, two connections).

The import holds the year's number counter and the audit chain's head only for its last,
numbered phase (ADR 0044), so a registration made while it writes its other rows goes through,
and the import's numbers follow the clerk's with no gap.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone

from tests import personas as p
from tiaojie.accounts.models import User
from tiaojie.audit import chain
from tiaojie.audit.models import AuditEvent
from tiaojie.cases import ledger_write, numbering
from tiaojie.cases.ledger_import import ledger_import
from tiaojie.cases.models import Agreement, Case, CaseTransition
from tiaojie.cases.tests import factories as f
from tiaojie.cases.tests.ledger_files import many_rows, table
from tiaojie.core.models import OutboxEvent

ROWS = 30
BATCH = 10
# Only so that a clerk stuck behind the import fails the test instead of hanging it.
PATIENCE = 60


def this_year(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """The rows dated today, so the import and the clerk number from the same counter."""
    today = timezone.localdate().isoformat()
    return [
        {**row, **{key: today for key in ("登记日期", "协议日期") if key in row}} for row in rows
    ]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_case_registered_during_an_import_does_not_wait_for_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from conftest import restore_world

    restore_world()  # transactional tests start from an empty database
    monkeypatch.setattr(ledger_write, "BATCH_SIZE", BATCH)
    director = User.objects.get(username=p.DIRECTOR_A)
    clerk = User.objects.get(username=p.MEDIATOR_A)
    rows = this_year(many_rows(ROWS))
    importing = threading.Event()
    registered = threading.Event()
    clerk_cases: list[Case] = []
    errors: list[BaseException] = []
    registered_while_importing: list[bool] = []

    def register() -> None:
        try:
            if importing.wait(PATIENCE):
                clerk_cases.append(f.register(clerk))
                registered.set()
        except BaseException as exc:  # surfaced below with the assertion
            errors.append(exc)
        finally:
            connection.close()

    def progress(done: int, total: int) -> None:
        if done == BATCH:  # inside the import's transaction, its first batch written
            importing.set()
            registered_while_importing.append(registered.wait(PATIENCE))

    thread = threading.Thread(target=register)
    thread.start()
    try:
        created = ledger_import(
            actor=director, rows=table(rows), file_name="台账.xlsx", progress=progress
        )
    finally:
        importing.set()
        thread.join()
    assert errors == []
    assert registered_while_importing == [True]
    assert len(clerk_cases) == 1 and len(created) == ROWS
    # The clerk's number came first; the import's follow it, in one run with no gap.
    year = timezone.localdate().year
    mine = Case.objects.filter(committee=clerk.organisation, year=year)
    sequences = sorted(mine.values_list("sequence", flat=True))
    clerk_sequence = clerk_cases[0].sequence
    imported = sorted(case.sequence for case in created)
    assert imported == list(range(clerk_sequence + 1, clerk_sequence + ROWS + 1))
    assert sequences == list(range(sequences[0], sequences[0] + len(sequences)))
    assert_trail_names_the_numbers(created)
    assert_events_name_the_numbers(created)


def assert_trail_names_the_numbers(created: list[Case]) -> None:
    """Every audit event of an imported case names the number it was finally given."""
    numbers = {str(case.pk): case.number for case in created}
    named = AuditEvent.objects.filter(object_type="cases.case", object_id__in=numbers)
    pairs = list(named.values_list("object_id", "object_repr"))
    assert {object_id for object_id, _ in pairs} == set(numbers)
    assert all(numbers[object_id] == label for object_id, label in pairs)
    assert list(chain.verify()) == []


def assert_events_name_the_numbers(created: list[Case]) -> None:
    """The domain events and the agreement moves, written before the numbers were reserved
    (ADR 0048), name the agreements' final numbers, once each: those written under the numbers
    foreseen were taken back."""
    agreements = {
        a.pk: a.number for a in Agreement.objects.filter(case__in=[c.pk for c in created])
    }
    assert agreements
    in_effect = [
        event.payload
        for event in OutboxEvent.objects.filter(name="agreement.in_effect")
        if event.payload["agreement_id"] in agreements
    ]
    assert sorted(e["agreement_id"] for e in in_effect) == sorted(agreements)
    assert all(e["number"] == agreements[e["agreement_id"]] for e in in_effect)
    recorded = [
        move.data["agreement_number"]
        for move in CaseTransition.objects.filter(case__in=[c.pk for c in created])
        if "agreement_number" in move.data
    ]
    assert sorted(recorded) == sorted(agreements.values())
    mine = {c.pk for c in created}
    registered = OutboxEvent.objects.filter(name="case.registered")
    announced = [e.payload["case_id"] for e in registered if e.payload["case_id"] in mine]
    assert sorted(announced) == sorted(mine)  # once each


def test_numbers_taken_by_someone_else_meanwhile_are_not_reused(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import builds its events with the numbers the counter would give before it locks
    it; when another registration took them meanwhile, it numbers and builds them again."""
    director = User.objects.get(username=p.DIRECTOR_A)
    clerk = User.objects.get(username=p.MEDIATOR_A)
    peek = numbering.peek
    taken: list[Case] = []

    def overtaken(committee: object, year: int) -> int:
        foreseen = peek(committee, year)  # type: ignore[arg-type]
        taken.append(f.register(clerk))
        return foreseen

    monkeypatch.setattr(numbering, "peek", overtaken)
    created = ledger_import(
        actor=director, rows=table(this_year(many_rows(12))), file_name="台账.xlsx"
    )
    assert len(taken) == 1
    numbers = sorted(case.sequence for case in created)
    assert numbers == list(range(taken[0].sequence + 1, taken[0].sequence + 13))
    assert_trail_names_the_numbers(created)
    assert_events_name_the_numbers(created)
