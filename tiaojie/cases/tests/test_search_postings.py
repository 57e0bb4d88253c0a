"""The postings of case search on PostgreSQL (ADR 0023) are kept by the database itself: every
write of a case's search tokens — a registration, an edit, a bulk update — leaves exactly that
case's tokens posted, and the rebuild command gives the same table back."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from conftest import World
from tests import personas as p
from tiaojie.cases import search
from tiaojie.cases.models import Case, SearchPosting
from tiaojie.cases.services import intake
from tiaojie.cases.tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]


def posted(case: Case) -> set[str]:
    return set(SearchPosting.objects.filter(case_id=case.pk).values_list("token", flat=True))


def stored(case: Case) -> set[str]:
    return set(Case.objects.get(pk=case.pk).search_tokens.split())


def test_a_registered_case_posts_exactly_its_tokens(world: World) -> None:
    case = f.register(world.user(p.MEDIATOR_A), narrative="楼上漏水，𠮷家墙面发霉。")
    assert posted(case) == stored(case)
    assert {"漏水", "𠮷", "霉"} <= posted(case)


def test_an_edit_reposts_the_case_and_drops_what_went(world: World) -> None:
    mediator = world.user(p.MEDIATOR_A)
    case = f.register(mediator, summary="楼上漏水", narrative="楼上漏水。", requests="修复。")
    intake.case_update(
        actor=mediator,
        case=case,
        data=f.case_data(summary="养狗扰民", narrative="邻居养狗扰民。", requests="拴狗。"),
        version=Case.objects.get(pk=case.pk).version,
    )
    assert posted(case) == stored(case)
    assert "养狗" in posted(case) and "楼上" not in posted(case)
    assert list(Case.objects.filter(search.matches("楼上"))) == []
    assert list(Case.objects.filter(search.matches("养狗"))) == [case]


def test_a_bulk_update_reposts_the_case(world: World) -> None:
    case = f.register(world.user(p.MEDIATOR_A))
    Case.objects.filter(pk=case.pk).update(search_tokens=search.index_text(["宅基地"]))
    assert posted(case) == {"宅", "宅基", "基", "基地", "地"}
    Case.objects.filter(pk=case.pk).update(status=case.status)  # tokens untouched: kept
    assert posted(case) == {"宅", "宅基", "基", "基地", "地"}


def test_the_rebuild_gives_the_same_postings(world: World) -> None:
    mediator = world.user(p.MEDIATOR_A)
    cases = [f.register(mediator, narrative=text) for text in ("欠薪三个月。", "噪音扰民。")]
    before = set(SearchPosting.objects.values_list("token", "case_id"))
    out = io.StringIO()
    call_command("rebuild_search_postings", stdout=out)
    assert "for 2 cases" in out.getvalue()
    assert set(SearchPosting.objects.values_list("token", "case_id")) == before
    assert {case_id for _token, case_id in before} == {c.pk for c in cases}


def test_a_case_number_is_one_range_of_the_reversed_numbers(world: World) -> None:
    """A number's search reads the b-trees of the reversed numbers (ADR 0064), not a scan nor
    the trigram merge that made a whole number typed at a million cases take seconds; and it
    still finds only the number that ends as typed (31号, not 131号)."""
    mediator = world.user(p.MEDIATOR_A)
    cases = [f.register(mediator) for _ in range(11)]
    query = Case.objects.filter(search.number_matches("1号")).values_list("number", flat=True)
    assert list(query) == [cases[0].number]
    sql, params = query.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        # A table of eleven rows is read whole whatever its indexes; with scans of the whole
        # table or of another index's order turned off, only an index the condition fits is
        # left: what matters is that the reversed b-trees fit it.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "case_number_reversed" in plan and "case_intake_number_reversed" in plan, plan
