"""Logging in and out: Chinese messages that give nothing away, lockout, idle timeout."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from django.test import Client

from conftest import World
from tiaojie.accounts.middleware import SESSION_KEY
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent

GENERIC = "用户名或密码不正确。"


def _login(client: Client, username: str, password: str) -> str:
    response = client.post("/login/", {"username": username, "password": password})
    return response.content.decode() if response.status_code == 200 else response["Location"]


def test_the_login_page_is_in_chinese(db: None) -> None:
    html = Client().get("/login/").content.decode()
    assert '<html lang="zh-CN">' in html
    assert "登录" in html and "人民调解" in html


def test_a_demo_account_logs_in_and_lands_on_home(db: None) -> None:
    client = Client()
    assert _login(client, "demo_mediator", "tiaojie-demo") == "/"
    assert "李建国" in client.get("/").content.decode()
    assert AuditEvent.objects.filter(
        event_type=EventType.LOGIN_SUCCEEDED, actor_username="demo_mediator"
    ).exists()


def test_wrong_password_and_unknown_user_read_the_same(db: None) -> None:
    wrong = _login(Client(), "demo_mediator", "wrong-password")
    unknown = _login(Client(), "no_such_person", "wrong-password")
    assert GENERIC in wrong and GENERIC in unknown
    # The typed username stays in the field; the password does not.
    assert 'value="demo_mediator"' in wrong
    assert "wrong-password" not in wrong
    assert AuditEvent.objects.filter(event_type=EventType.LOGIN_FAILED).count() == 2


def test_repeated_failures_block_that_name_from_that_source_only(world: World) -> None:
    attacker = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(5):
        _login(attacker, "demo_mediator", "wrong-password")
    page = _login(attacker, "demo_mediator", "tiaojie-demo")
    assert "尝试次数过多" in page
    # The owner, elsewhere, is not locked out by someone else's guessing.
    assert _login(Client(REMOTE_ADDR="10.1.1.1"), "demo_mediator", "tiaojie-demo") == "/"
    assert AuditEvent.objects.filter(event_type=EventType.LOGIN_BLOCKED).exists()


def test_a_deactivated_account_cannot_log_in(world: World) -> None:
    user = world.user("demo_mediator")
    user.is_active = False
    user.save()
    assert GENERIC in _login(Client(), "demo_mediator", "tiaojie-demo")


def test_logout_needs_a_post_and_is_recorded(client_as: Callable[[str], Client]) -> None:
    client = client_as("demo_mediator")
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/")["Location"] == "/login/"
    assert client.get("/")["Location"].startswith("/login/")
    assert AuditEvent.objects.filter(event_type=EventType.LOGGED_OUT).exists()


@pytest.mark.parametrize("minutes_idle, still_in", [(29, True), (31, False)])
def test_an_idle_session_is_logged_out_after_the_timeout(
    client_as: Callable[[str], Client], settings: object, minutes_idle: int, still_in: bool
) -> None:
    client = client_as("demo_mediator")
    client.get("/")
    session = client.session
    session[SESSION_KEY] = time.time() - minutes_idle * 60
    session.save()
    response = client.get("/")
    assert (response.status_code == 200) is still_in
    if not still_in:
        assert response["Location"].startswith("/login/")
        assert AuditEvent.objects.filter(event_type=EventType.SESSION_TIMED_OUT).exists()


def test_the_next_parameter_cannot_send_users_off_site(db: None) -> None:
    client = Client()
    response = client.post(
        "/login/",
        {"username": "demo_mediator", "password": "tiaojie-demo", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"
