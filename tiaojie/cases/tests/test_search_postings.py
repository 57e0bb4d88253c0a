"""The postings of case search on PostgreSQL (ADR 0023) are kept by the database itself: every
write of a case's search tokens — a registration, an edit, a bulk update — leaves exactly that
case's tokens posted, and the rebuild command gives the same table back."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import World
from tests import personas as p
from tiaojie.cases import search, selectors
from tiaojie.cases.filters import filtered_cases
from tiaojie.cases.models import Case, SearchHolder, SearchPosting
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


def holders(token: str) -> set[int]:
    return set(SearchHolder.objects.filter(token=token).values_list("committee_id", flat=True))


def test_the_committees_holding_a_word_follow_registrations_edits_and_transfers(
    world: World,
) -> None:
    """ADR 0080: a committee is named for every word of every case it holds, whichever way
    the case came to hold it; a rebuild forgets the committees that no longer hold it."""
    a, b = world.org(p.COMMITTEE_A), world.org(p.COMMITTEE_B)
    case = f.register(world.user(p.MEDIATOR_A), narrative="邻居的鹦鹉清晨吵闹。")
    assert holders("鹦鹉") == {a.pk}
    other = f.register(world.user(p.MEDIATOR_B), narrative="楼道堆物。")
    assert holders("鹦鹉") == {a.pk}
    Case.objects.filter(pk=other.pk).update(search_tokens=search.index_text(["鹦鹉学舌"]))
    assert holders("鹦鹉") == {a.pk, b.pk} and holders("学舌") == {b.pk}
    Case.objects.filter(pk=other.pk).update(search_tokens=search.index_text(["楼道堆物"]))
    Case.objects.filter(pk=case.pk).update(committee=b, committee_path=b.path, sequence=9999)
    assert holders("吵闹") == {a.pk, b.pk}  # kept for a, which held it: never too few
    call_command("rebuild_search_postings", stdout=io.StringIO())
    assert holders("鹦鹉") == holders("吵闹") == {b.pk} and holders("学舌") == set()


def searched(user_name: str, query: str, world: World) -> tuple[list[int], list[str]]:
    """The ids a user's case list finds for ``query``, and the statements it took."""
    user = world.user(user_name)
    with CaptureQueriesContext(connection) as statements:
        _form, qs = selectors.filtered_for(user, {"q": query})
        found = sorted(qs.values_list("pk", flat=True))
    # The same filter without the subtree: the holders never change what is found.
    _form, plain = filtered_cases(selectors.cases_for(user), {"q": query})
    assert found == sorted(plain.values_list("pk", flat=True)), (user_name, query)
    return found, [q["sql"] for q in statements.captured_queries]


def test_a_search_skips_the_committees_of_the_scope_that_hold_none_of_its_words(
    world: World,
) -> None:
    """A word held only outside a street office's subtree ends its search before any posting
    is read; a word one of its committees holds searches that committee's cases alone, and
    finds the same cases as without the holders, for every kind of viewer."""
    world.move(p.COMMITTEE_B, p.QINGSHAN_OFFICE)
    parrot = f.register(world.user(p.MEDIATOR_B), narrative="邻居的鹦鹉清晨吵闹。")
    dog = f.register(world.user(p.MEDIATOR_A), narrative="邻居的狗清晨吵闹，鹦鹉也叫。")
    found, statements = searched(p.STREET, "鹦鹉", world)  # 东湖街道: only 东湖社区 holds it
    assert found == [dog.pk]
    # …and the search is confined to 东湖社区's cases, its exact path.
    exact = f'"cases_case"."committee_path" = \'{world.org(p.COMMITTEE_A).path}\''
    assert any(exact in sql for sql in statements), statements
    found, statements = searched(p.STREET, "鹦鹉清晨", world)
    assert found == []  # 东湖社区's case says 狗清晨, not 鹦鹉清晨: the pair 鹉清 is missing
    found, statements = searched(p.STREET, "鹉清", world)
    assert found == []
    assert not any("cases_search_posting" in sql for sql in statements), statements
    assert searched(p.CITY, "鹦鹉", world)[0] == sorted([parrot.pk, dog.pk])
    assert searched(p.CITY, "鹉清", world)[0] == [parrot.pk]
    assert searched(p.DISTRICT, "清晨吵闹", world)[0] == [dog.pk]
    # Committee staff (who also see joint cases elsewhere) and grid workers (their reports) have
    # a scope that is not a subtree: their search does not ask the holders.
    for staff in (p.MEDIATOR_A, p.DIRECTOR_A, p.GRID_A, p.MEDIATOR_B):
        _found, statements = searched(staff, "鹦鹉", world)
        assert not any("cases_search_holder" in sql for sql in statements), staff
