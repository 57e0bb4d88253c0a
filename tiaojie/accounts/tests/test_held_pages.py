"""A person held by the forced password change or by the second factor their role requires
reaches exactly the pages that let them finish (and logging out, and the language), and is
sent to the page that holds them from every other page, however often they ask and wherever
the site is mounted."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.test import Client, override_settings
from django.urls import set_script_prefix

from conftest import World
from tiaojie.accounts.models import User

TWO_FACTOR = "/account/two-factor/"
PASSWORD = "/password/"
# Pages a held person may not open: the home page, the case list, another person's account
# page, the second factor's page while a password is to be chosen.
ELSEWHERE = ("/", "/cases/", "/notifications/", "/deadlines/")


@pytest.fixture
def mounted() -> Iterator[Callable[[str, User], Client]]:
    """A client signed in as a user, talking to the site mounted at a script prefix (set as
    the WSGI handler sets it, which the test client does not); put back afterwards."""

    def make(prefix: str, user: User) -> Client:
        set_script_prefix(prefix + "/")
        client = Client(SCRIPT_NAME=prefix) if prefix else Client()
        client.force_login(user)
        return client

    yield make
    set_script_prefix("/")


def _sent_to(client: Client, prefix: str, path: str, method: str = "get") -> str | None:
    """Where asking for ``path`` sends the person (None: the page answered itself)."""
    response = getattr(client, method)(path)
    location = response.get("Location")
    if response.status_code in (301, 302) and location in (prefix + TWO_FACTOR, prefix + PASSWORD):
        return str(location).removeprefix(prefix)
    assert response.status_code in (200, 302), (path, response.status_code)
    return None


@pytest.mark.parametrize("prefix", ["", "/tiaojie"])
def test_a_role_without_its_second_factor_reaches_only_the_pages_to_set_it_up(
    world: World, mounted: Callable[[str, User], Client], prefix: str
) -> None:
    with override_settings(TIAOJIE_2FA_REQUIRED_ROLES=["bureau_officer"]):
        client = mounted(prefix, world.user("demo_district"))
        for _ in range(2):  # the second time from what the first computed
            assert _sent_to(client, prefix, TWO_FACTOR) is None
            assert _sent_to(client, prefix, PASSWORD) is None
            assert _sent_to(client, prefix, "/i18n/setlang/", "post") is None
            for path in ELSEWHERE:
                assert _sent_to(client, prefix, path) == TWO_FACTOR, path
        assert _sent_to(client, prefix, "/logout/", "post") is None
        assert client.get("/")["Location"].startswith(prefix + "/login/")


@pytest.mark.parametrize("prefix", ["", "/tiaojie"])
def test_a_password_to_choose_holds_every_page_but_its_own(
    world: World, mounted: Callable[[str, User], Client], prefix: str
) -> None:
    user = world.user("demo_mediator")
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    client = mounted(prefix, user)
    for _ in range(2):
        assert _sent_to(client, prefix, PASSWORD) is None
        assert _sent_to(client, prefix, "/i18n/setlang/", "post") is None
        for path in (*ELSEWHERE, TWO_FACTOR):
            assert _sent_to(client, prefix, path) == PASSWORD, path
    assert _sent_to(client, prefix, "/logout/", "post") is None
    assert client.get("/")["Location"].startswith(prefix + "/login/")


def test_someone_held_by_nothing_opens_every_page(
    world: World, mounted: Callable[[str, User], Client]
) -> None:
    client = mounted("", world.user("demo_district"))
    for path in (*ELSEWHERE, TWO_FACTOR, PASSWORD):
        assert _sent_to(client, "", path) is None, path
