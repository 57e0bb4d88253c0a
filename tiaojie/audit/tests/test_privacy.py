"""Hole 7 of issue 16: the audit administrator reads no ID number, phone or name."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from conftest import World
from tiaojie.accounts import services as accounts
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.tests import factories as f


def test_an_export_by_id_number_keeps_only_the_kind_of_search(
    world: World, client_as: Callable[[str], Client]
) -> None:
    f.register(world.user("demo_mediator"))
    client = client_as("demo_district")
    client.get(reverse("cases:case_export"), {"q": f.WANG_ID, "format": "csv"})
    client.get(reverse("cases:case_export"), {"q": "13812345678", "format": "csv"})
    client.get(reverse("cases:case_export"), {"q": "王建华", "format": "csv"})
    filters = [
        e.after["filters"]  # type: ignore[index]
        for e in AuditEvent.objects.filter(event_type=EventType.CASES_EXPORTED).order_by("id")
    ]
    assert [x["q"] for x in filters] == ["[id_number]", "[phone]", "[text]"]
    page = client_as("demo_auditadmin").get(reverse("audit:event_list")).content.decode()
    assert f.WANG_ID not in page and "13812345678" not in page and "王建华" not in page


def test_numbers_in_a_reason_are_masked(world: World) -> None:
    mediator = world.user("demo_mediator")
    accounts.user_set_active(
        actor=world.user("demo_secadmin"),
        user=mediator,
        active=False,
        reason=f"当事人{f.WANG_ID}投诉，电话13812345678",
    )
    reason = AuditEvent.objects.get(event_type=EventType.ACCOUNT_DEACTIVATED).reason
    assert f.WANG_ID not in reason and "13812345678" not in reason
    assert reason.startswith("当事人") and "投诉" in reason


def test_an_unknown_typed_username_stays_out_of_the_trail(db: None) -> None:
    Client().post("/login/", {"username": "MyS3cret-Passw0rd", "password": "x"})
    event = AuditEvent.objects.get(event_type=EventType.LOGIN_FAILED)
    assert "MyS3cret" not in str(event.after) and "MyS3cret" not in event.object_repr
