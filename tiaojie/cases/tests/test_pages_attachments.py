"""Files kept with a case: accepted by name and content, limited in size, stored outside the web
root under a random name, downloaded only within scope, every upload and download audited."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.models import Attachment, Case
from tiaojie.cases.services.attachments import attachment_add, stored_path
from tiaojie.cases.tests import factories as f
from tiaojie.core.errors import ValidationFailed

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client: Client, case: Case, name: str, content: bytes, **data: Any) -> Any:
    url = reverse("cases:case_action", args=[case.pk]) + "?do=attachment_add"
    file = SimpleUploadedFile(name, content)
    fields = {"version": Case.objects.get(pk=case.pk).version, "kind": "evidence", "file": file}
    return client.post(url, fields | data)


def test_a_pdf_is_kept_under_a_random_name_with_its_hash(
    world: World, client_as: Callable[[str], Client], media: Path
) -> None:
    case = f.register(world.user("demo_mediator"))
    response = upload(client_as("demo_mediator"), case, "现场照片.pdf", PDF, title="")
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.title == "现场照片" and attachment.original_name == "现场照片.pdf"
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.size == len(PDF) and attachment.content_type == "application/pdf"
    path = stored_path(attachment)
    assert path.parent == media / "cases" / str(case.pk)
    assert path.read_bytes() == PDF
    assert len(path.stem) == 32 and path.suffix == ".pdf" and "现场" not in path.name
    event = AuditEvent.objects.get(event_type=EventType.ATTACHMENT_ADDED)
    assert (event.after or {})["sha256"] == attachment.sha256


def test_an_exe_renamed_pdf_is_refused(world: World, client_as: Callable[[str], Client]) -> None:
    case = f.register(world.user("demo_mediator"))
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
    response = upload(client_as("demo_mediator"), case, "合同.pdf", exe)
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not Attachment.objects.exists()


def test_other_types_are_refused_by_name(world: World, client_as: Callable[[str], Client]) -> None:
    case = f.register(world.user("demo_mediator"))
    response = upload(client_as("demo_mediator"), case, "run.exe", b"MZ\x90\x00")
    assert "file" in response.context["form"].errors


def test_a_file_over_the_limit_is_refused(
    world: World, client_as: Callable[[str], Client], settings: Any, media: Path
) -> None:
    settings.TIAOJIE_ATTACHMENT_MAX_MB = 1
    case = f.register(world.user("demo_mediator"))
    big = PDF + b"0" * (1024 * 1024)
    response = upload(client_as("demo_mediator"), case, "big.pdf", big)
    assert "file" in response.context["form"].errors
    assert not Attachment.objects.exists()
    assert not list(media.rglob("*.pdf"))


def test_office_files_are_checked_inside(world: World) -> None:
    mediator = world.user("demo_mediator")
    case = f.register(mediator)

    def office(member: str) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr(member, "<x/>")
        return out.getvalue()

    ok = SimpleUploadedFile("协议.docx", office("word/document.xml"))
    attachment_add(actor=mediator, case=case, kind="evidence", title="", file=ok)
    workbook_as_docx = SimpleUploadedFile("账目.docx", office("xl/workbook.xml"))
    with pytest.raises(ValidationFailed) as refused:
        attachment_add(actor=mediator, case=case, kind="evidence", title="", file=workbook_as_docx)
    assert refused.value.code == "file_content"
    sheet = SimpleUploadedFile("账目.xlsx", office("xl/workbook.xml"))
    attachment_add(actor=mediator, case=case, kind="receipt", title="", file=sheet)
    assert Attachment.objects.count() == 2


def test_recordings_are_accepted(world: World) -> None:
    mediator = world.user("demo_mediator")
    case = f.register(mediator)
    mp3 = SimpleUploadedFile("录音.mp3", b"ID3\x04\x00" + b"\x00" * 64)
    m4a = SimpleUploadedFile("录音.m4a", b"\x00\x00\x00\x20ftypM4A " + b"\x00" * 64)
    for file in (mp3, m4a):
        attachment_add(actor=mediator, case=case, kind="evidence", title="调解录音", file=file)
    assert Attachment.objects.count() == 2


def test_download_is_for_the_case_scope_only_and_audited(
    world: World, client_as: Callable[[str], Client]
) -> None:
    mediator = world.user("demo_mediator")
    case = f.register(mediator)
    file = SimpleUploadedFile("收据.pdf", PDF)
    attachment = attachment_add(actor=mediator, case=case, kind="receipt", title="", file=file)
    url = reverse("cases:attachment_download", args=[attachment.pk])
    assert client_as("demo_mediator_b").get(url).status_code == 404
    assert client_as("demo_grid").get(url).status_code == 404
    assert not AuditEvent.objects.filter(event_type=EventType.ATTACHMENT_DOWNLOADED).exists()
    response = client_as("demo_district").get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    event = AuditEvent.objects.get(event_type=EventType.ATTACHMENT_DOWNLOADED)
    assert (
        event.actor == world.user("demo_district")
        and (event.after or {})["attachment"] == attachment.pk
    )


def test_the_case_page_lists_its_files(world: World, client_as: Callable[[str], Client]) -> None:
    mediator = world.user("demo_mediator")
    case = f.register(mediator)
    file = SimpleUploadedFile("现场照片.pdf", PDF)
    attachment = attachment_add(actor=mediator, case=case, kind="evidence", title="", file=file)
    html = client_as("demo_mediator").get(reverse("cases:case_detail", args=[case.pk]))
    assert reverse("cases:attachment_download", args=[attachment.pk]) in html.content.decode()
