"""A page offers only what works: every link and htmx GET that each demo role is shown, on the
home page, the pages of its menu and the pages those lead to, answers 200 (or redirects to a
page that does), never 403 or 404."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from conftest import World
from tiaojie.accounts.demo import DEMO_ACCOUNTS
from tiaojie.cases.tests import factories as f
from tiaojie.supervision.services.supervision import supervision_open
from tiaojie.supervision.tests.helpers import working_day

LINK = re.compile(r'(?:href|hx-get)="(/[^"#]*)"')
# Links that act rather than show (log out), downloads that are exports with their own tests,
# and the documents, rendered by the documents app's own tests.
SKIP = re.compile(r"^/(logout/|static/|media/|api/)|\.(xlsx|csv|pdf|docx)(\?|$)|/download")
PER_ROUTE = 2  # checking every row of a list adds time and nothing new
MAX_DEPTH = 2


def _links(html: str) -> list[str]:
    return [m.replace("&amp;", "&") for m in LINK.findall(html)]


def _route(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


@pytest.fixture
def cases(world: World) -> None:
    """A dispute in the street centre's queue, cases registered and in mediation, one
    supervised by the justice office: so that lists have rows and rows have links."""
    mediator = world.user("demo_mediator")
    f.register(world.user("demo_street"))
    supervised = f.to_mediation(mediator, f.register(mediator))
    f.register(mediator)
    f.register(world.user("demo_mediator_b"))
    supervision_open(
        actor=world.user("demo_street"),
        case=supervised,
        deadline=working_day(5),
        instructions="请于五日内报告调解进展。",
    )


@pytest.mark.parametrize("username", [a.username for a in DEMO_ACCOUNTS])
def test_every_offered_link_answers(
    cases: None, client_as: Callable[[str], Client], username: str
) -> None:
    client = client_as(username)
    seen: set[str] = set()
    per_route: dict[str, int] = {}
    frontier = [reverse("workbench:home")]
    broken: list[tuple[str, int, str]] = []
    for depth in range(MAX_DEPTH + 1):
        following: list[str] = []
        for url in frontier:
            response = client.get(url, follow=True)
            if response.status_code != 200:
                broken.append((url, response.status_code, response.get("Content-Type", "")))
                continue
            if depth == MAX_DEPTH or "html" not in response.get("Content-Type", ""):
                continue
            for link in _links(response.content.decode()):
                route = _route(link)
                if link in seen or SKIP.search(link) or route is None:
                    continue
                if per_route.get(route, 0) >= PER_ROUTE:
                    continue
                seen.add(link)
                per_route[route] = per_route.get(route, 0) + 1
                following.append(link)
        frontier = following
    assert not broken, broken
    assert len(per_route) > 1  # the walk went somewhere
