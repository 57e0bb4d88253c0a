"""Exporting the case list: the page's filters, personal data masked for roles that may not see
it, CSV with a BOM and XLSX with a header row, every export audited."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.tests import factories as f
from tiaojie.core.masking import mask_id_number, mask_phone

EXPORT = reverse("cases:case_export")


def xlsx_text(body: bytes) -> str:
    """Every string the workbook holds, uncompressed (the file itself is a zip)."""
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return "".join(archive.read(name).decode("utf-8") for name in archive.namelist())


def test_an_officer_gets_a_masked_csv(world: World, client_as: Callable[[str], Client]) -> None:
    case = f.register(world.user("demo_mediator"))
    response = client_as("demo_district").get(f"{EXPORT}?format=csv&q=漏水")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="cases-' in response["Content-Disposition"]
    body = response.content
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    assert case.number in text and "王建华" in text
    assert f.WANG_ID not in text and f.LI_ID not in text and "13812345678" not in text
    assert mask_id_number(f.WANG_ID) in text and mask_phone("13812345678") in text
    assert "3栋201室" not in text
    event = AuditEvent.objects.get(event_type=EventType.CASES_EXPORTED)
    # The search is kept as its kind, never as typed (issue 16, hole 7).
    assert event.after == {"filters": {"q": "[text]"}, "format": "csv", "rows": 1, "masked": True}


def test_an_officer_gets_a_masked_workbook(
    world: World, client_as: Callable[[str], Client]
) -> None:
    case = f.register(world.user("demo_mediator"))
    response = client_as("demo_street").get(f"{EXPORT}?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f.WANG_ID.encode() not in response.content
    assert f.WANG_ID not in xlsx_text(response.content)
    assert "13812345678" not in xlsx_text(response.content)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == case.number
    assert mask_id_number(f.WANG_ID) in rows[1]
    assert sheet.column_dimensions["A"].width == 30
    assert (AuditEvent.objects.get(event_type=EventType.CASES_EXPORTED).after or {})[
        "masked"
    ] is True


def test_a_director_with_personal_data_exports_in_full(
    world: World, client_as: Callable[[str], Client]
) -> None:
    f.register(world.user("demo_mediator"))
    response = client_as("demo_director").get(f"{EXPORT}?format=xlsx")
    assert f.WANG_ID in xlsx_text(response.content)
    assert (AuditEvent.objects.get(event_type=EventType.CASES_EXPORTED).after or {})[
        "masked"
    ] is False


def test_the_export_keeps_to_the_scope_and_the_filters(
    world: World, client_as: Callable[[str], Client]
) -> None:
    a = f.register(world.user("demo_mediator"))
    b = f.register(world.user("demo_mediator_b"), summary="房屋租赁押金纠纷")
    text = client_as("demo_director").get(f"{EXPORT}?format=csv").content.decode("utf-8-sig")
    assert a.number in text and b.number not in text
    filtered = client_as("demo_district").get(f"{EXPORT}?format=csv&q=押金")
    assert b.number in filtered.content.decode("utf-8-sig")
    assert a.number not in filtered.content.decode("utf-8-sig")


def test_mediators_do_not_export(client_as: Callable[[str], Client]) -> None:
    assert client_as("demo_mediator").get(EXPORT).status_code == 403
