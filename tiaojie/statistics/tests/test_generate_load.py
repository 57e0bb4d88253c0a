"""The bulk generator's rows (ADR 0054): built in Python with ids taken in blocks, copied in
without model instances, facts computed from the values written. They must be the rows the
ordinary code would read back: every figure exact, every foreign key pointing at the case it
was built for, and a second run continuing the first."""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.db import connection
from django.db.models import Max

from tiaojie.cases.models import Agreement, Case, CaseNumberCounter, CaseTransition
from tiaojie.cases.postings import TRIGGER_NAMES
from tiaojie.statistics import rollup
from tiaojie.statistics.generate import generate_cases
from tiaojie.statistics.models import CaseFact
from tiaojie.statistics.verify import differences

pytestmark = pytest.mark.django_db

MEDIATED_ENDS = {"agreed", "failed", "terminated"}


def _new_cases(after: int) -> list[Case]:
    return list(Case.objects.filter(pk__gt=after).order_by("pk"))


def _top_id() -> int:
    return Case.objects.aggregate(top=Max("pk"))["top"] or 0


def _assert_consistent(cases: list[Case]) -> None:
    """The generated cases' records point at them, their stored facts are what the listener
    would compute from them, and the numbering counters match their numbers."""
    ids = [case.pk for case in cases]
    by_id = {case.pk: case for case in cases}
    recomputed = dict(rollup.case_facts(Case.objects.filter(pk__in=ids)))
    stored = {
        row.case_id: rollup.Fact(**{name: getattr(row, name) for name in rollup.FACT_FIELDS})
        for row in CaseFact.objects.filter(case_id__in=ids)
    }
    assert stored == recomputed
    assert len(stored) == len(cases)
    # An agreement's number carries the id of the case it was built for.
    agreements = list(Agreement.objects.filter(case_id__in=ids))
    assert agreements
    for agreement in agreements:
        assert agreement.number == f"合成-{agreement.case_id}"
        assert by_id[agreement.case_id].ended_as == "agreed"
        assert agreement.formed_on == by_id[agreement.case_id].closed_on
    agreed = {case.pk for case in cases if case.ended_as == "agreed"}
    assert {agreement.case_id for agreement in agreements} == agreed
    # Mediation started exactly for the cases that reached it.
    started = list(
        CaseTransition.objects.filter(case_id__in=ids, action="start_mediation").values_list(
            "case_id", flat=True
        )
    )
    assert len(started) == len(set(started))
    mediated = {
        case.pk
        for case in cases
        if case.accepted_on is not None
        and (case.ended_as in MEDIATED_ENDS or case.status == "in_mediation")
    }
    assert set(started) == mediated
    # The next registration continues each committee's yearly numbering.
    tops: dict[tuple[int, int], int] = defaultdict(int)
    for case in Case.objects.all().only("committee_id", "year", "sequence"):
        key = (case.committee_id, case.year)
        tops[key] = max(tops[key], case.sequence)
    for counter in CaseNumberCounter.objects.filter(
        committee_id__in={case.committee_id for case in cases}
    ):
        assert counter.last == tops[(counter.committee_id, counter.year)]
    assert Case.objects.values("number").distinct().count() == Case.objects.count()


def test_a_chunked_load_keeps_figures_and_records_exact() -> None:
    first = _top_id()
    result = generate_cases(400, years=2, chunk=150, fresh=False)
    assert result.cases == 400
    assert not result.fresh
    cases = _new_cases(first)
    assert len(cases) == 400
    assert differences() == []
    _assert_consistent(cases)

    # A second run appends: new ids after the first run's, numbers continuing, figures exact.
    second = _top_id()
    generate_cases(120, years=2, seed=7, chunk=50, fresh=False)
    more = _new_cases(second)
    assert len(more) == 120
    assert differences() == []
    _assert_consistent(cases + more)


@pytest.mark.postgres_only
def test_a_fresh_load_rebuilds_indexes_and_keys_and_keeps_figures_exact() -> None:
    tables = ["cases_case", "cases_casetransition", "statistics_casefact", "statistics_statcell"]

    def schema() -> tuple[list[str], list[str], list[str]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1", [tables]
            )
            indexes = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1",
                [tables],
            )
            keys = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                "SELECT tgname || ':' || tgenabled::text FROM pg_trigger WHERE tgname = ANY(%s) "
                "ORDER BY 1",
                [list(TRIGGER_NAMES)],
            )
            triggers = [row[0] for row in cursor.fetchall()]
        return indexes, keys, triggers

    before = schema()
    first = _top_id()
    result = generate_cases(500, years=3, chunk=200, fresh=True)
    assert result.fresh
    assert result.timings["indexes and keys built again"] >= 0
    # Every index, foreign key and search trigger is back as it was.
    assert schema() == before
    cases = _new_cases(first)
    assert len(cases) == 500
    assert differences() == []
    _assert_consistent(cases)

    # A second (chunked) run into the now filled tables continues the first one.
    second = _top_id()
    generate_cases(100, years=3, seed=11, chunk=40)
    more = _new_cases(second)
    assert len(more) == 100
    assert differences() == []
    _assert_consistent(cases + more)


def test_a_fresh_load_is_refused_where_indexes_cannot_be_dropped() -> None:
    if connection.vendor == "postgresql":
        pytest.skip("the fresh load is PostgreSQL's")
    with pytest.raises(ValueError, match="PostgreSQL only"):
        generate_cases(10, fresh=True)
    assert differences() == []
