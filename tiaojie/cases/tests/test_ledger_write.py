"""The bulk writer's own machinery, under the ledger import: plain values written as they are
(``core.bulk.preparer``) and cases inserted first under temporary numbers, then renumbered."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, connections, models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tests import personas as p
from tiaojie.accounts.models import User
from tiaojie.audit import chain
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditChainHead, AuditEvent
from tiaojie.cases import ledger_write, numbering
from tiaojie.cases.ledger_import import ledger_import
from tiaojie.cases.models import Agreement, Case, CaseTransition, Party
from tiaojie.cases.tests.factories import register
from tiaojie.cases.tests.ledger_files import many_rows, table
from tiaojie.core import bulk
from tiaojie.core.models import OutboxEvent


def prepared_both_ways(obj: models.Model) -> list[tuple[str, Any, Any]]:
    """(field, the fast preparation, the field's own) for every field that may take the fast
    one (the others, such as encrypted fields or ``auto_now_add``, always go the field's way)."""
    wrapper = connections[connection.alias]
    found = []
    for field in obj._meta.concrete_fields:
        if bulk.plain_kinds(field) is None:
            continue
        slow = field.get_db_prep_save(field.pre_save(obj, True), wrapper)
        found.append((field.name, bulk.preparer(field, wrapper)(obj), slow))
    return found


def same(fast: Any, slow: Any) -> bool:
    """Equal as PostgreSQL receives them: psycopg's integer wrappers hold the same number."""
    return bool(fast == slow) and (fast is None) == (slow is None)


@pytest.mark.postgres_only
def test_plain_values_are_written_as_the_fields_would_write_them(db: None) -> None:
    """Every column of the rows a ledger import writes gets the value the model field's own
    preparation gives it, odd values included (a lazy string, a naive time, a datetime given
    for a date)."""
    director = User.objects.get(username=p.DIRECTOR_A)
    case = register(director)
    case.summary = gettext_lazy("Summary")  # type: ignore[assignment] # a lazy string
    case.accepted_on = timezone.now()  # a datetime in a DateField: cut to its day
    naive = dt.datetime(2024, 5, 1, 9, 0)  # noqa: DTZ001 - the point of the check
    transition = CaseTransition(
        case=case,
        action="accept",
        from_status="registered",
        to_status="accepted",
        actor=director,
        actor_name=director.full_name,
        at=naive,
        data={"on": "2024-05-01"},
    )
    event = audit.build(
        EventType.CASE_REGISTERED, actor=director, obj=case, after={"on": dt.date(2024, 5, 1)}
    )
    rows: list[models.Model] = [
        case,
        *Party.objects.filter(case=case),
        transition,
        event,
        OutboxEvent(name="case.registered", payload={"case_id": case.pk}),
    ]
    compared = 0
    # The naive time goes the field's way, which warns (and makes it aware), both times.
    with pytest.warns(RuntimeWarning, match="naive datetime"):
        for obj in rows:
            for name, fast, slow in prepared_both_ways(obj):
                assert same(fast, slow), (type(obj).__name__, name, fast, slow)
                compared += 1
    assert compared > 50
    # Encrypted and JSON fields prepare their own values.
    assert bulk.plain_kinds(Party._meta.get_field("id_number")) is None
    assert bulk.plain_kinds(AuditEvent._meta.get_field("after")) is None


def test_cases_written_under_temporary_numbers_end_with_their_own(db: None) -> None:
    """The cases and agreements go in before the numbers are taken; once the import is done
    none is left under a temporary number, each year's numbers run on with no gap and each
    agreement carries its case's number."""
    director = User.objects.get(username=p.DIRECTOR_A)
    before = register(director)
    created = ledger_import(actor=director, rows=table(many_rows(12)), file_name="台账.xlsx")
    assert len(created) == 12
    assert not Case.objects.filter(number__startswith=ledger_write.TEMPORARY).exists()
    assert not Agreement.objects.filter(number__startswith=ledger_write.TEMPORARY).exists()
    assert not Case.objects.filter(sequence__gte=ledger_write.TEMPORARY_SEQUENCE).exists()
    stored = {case.pk: case for case in Case.objects.filter(pk__in=[c.pk for c in created])}
    for case in created:
        assert (stored[case.pk].number, stored[case.pk].sequence) == (case.number, case.sequence)
    for year in {case.year for case in created}:
        sequences = sorted(
            Case.objects.filter(committee=before.committee, year=year).values_list(
                "sequence", flat=True
            )
        )
        assert sequences == list(range(sequences[0], sequences[0] + len(sequences)))
    agreements = Agreement.objects.filter(case__in=created).select_related("case")
    assert agreements.exists()
    assert all(a.number == f"{a.case.number}协1" for a in agreements)


def test_a_failure_once_the_cases_are_in_leaves_nothing(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All or nothing still: when the import fails after its cases went in under temporary
    numbers (here: taking the numbers), none of its rows stays."""
    director = User.objects.get(username=p.DIRECTOR_A)
    cases, parties, trail = Case.objects.count(), Party.objects.count(), AuditEvent.objects.count()

    def refused(*args: object) -> int:
        raise RuntimeError("the counter is gone")

    monkeypatch.setattr(numbering, "reserve", refused)
    with pytest.raises(RuntimeError):
        ledger_import(actor=director, rows=table(many_rows(5)), file_name="台账.xlsx")
    assert Case.objects.count() == cases
    assert Party.objects.count() == parties
    assert AuditEvent.objects.count() == trail


def test_a_failure_once_the_events_are_prepared_leaves_nothing(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All or nothing with the events written ahead too (ADR 0048): when the import fails
    under the locks, after its domain events and agreement moves went in and part of its
    audit trail was appended, none of its rows stays, the chain is where it was and still
    verifies, and the next registration takes the next number."""
    director = User.objects.get(username=p.DIRECTOR_A)
    last = register(director)
    models_ = (Case, Party, Agreement, CaseTransition, AuditEvent, OutboxEvent)
    counts = {model: model.objects.count() for model in models_}
    head = AuditChainHead.objects.values_list("seq", "last_hash").get()
    record = audit.record_prepared
    appended: list[int] = []

    def broken(prepared: audit.PreparedTrail) -> int:
        appended.append(record(prepared))  # the first batch goes in, then the server fails
        raise RuntimeError("the connection is gone")

    monkeypatch.setattr(ledger_write, "BATCH_SIZE", 4)
    monkeypatch.setattr(audit, "record_prepared", broken)
    with pytest.raises(RuntimeError):
        ledger_import(actor=director, rows=table(many_rows(10)), file_name="台账.xlsx")
    assert appended and appended[0] > 0
    assert {model: model.objects.count() for model in models_} == counts
    assert AuditChainHead.objects.values_list("seq", "last_hash").get() == head
    assert list(chain.verify()) == []
    monkeypatch.undo()
    after = register(director)
    assert (after.year, after.sequence) == (last.year, last.sequence + 1)
