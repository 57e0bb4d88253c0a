"""Hole 3 of issue 16: a password change or reset ends every session and token of the
account; tokens and sessions per account are capped."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from conftest import World
from tiaojie.accounts import services
from tiaojie.accounts.models import User

DEMO = "tiaojie-demo"


def _logged_in(username: str, password: str = DEMO) -> Client:
    client = Client()
    response = client.post("/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content[:300]
    return client


def _signed_in(client: Client) -> bool:
    return client.get("/cases/").status_code == 200


def test_a_password_change_ends_every_other_session_and_token(
    world: World, api_as: Callable[[str], Client]
) -> None:
    api = api_as("demo_mediator")
    other = _logged_in("demo_mediator")
    here = _logged_in("demo_mediator")
    assert api.get("/api/v1/me").status_code == 200
    response = here.post(
        "/password/",
        {
            "old_password": DEMO,
            "new_password": "Fresh-Start-2026",
            "new_password_again": "Fresh-Start-2026",
        },
    )
    assert response.status_code == 302
    assert api.get("/api/v1/me").status_code == 401
    assert not _signed_in(other)
    assert _signed_in(here)


def test_a_reset_ends_every_session_and_token(
    world: World, api_as: Callable[[str], Client]
) -> None:
    mediator = world.user("demo_mediator")
    mediator.email = "li@example.cn"
    mediator.save(update_fields=["email"])
    api = api_as("demo_mediator")
    browser = _logged_in("demo_mediator")
    services.user_reset_password(
        actor=world.user("demo_secadmin"), user=mediator, reason="遗忘", site_url="http://t/"
    )
    assert api.get("/api/v1/me").status_code == 401
    assert not _signed_in(browser)


def test_tokens_per_account_are_capped(world: World, settings: object) -> None:
    settings.TIAOJIE_MAX_API_TOKENS = 2  # type: ignore[attr-defined]
    user = world.user("demo_mediator")
    first, second, third = (services.token_issue(user=user) for _ in range(3))
    assert [services.token_authenticate(t.raw) is not None for t in (first, second, third)] == [
        False,
        True,
        True,
    ]


def test_concurrent_sessions_are_capped(world: World, settings: object) -> None:
    settings.TIAOJIE_MAX_SESSIONS = 2  # type: ignore[attr-defined]
    clients = [_logged_in("demo_mediator") for _ in range(3)]
    assert [_signed_in(c) for c in clients] == [False, True, True]
    assert User.objects.get(username="demo_mediator").sessions.count() == 2


def test_a_recent_password_cannot_be_chosen_again(world: World) -> None:
    """Password history (TIAOJIE_PASSWORD_HISTORY), across a reset by link too."""
    import pytest
    from django.core import mail

    from tiaojie.core.errors import ValidationFailed

    user = world.user("demo_mediator")
    services.password_change(user=user, old_password=DEMO, new_password="Second-Pass-2026")
    with pytest.raises(ValidationFailed):
        services.password_change(
            user=user, old_password="Second-Pass-2026", new_password="Second-Pass-2026"
        )
    user.email = "li@example.cn"
    user.save(update_fields=["email"])
    services.user_reset_password(
        actor=world.user("demo_secadmin"), user=user, reason="遗忘", site_url="http://t/"
    )
    code = mail.outbox[-1].body.split("/password/set/")[1].split("/")[0]
    with pytest.raises(ValidationFailed) as refused:
        services.password_set_by_link(raw=code, new_password="Second-Pass-2026")
    assert "password" in refused.value.fields
    services.password_set_by_link(raw=code, new_password="Third-Pass-2026")
