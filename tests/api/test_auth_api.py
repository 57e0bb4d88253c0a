"""Tokens: issued for a password, refused for a wrong one alike, revocable, expiring."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.test import Client
from django.utils import timezone

from tests.api.schema import call
from tiaojie.accounts.models import ApiToken
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent


def test_a_demo_account_gets_a_token_and_reads_itself(db: None) -> None:
    response = call(
        Client(), "post", "/auth/token", {"username": "demo_mediator", "password": "tiaojie-demo"}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = call(Client(headers={"Authorization": f"Bearer {token}"}), "get", "/me")
    assert me.status_code == 200
    body = me.json()
    assert body["username"] == "demo_mediator"
    assert body["roles"] == ["mediator"]
    assert body["organisation"]["name"] == "东湖社区人民调解委员会"
    assert "audit.view" not in body["capabilities"]
    assert AuditEvent.objects.filter(
        event_type=EventType.API_TOKEN_ISSUED, actor_username="demo_mediator"
    ).exists()


def test_wrong_password_and_unknown_user_get_the_same_chinese_answer(db: None) -> None:
    wrong = call(Client(), "post", "/auth/token", {"username": "demo_mediator", "password": "nope"})
    unknown = call(Client(), "post", "/auth/token", {"username": "nobody", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["message"] == "用户名或密码不正确。"


def test_english_is_given_when_asked_for(db: None) -> None:
    response = call(
        Client(),
        "post",
        "/auth/token",
        {"username": "x", "password": "y"},
        headers={"Accept-Language": "en"},
    )
    assert response.json()["message"] == "The username or password is not correct."


def test_malformed_json_gets_422_with_field_errors(db: None) -> None:
    client = Client()
    missing = call(client, "post", "/auth/token", {"username": "demo_mediator"})
    assert missing.status_code == 422
    assert missing.json()["code"] == "validation_error"
    assert missing.json()["fields"] == {"password": ["这个字段是必填项。"]}
    broken = client.post("/api/v1/auth/token", data="{not json", content_type="application/json")
    assert broken.status_code == 422
    assert broken.json()["code"] == "validation_error"


def test_requests_without_a_valid_token_get_401(db: None) -> None:
    assert call(Client(), "get", "/me").status_code == 401
    bogus = Client(headers={"Authorization": "Bearer not-a-token"})
    assert call(bogus, "get", "/me").status_code == 401


def test_a_revoked_token_stops_working(db: None, api_as: Callable[[str], Client]) -> None:
    client = api_as("demo_mediator")
    assert call(client, "get", "/me").status_code == 200
    assert call(client, "delete", "/auth/token").status_code == 204
    assert call(client, "get", "/me").status_code == 401
    assert AuditEvent.objects.filter(event_type=EventType.API_TOKEN_REVOKED).exists()


def test_an_expired_token_stops_working(db: None, api_as: Callable[[str], Client]) -> None:
    client = api_as("demo_mediator")
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert call(client, "get", "/me").status_code == 401


def test_the_token_of_a_deactivated_account_stops_working(
    db: None, api_as: Callable[[str], Client]
) -> None:
    client = api_as("demo_mediator")
    secadmin = api_as("demo_secadmin")
    me = call(client, "get", "/me").json()
    response = call(
        secadmin,
        "post",
        "/accounts/{account_id}/active",
        {"active": False, "reason": "调离岗位"},
        account_id=me["id"],
    )
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert call(client, "get", "/me").status_code == 401
