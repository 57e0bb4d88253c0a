"""The operations only the pages had, now in the API with the same services (issue 9, item 12):
attaching a file, adding a mediator and letting one withdraw, the duplicate-case check and the
earlier appearances of a person."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import World
from tests import personas as p
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.models import Case
from tiaojie.cases.tests import factories as f

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _upload(client: Client, case: Case, name: str, content: bytes, **fields: Any) -> Any:
    data = {"kind": "evidence", "file": SimpleUploadedFile(name, content), **fields}
    return client.post(f"/api/v1/cases/{case.pk}/attachments", data)


def test_a_file_is_attached_checked_and_downloaded_as_on_the_page(
    world: World, api_as: Callable[[str], Client], settings: Any
) -> None:
    case = f.register(world.user(p.MEDIATOR_A))
    client = api_as(p.MEDIATOR_A)
    created = _upload(client, case, "现场照片.pdf", PDF, title="漏水现场")
    assert created.status_code == 201, created.content
    attachment = created.json()
    assert attachment["title"] == "漏水现场" and attachment["content_type"] == "application/pdf"
    assert AuditEvent.objects.filter(
        event_type=EventType.ATTACHMENT_ADDED, object_id=str(case.pk)
    ).exists()
    listed = client.get(f"/api/v1/cases/{case.pk}/attachments").json()
    assert [row["id"] for row in listed] == [attachment["id"]]
    downloaded = client.get(f"/api/v1/cases/{case.pk}/attachments/{attachment['id']}/file")
    assert downloaded.status_code == 200 and downloaded.getvalue() == PDF
    assert AuditEvent.objects.filter(event_type=EventType.ATTACHMENT_DOWNLOADED).exists()
    # The page's checks: the content must match the name, and the size the limit.
    renamed = _upload(client, case, "照片.pdf", b"MZ\x90\x00 not a pdf")
    assert renamed.status_code == 422
    assert renamed.json()["fields"]["file"] == ["文件内容与 PDF 格式不符。"]
    settings.TIAOJIE_ATTACHMENT_MAX_MB = 1
    too_big = _upload(client, case, "大.pdf", PDF + b"0" * (1024 * 1024))
    assert too_big.status_code == 422 and "1 MB" in too_big.json()["fields"]["file"][0]
    assert Case.objects.get(pk=case.pk).attachments.count() == 1


def test_the_director_adds_a_mediator_and_the_first_one_withdraws(
    world: World, api_as: Callable[[str], Client]
) -> None:
    mediator, director = world.user(p.MEDIATOR_A), world.user(p.DIRECTOR_A)
    case = f.to_mediation(mediator, f.register(mediator))
    url = f"/api/v1/cases/{case.pk}/mediators"
    refused = api_as(p.MEDIATOR_A).post(
        url, {"mediator_id": director.pk}, content_type="application/json"
    )
    assert refused.status_code == 403
    added = api_as(p.DIRECTOR_A).post(
        url, {"mediator_id": director.pk}, content_type="application/json"
    )
    assert added.status_code == 201 and added.json()["full_name"] == director.full_name
    first = case.mediators.get(mediator=mediator)
    withdrawn = api_as(p.MEDIATOR_A).post(
        f"{url}/{first.pk}/withdrawal", {"reason": "申请回避"}, content_type="application/json"
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    last = case.mediators.get(mediator=director)
    alone = api_as(p.DIRECTOR_A).post(
        f"{url}/{last.pk}/withdrawal", {"reason": "回避"}, content_type="application/json"
    )
    assert alone.status_code == 409 and alone.json()["code"] == "last_mediator"
    unknown = api_as(p.DIRECTOR_A).post(url, {"mediator_id": 0}, content_type="application/json")
    assert unknown.status_code == 422 and unknown.json()["fields"]["mediator_id"]


def test_the_duplicate_check_and_earlier_appearances(
    world: World, api_as: Callable[[str], Client]
) -> None:
    case = f.register(world.user(p.MEDIATOR_A))
    body = {"values": [f.WANG_ID]}
    duplicates = api_as(p.MEDIATOR_A).post(
        "/api/v1/cases/duplicates", body, content_type="application/json"
    )
    assert [row["number"] for row in duplicates.json()] == [case.number]
    # Another committee's clerk is not told of committee A's case.
    elsewhere = api_as(p.MEDIATOR_B).post(
        "/api/v1/cases/duplicates", body, content_type="application/json"
    )
    assert elsewhere.json() == []
    seen = api_as(p.MEDIATOR_A).post(
        "/api/v1/parties/appearances", body, content_type="application/json"
    )
    [appearance] = seen.json()
    assert appearance["name"] == "王建华" and appearance["case_number"] == case.number
    assert f.WANG_ID not in seen.content.decode()  # the number itself is never echoed
    assert (
        api_as(p.MEDIATOR_B)
        .post("/api/v1/parties/appearances", body, content_type="application/json")
        .json()
        == []
    )
