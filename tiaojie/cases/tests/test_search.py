"""Search as users type it (issue 9, item 4): the case number as written on the file, rare
characters outside the Basic Multilingual Plane like any other, and a query that cannot be
searched explained rather than dropped. The page and the API answer alike; the suite runs on
SQLite and PostgreSQL (``DATABASE_URL``)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from conftest import World
from tests import personas as p
from tiaojie.cases.choices import PartyRole
from tiaojie.cases.models import Case
from tiaojie.cases.services import intake
from tiaojie.cases.tests import factories as f

pytestmark = pytest.mark.django_db

LIST = reverse("cases:case_list")
API = "/api/v1/cases"


def page_numbers(client: Client, query: str) -> list[str]:
    response = client.get(f"{LIST}?q={quote(query)}")
    assert response.status_code == 200
    return sorted(case.number for case in response.context["page"])


def api_numbers(client: Client, query: str) -> list[str]:
    response = client.get(f"{API}?q={quote(query)}")
    assert response.status_code == 200, response.content
    return sorted(row["number"] for row in response.json()["results"])


@pytest.fixture
def both(
    client_as: Callable[[str], Client], api_as: Callable[[str], Client]
) -> Callable[[str], list[str]]:
    """The numbers a query finds, the same on the page and through the API."""
    page, api = client_as(p.MEDIATOR_A), api_as(p.MEDIATOR_A)

    def find(query: str) -> list[str]:
        found = page_numbers(page, query)
        assert api_numbers(api, query) == found, query
        return found

    return find


def _people(applicant: str, respondent: str = "李秀英") -> list[intake.PartyData]:
    return [
        intake.PartyData(role=PartyRole.APPLICANT, name=applicant),
        intake.PartyData(role=PartyRole.RESPONDENT, name=respondent),
    ]


def test_the_case_number_is_searchable_as_typed(
    world: World, both: Callable[[str], list[str]]
) -> None:
    mediator = world.user(p.MEDIATOR_A)
    cases = [f.register(mediator) for _ in range(11)]
    first, eleventh = cases[0], cases[10]
    assert eleventh.number.endswith("人调字第11号")
    assert both("人调字第11号") == [eleventh.number]
    assert both("11号") == [eleventh.number]
    assert both("第11号") == [eleventh.number]
    assert both(eleventh.number) == [eleventh.number]
    # With ASCII brackets and spaces as people type them.
    assert both(eleventh.number.replace("（", "(").replace("）", ") ")) == [eleventh.number]
    # 1号 is case 1, not 11.
    assert both("1号") == [first.number]
    assert both("人调字第12号") == []


def test_a_receipt_number_of_the_governance_centre_is_searchable(
    world: World, client_as: Callable[[str], Client]
) -> None:
    queued = f.register(world.user(p.STREET))
    found = page_numbers(client_as(p.STREET), "综治受字第1号")
    assert found == [queued.number]


def test_characters_outside_the_basic_plane_are_searched_like_any_other(
    world: World, both: Callable[[str], list[str]]
) -> None:
    mediator = world.user(p.MEDIATOR_A)
    rare = f.register(mediator, parties=_people("黄𪚥"))
    common = f.register(mediator, parties=_people("黄明"))
    yoshi = f.register(
        mediator,
        summary="吉家与𠮷家宅基地纠纷",
        narrative="𠮷某称邻居占用其宅基地。",
        parties=_people("𠮷大成", "吉小英"),
    )
    assert both("𪚥") == [rare.number]
    assert both("黄𪚥") == [rare.number]
    assert both("黄") == sorted([rare.number, common.number])
    assert both("𠮷") == [yoshi.number]
    assert both("𠮷大成") == [yoshi.number]
    assert both("吉") == [yoshi.number]  # 吉 (U+5409) is another character than 𠮷 (U+20BB7)


def test_a_query_that_cannot_be_searched_is_explained_not_dropped(
    world: World, client_as: Callable[[str], Client], api_as: Callable[[str], Client]
) -> None:
    f.register(world.user(p.MEDIATOR_A))
    page = client_as(p.MEDIATOR_A).get(f"{LIST}?q={quote('😀')}")
    assert page.status_code == 200
    assert list(page.context["page"]) == []
    html = page.content.decode()
    assert "😀" in html and "搜索" in html
    api = api_as(p.MEDIATOR_A).get(f"{API}?q={quote('黄😀')}")
    assert api.status_code == 422
    body = api.json()
    assert "😀" in body["fields"]["q"][0]
    punctuation = api_as(p.MEDIATOR_A).get(f"{API}?q={quote('，。')}")
    assert punctuation.status_code == 422 and punctuation.json()["fields"]["q"]


def test_full_width_letters_and_digits_find_their_ascii_forms(
    world: World, both: Callable[[str], list[str]]
) -> None:
    case = f.register(world.user(p.MEDIATOR_A), narrative="损失ABC牌空调一台，价4321元。")
    f.register(world.user(p.MEDIATOR_A), narrative="损失空调一台。")
    assert both("ＡＢＣ") == [case.number]
    assert both("４３２１") == [case.number]


def test_editing_a_party_reindexes_a_rare_name(
    world: World, both: Callable[[str], list[str]]
) -> None:
    mediator = world.user(p.MEDIATOR_A)
    case = f.register(mediator)
    f.register(mediator, parties=_people("王建国"))
    party = case.parties.get(name="王建华")
    intake.party_update(
        actor=mediator,
        party=party,
        data=intake.PartyData(role=PartyRole.APPLICANT, name="王𪚥", id_number=f.WANG_ID),
        version=Case.objects.get(pk=case.pk).version,
    )
    assert both("王𪚥") == [case.number]
