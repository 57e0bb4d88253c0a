"""The case list: scoped, filtered, searched, sorted, its queries pinned; the htmx fragment."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tiaojie.cases.models import Case, DisputeType
from tiaojie.cases.tests import factories as f
from tiaojie.cases.workflow import transition

LIST = reverse("cases:case_list")


def numbers(client: Client, query: str = "") -> list[str]:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    return [case.number for case in response.context["page"]]


def test_each_sees_the_cases_of_their_scope(
    world: World, client_as: Callable[[str], Client]
) -> None:
    a = f.register(world.user("demo_mediator"))
    b = f.register(world.user("demo_mediator_b"))
    assert numbers(client_as("demo_mediator")) == [a.number]
    assert numbers(client_as("demo_mediator_b")) == [b.number]
    assert set(numbers(client_as("demo_district"))) == {a.number, b.number}
    assert numbers(client_as("demo_grid")) == []  # reported neither


def test_filters_narrow_by_status_type_flags_and_dates(
    world: World, client_as: Callable[[str], Client]
) -> None:
    mediator = world.user("demo_mediator")
    leak = f.register(mediator)
    wages = f.register(
        mediator,
        summary="拖欠工资两个月",
        narrative="申请人在被申请人处打工，工资未付。",
        dispute_type=DisputeType.objects.get(code="labour"),
        is_complex=True,
    )
    group = f.register(mediator, summary="小区停车收费争议", narrative="业主与物业", is_group=True)
    transition(actor=mediator, case=leak, action="accept")
    client = client_as("demo_mediator")
    assert numbers(client, "status=accepted") == [leak.number]
    labour = DisputeType.objects.get(code="labour").pk
    assert numbers(client, f"dispute_type={labour}") == [wages.number]
    assert numbers(client, "is_complex=1") == [wages.number]
    assert numbers(client, "is_group=1") == [group.number]
    assert set(numbers(client, "is_group=0")) == {leak.number, wages.number}
    today = timezone.localdate()
    assert len(numbers(client, f"registered_from={today}&registered_to={today}")) == 3
    tomorrow = today + dt.timedelta(days=1)
    assert numbers(client, f"registered_from={tomorrow}") == []


def test_search_finds_words_and_single_characters(
    world: World, client_as: Callable[[str], Client]
) -> None:
    mediator = world.user("demo_mediator")
    leak = f.register(mediator)  # 楼上漏水 … 天花板发霉
    rent = f.register(mediator, summary="房屋租赁押金纠纷", narrative="租期届满，房东不退押金。")
    client = client_as("demo_mediator")
    assert numbers(client, "q=漏水") == [leak.number]
    assert numbers(client, "q=房") == [rent.number]
    assert numbers(client, "q=李秀英") == [rent.number, leak.number]  # a party in both
    assert numbers(client, "q=押金 房东") == [rent.number]
    assert numbers(client, "q=漏雨") == []


def test_the_list_sorts_by_registration_both_ways(
    world: World, client_as: Callable[[str], Client]
) -> None:
    mediator = world.user("demo_mediator")
    first, second = f.register(mediator), f.register(mediator)
    client = client_as("demo_mediator")
    assert numbers(client) == [second.number, first.number]
    assert numbers(client, "sort=registered") == [first.number, second.number]


def test_htmx_gets_the_table_alone(world: World, client_as: Callable[[str], Client]) -> None:
    case = f.register(world.user("demo_mediator"))
    response = client_as("demo_mediator").get(f"{LIST}?q=漏水", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert case.number in html
    assert "<html" not in html and "<form" not in html


def test_officers_choose_committees_and_directors_choose_mediators(
    client_as: Callable[[str], Client],
) -> None:
    district = client_as("demo_district").get(LIST).content.decode()
    assert '<select name="committee"' in district
    # Mediators of several committees are told apart by their committee.
    assert re.search(r'<option value="\d+">李建国（[^）]+）</option>', district), district
    director = client_as("demo_director").get(LIST).content.decode()
    assert '<select name="mediator"' in director and "李建国" in director
    mediator = client_as("demo_mediator").get(LIST).content.decode()
    assert '<select name="mediator"' not in mediator


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIST).status_code == 200
    return len(ctx.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_rows(
    world: World, client_as: Callable[[str], Client]
) -> None:
    mediator = world.user("demo_mediator")
    f.to_mediation(mediator, f.register(mediator))
    client = client_as("demo_director")
    client.get(LIST)  # the first request of a session also writes the session
    few = _queries(client)
    for _ in range(8):
        f.to_mediation(mediator, f.register(mediator))
    assert Case.objects.count() == 9
    # 10: session, user, the unread-notification badge, the ids of the committee's joint
    # cases (ADR 0067), the page's own reads.
    assert _queries(client) == few == 10
