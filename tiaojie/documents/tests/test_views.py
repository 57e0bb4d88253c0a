"""The documents page, downloads and their audit trail, scope, and the API."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from tiaojie.accounts.models import User
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.choices import PartyRole
from tiaojie.cases.models import Case
from tiaojie.cases.services import intake
from tiaojie.cases.tests import factories
from tiaojie.documents.tests.conftest import pdf_pages


def _download(case: Case, kind: str, fmt: str = "pdf") -> str:
    return reverse("documents:document_download", kwargs={"pk": case.pk, "kind": kind, "fmt": fmt})


def test_the_page_lists_the_documents_and_what_is_missing(
    client_as: Callable[[str], Client], registered: Case
) -> None:
    html = (
        client_as("demo_mediator")
        .get(reverse("documents:case_documents", kwargs={"pk": registered.pk}))
        .content.decode()
    )
    assert "人民调解申请书" in html
    assert "卷内目录" in html
    assert _download(registered, "registration", "docx") in html
    assert _download(registered, "contents", "docx") not in html
    assert "人民调解记录" not in html  # no session yet
    # Identified parties and no session yet: the file so far lacks nothing (a rights notice
    # is owed only once mediation is held).
    assert '<ul class="missing">' not in html
    unidentified = factories.register(
        User.objects.get(username="demo_mediator"),
        parties=[
            intake.PartyData(role=PartyRole.APPLICANT, name="王建华"),
            intake.PartyData(role=PartyRole.RESPONDENT, name="李秀英"),
        ],
    )
    html = (
        client_as("demo_mediator")
        .get(reverse("documents:case_documents", kwargs={"pk": unidentified.pk}))
        .content.decode()
    )
    assert '<ul class="missing"><li>当事人身份证明</li></ul>' in html


def test_a_download_is_recorded_with_kind_and_format(
    client_as: Callable[[str], Client], full: Case
) -> None:
    session = full.sessions.first()
    assert session is not None
    response = client_as("demo_mediator").get(
        _download(full, "mediation_record", "docx") + f"?record={session.pk}"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    event = AuditEvent.objects.filter(event_type=EventType.DOCUMENT_GENERATED).latest("id")
    assert event.after == {
        "kind": "mediation_record",
        "format": "docx",
        "record": session.pk,
        "full_identity": False,
    }
    assert event.object_id == str(full.pk)


def test_identity_in_full_is_also_a_read_of_personal_data(
    client_as: Callable[[str], Client], full: Case
) -> None:
    response = client_as("demo_mediator").get(_download(full, "agreement"))
    assert response["Content-Disposition"].startswith("inline")
    assert AuditEvent.objects.filter(
        event_type=EventType.PERSONAL_DATA_VIEWED,
        object_id=str(full.pk),
        after__document="agreement",
    ).exists()


def test_another_committees_mediator_gets_not_found(
    client_as: Callable[[str], Client], full: Case
) -> None:
    client = client_as("demo_mediator_b")
    assert (
        client.get(reverse("documents:case_documents", kwargs={"pk": full.pk})).status_code == 404
    )
    assert client.get(_download(full, "agreement")).status_code == 404
    assert (
        client.get(reverse("documents:case_file_status", kwargs={"pk": full.pk})).status_code == 404
    )


def test_a_record_of_another_case_or_an_unknown_kind_is_not_found(
    client_as: Callable[[str], Client], full: Case, registered: Case
) -> None:
    client = client_as("demo_mediator")
    session = full.sessions.first()
    assert session is not None
    assert (
        client.get(_download(registered, "mediation_record") + f"?record={session.pk}").status_code
        == 404
    )
    assert client.get(_download(full, "mediation_record")).status_code == 404  # record needed
    assert client.get(_download(full, "receipt")).status_code == 404
    assert client.get(_download(full, "agreement", "odt")).status_code == 404
    assert client.get(_download(full, "contents", "docx")).status_code == 404
    assert client.get(_download(full, "termination_notice")).status_code == 404  # it was agreed


def test_the_api_returns_the_document(api_as: Callable[[str], Client], full: Case) -> None:
    client = api_as("demo_mediator")
    url = f"/api/v1/cases/{full.pk}/documents/agreement"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert full.number in "".join(pdf_pages(response.content))
    docx = client.get(url, {"format": "docx"})
    assert docx["Content-Type"].endswith("wordprocessingml.document")
    assert (
        client.get(f"/api/v1/cases/{full.pk}/documents/contents", {"format": "docx"}).status_code
        == 422
    )
    assert client.get(f"/api/v1/cases/{full.pk}/documents/nothing").status_code == 422
    assert api_as("demo_mediator_b").get(url).status_code == 404


def test_the_template_page_is_for_a_bureaus_administrators(
    client_as: Callable[[str], Client], db: None
) -> None:
    url = reverse("documents:template_list")
    assert client_as("demo_district").get(url).status_code == 200
    assert client_as("demo_street").get(url).status_code == 403  # manages, but not at a bureau
    assert client_as("demo_mediator").get(url).status_code == 403
    download = client_as("demo_district").get(
        reverse("documents:template_download", kwargs={"kind": "agreement"})
    )
    assert b"word/document.xml" in download.content


def test_uploading_on_the_page_shows_the_unknown_field(
    client_as: Callable[[str], Client], db: None
) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from docx import Document

    document = Document()
    document.add_paragraph("{{ case.nubmer }}")
    data = io.BytesIO()
    document.save(data)
    response = client_as("demo_district").post(
        reverse("documents:template_list"),
        {"kind": "agreement", "file": SimpleUploadedFile("t.docx", data.getvalue())},
    )
    assert response.status_code == 200
    assert "case.nubmer" in response.content.decode()
