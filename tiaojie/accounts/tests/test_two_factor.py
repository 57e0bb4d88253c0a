"""The second factor (TOTP): enrolment, the code after the password, recovery codes, the
security administrator's reset, throttling, and tokens (issue 16, 身份鉴别 d)."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client, override_settings

from conftest import World
from tiaojie.accounts import totp, twofactor
from tiaojie.accounts.models import ApiToken, SecondFactor, User
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent

PASSWORD = "tiaojie-demo"
REQUIRED = ["system_admin", "security_admin", "audit_admin", "bureau_officer"]


def _now_code(secret: str, offset: int = 0) -> str:
    return totp.code_at(secret, totp.current_step() + offset)


def _enrol(client: Client, username: str) -> tuple[str, list[str]]:
    """Set up the authenticator through the page, as a person would; the secret and codes."""
    page = client.get("/account/two-factor/").content.decode()
    secret = re.search(r"data-totp-secret>([A-Z2-7]+)<", page)
    assert secret is not None
    assert "<svg" in page
    done = client.post(
        "/account/two-factor/", {"action": "confirm", "code": _now_code(secret[1])}
    ).content.decode()
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", done)
    assert len(codes) == 10
    SecondFactor.objects.filter(user__username=username).update(last_step=-1)
    return secret[1], codes


def test_rfc_6238_reference_codes() -> None:
    secret = base64.b32encode(b"12345678901234567890").decode()
    # RFC 6238 appendix B (SHA-1), last six of eight digits.
    assert totp.code_at(secret, 59 // 30) == "287082"
    assert totp.code_at(secret, 1111111109 // 30) == "081804"
    assert totp.code_at(secret, 20000000000 // 30) == "353130"


def test_a_code_is_accepted_one_step_either_side_and_only_once() -> None:
    secret = totp.new_secret()
    now = 1_800_000_000.0
    step = totp.current_step(now)
    assert totp.matching_step(secret, totp.code_at(secret, step - 1), now=now) == step - 1
    assert totp.matching_step(secret, totp.code_at(secret, step + 2), now=now) == -1
    assert totp.matching_step(secret, totp.code_at(secret, step), after=step, now=now) == -1


def test_enrolment_then_sign_in_needs_the_code(
    world: World, client_as: Callable[[str], Client]
) -> None:
    secret, _codes = _enrol(client_as("demo_mediator"), "demo_mediator")
    row = SecondFactor.objects.get(user__username="demo_mediator")
    # The secret is encrypted at rest.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM accounts_secondfactor WHERE id = %s", [row.pk])
        stored = cursor.fetchone()[0]
    assert secret not in stored and stored.startswith("v1:")
    assert AuditEvent.objects.filter(event_type=EventType.SECOND_FACTOR_ENROLLED).exists()

    client = Client()
    step1 = client.post("/login/", {"username": "demo_mediator", "password": PASSWORD})
    assert step1["Location"] == "/login/code/"
    # Not signed in yet: the home page sends back to the login.
    assert client.get("/")["Location"].startswith("/login/")
    client.post("/login/", {"username": "demo_mediator", "password": PASSWORD})
    wrong = client.post("/login/code/", {"code": "000000"}).content.decode()
    assert "验证码不正确" in wrong
    assert client.post("/login/code/", {"code": _now_code(secret)})["Location"] == "/"
    assert "李建国" in client.get("/").content.decode()
    assert AuditEvent.objects.filter(event_type=EventType.SECOND_FACTOR_FAILED).count() == 1


def test_a_code_works_once(world: World, client_as: Callable[[str], Client]) -> None:
    secret, _codes = _enrol(client_as("demo_mediator"), "demo_mediator")
    code = _now_code(secret)
    first = Client()
    first.post("/login/", {"username": "demo_mediator", "password": PASSWORD})
    assert first.post("/login/code/", {"code": code})["Location"] == "/"
    replay = Client()
    replay.post("/login/", {"username": "demo_mediator", "password": PASSWORD})
    assert replay.post("/login/code/", {"code": code}).status_code == 200


def test_a_recovery_code_signs_in_once(world: World, client_as: Callable[[str], Client]) -> None:
    _secret, codes = _enrol(client_as("demo_mediator"), "demo_mediator")
    row = SecondFactor.objects.get(user__username="demo_mediator")
    # Only hashes are kept.
    assert not any(c.replace("-", "") in str(row.recovery_hashes) for c in codes)
    client = Client()
    client.post("/login/", {"username": "demo_mediator", "password": PASSWORD})
    assert client.post("/login/code/", {"code": codes[3].upper()})["Location"] == "/"
    again = Client()
    again.post("/login/", {"username": "demo_mediator", "password": PASSWORD})
    assert again.post("/login/code/", {"code": codes[3]}).status_code == 200
    assert twofactor.recovery_codes_left(world.user("demo_mediator")) == 9
    assert AuditEvent.objects.filter(event_type=EventType.RECOVERY_CODE_USED).count() == 1


def test_guessing_codes_is_throttled_like_passwords(
    world: World, client_as: Callable[[str], Client]
) -> None:
    secret, _codes = _enrol(client_as("demo_mediator"), "demo_mediator")
    attacker = Client(REMOTE_ADDR="10.9.9.9")
    attacker.post("/login/", {"username": "demo_mediator", "password": PASSWORD})
    for _ in range(5):
        attacker.post("/login/code/", {"code": "123456"})
    # Even the right code is now refused from this source, and the password step does not
    # clear the count.
    attacker.post("/login/", {"username": "demo_mediator", "password": PASSWORD})
    page = attacker.post("/login/code/", {"code": _now_code(secret)}).content.decode()
    assert "尝试次数过多" in page
    assert attacker.get("/")["Location"].startswith("/login/")


@override_settings(TIAOJIE_2FA_REQUIRED_ROLES=REQUIRED)
def test_a_required_role_must_enrol_before_anything_else(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = Client()
    assert (
        client.post("/login/", {"username": "demo_city", "password": PASSWORD})["Location"] == "/"
    )
    assert client.get("/")["Location"] == "/account/two-factor/"
    assert client.get("/cases/")["Location"] == "/account/two-factor/"
    _enrol(client, "demo_city")
    assert client.get("/").status_code == 200
    # A role that does not require it is free to go without.
    assert client_as("demo_mediator").get("/").status_code == 200


@override_settings(TIAOJIE_2FA_REQUIRED_ROLES=REQUIRED)
def test_a_required_role_cannot_turn_it_off(world: World) -> None:
    client = Client()
    client.post("/login/", {"username": "demo_city", "password": PASSWORD})
    secret, _codes = _enrol(client, "demo_city")
    client.post("/account/two-factor/", {"action": "remove", "code": _now_code(secret)})
    assert twofactor.enrolled(world.user("demo_city"))


def test_an_optional_user_turns_it_off_with_a_code(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("demo_mediator")
    secret, _codes = _enrol(client, "demo_mediator")
    client.post("/account/two-factor/", {"action": "remove", "code": _now_code(secret)})
    assert not twofactor.enrolled(world.user("demo_mediator"))
    assert AuditEvent.objects.filter(event_type=EventType.SECOND_FACTOR_REMOVED).exists()


def test_renewed_recovery_codes_replace_the_old(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("demo_mediator")
    secret, old = _enrol(client, "demo_mediator")
    page = client.post(
        "/account/two-factor/", {"action": "renew", "code": _now_code(secret)}
    ).content.decode()
    new = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", page)
    assert len(new) == 10 and not set(new) & set(old)
    user = world.user("demo_mediator")
    assert not twofactor.verify(user, old[0])
    assert twofactor.verify(user, new[0])


def test_the_security_administrator_resets_it_audited_and_the_person_is_told(
    world: World, client_as: Callable[[str], Client]
) -> None:
    user = world.user("demo_mediator")
    user.email = "li@example.org"
    user.save()
    secret, _codes = _enrol(client_as("demo_mediator"), "demo_mediator")
    signed_in = Client()
    signed_in.post("/login/", {"username": "demo_mediator", "password": PASSWORD})
    signed_in.post("/login/code/", {"code": _now_code(secret)})
    assert signed_in.get("/").status_code == 200

    admin = client_as("demo_secadmin")
    detail = f"/accounts/{user.pk}/"
    assert "重置" in admin.get(detail).content.decode()
    admin.post(detail, {"form": "second_factor", "second_factor-reason": "手机遗失"})
    assert not SecondFactor.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(event_type=EventType.SECOND_FACTOR_RESET)
    assert event.actor_username == "demo_secadmin"
    assert [m.to for m in mail.outbox] == [["li@example.org"]]
    # Every session of the person ended; they sign in with the password and enrol again.
    assert signed_in.get("/")["Location"].startswith("/login/")
    assert (
        Client().post("/login/", {"username": "demo_mediator", "password": PASSWORD})["Location"]
        == "/"
    )


def test_other_people_cannot_reset_it(world: World, client_as: Callable[[str], Client]) -> None:
    user = world.user("demo_mediator")
    _enrol(client_as("demo_mediator"), "demo_mediator")
    for who in ("demo_sysadmin", "demo_auditadmin", "demo_director"):
        client_as(who).post(
            f"/accounts/{user.pk}/", {"form": "second_factor", "second_factor-reason": "x"}
        )
    assert twofactor.enrolled(user)


def test_the_reset_command_for_administrators(world: World) -> None:
    from django.core.management import call_command

    admin = world.user("demo_secadmin")
    SecondFactor.objects.create(
        user=admin, secret=totp.new_secret(), confirmed_at="2026-01-01T00:00Z"
    )
    call_command("reset_two_factor", "demo_secadmin", reason="手机遗失")
    assert not twofactor.enrolled(admin)
    assert AuditEvent.objects.filter(
        event_type=EventType.SECOND_FACTOR_RESET, actor__isnull=True
    ).exists()


def test_a_token_needs_the_second_factor_when_the_account_has_one(
    world: World, client_as: Callable[[str], Client]
) -> None:
    secret, _codes = _enrol(client_as("demo_mediator"), "demo_mediator")
    url = "/api/v1/auth/token"
    body = {"username": "demo_mediator", "password": PASSWORD}
    missing = Client().post(url, body, content_type="application/json")
    assert missing.status_code == 401 and missing.json()["code"] == "otp_required"
    wrong = Client().post(url, {**body, "otp": "000000"}, content_type="application/json")
    assert wrong.status_code == 401 and wrong.json()["code"] == "otp_invalid"
    assert not ApiToken.objects.exists()
    right = Client().post(url, {**body, "otp": _now_code(secret)}, content_type="application/json")
    assert right.status_code == 200 and right.json()["token"]


@override_settings(TIAOJIE_2FA_REQUIRED_ROLES=REQUIRED)
def test_a_required_role_without_it_gets_no_token(world: World) -> None:
    response = Client().post(
        "/api/v1/auth/token",
        {"username": "demo_city", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json()["code"] == "otp_enrolment_required"
    assert not ApiToken.objects.filter(user=User.objects.get(username="demo_city")).exists()


@override_settings(TIAOJIE_2FA_REQUIRED_ROLES=REQUIRED)
def test_check_accounts_lists_who_has_not_set_it_up(world: World) -> None:
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_accounts", stdout=out)
    assert "NO 2FA   demo_city" in out.getvalue()
    assert "NO 2FA   demo_mediator" not in out.getvalue()
