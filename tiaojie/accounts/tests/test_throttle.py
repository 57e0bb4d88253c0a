"""Hole 2 of issue 16: throttling by source and by name from a source, identical answers for
known and unknown names, and the security administrator sees and lifts blocks."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from conftest import World
from tests.api.schema import call
from tiaojie.accounts.models import LoginThrottle
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent


def _token(client: Client, username: str, password: str) -> tuple[int, object]:
    response = call(client, "post", "/auth/token", {"username": username, "password": password})
    return response.status_code, response.json() if response.status_code != 200 else "token"


def test_known_and_unknown_names_get_identical_answers_all_the_way(db: None) -> None:
    known = [_token(Client(REMOTE_ADDR="10.0.0.1"), "demo_mediator", "nope") for _ in range(7)]
    unknown = [_token(Client(REMOTE_ADDR="10.0.0.2"), "no_such_one", "nope") for _ in range(7)]
    assert known == unknown
    assert known[-1][1]["code"] == "locked"  # type: ignore[index]


def test_guessing_slows_down_then_blocks_the_source(world: World, settings: object) -> None:
    settings.TIAOJIE_LOGIN_SOURCE_FAILURES = 8  # type: ignore[attr-defined]
    robot = Client(REMOTE_ADDR="10.6.6.6")
    answers = [_token(robot, f"user{n}", "guess")[1]["code"] for n in range(8)]  # type: ignore[index]
    # Three tries at full speed, then each must wait longer: refused without a check.
    assert answers[:3] == ["invalid_credentials"] * 3 and "locked" in answers[3:]
    # The source is blocked now, even for a right password.
    assert _token(robot, "demo_mediator", "tiaojie-demo")[0] == 401
    assert LoginThrottle.objects.get(kind="source", key="10.6.6.6").is_blocked()


def test_the_security_admin_sees_who_is_blocked_and_lifts_it(
    world: World, client_as: Callable[[str], Client], settings: object
) -> None:
    settings.TIAOJIE_LOGIN_DELAY_AFTER = 10  # type: ignore[attr-defined]
    robot = Client(REMOTE_ADDR="10.7.7.7")
    for _ in range(5):
        robot.post("/login/", {"username": "demo_mediator", "password": "bad"})
    page = client_as("demo_secadmin").get("/accounts/lockouts/")
    html = page.content.decode()
    assert page.status_code == 200 and "10.7.7.7" in html and "demo_mediator" in html
    assert client_as("demo_mediator").get("/accounts/lockouts/").status_code == 403
    row = LoginThrottle.objects.get(kind="username")
    done = client_as("demo_secadmin").post(
        "/accounts/lockouts/", {"block": row.pk, "reason": "本人来电核实"}
    )
    assert done.status_code == 302
    assert (
        robot.post("/login/", {"username": "demo_mediator", "password": "tiaojie-demo"})["Location"]
        == "/"
    )
    assert AuditEvent.objects.filter(
        event_type=EventType.LOGIN_UNBLOCKED, reason="本人来电核实"
    ).exists()
