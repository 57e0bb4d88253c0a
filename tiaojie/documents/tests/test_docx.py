"""DOCX documents, and the templates a bureau uploads in place of the built-in ones."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from tiaojie.accounts.models import User
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.models import Case
from tiaojie.core.errors import NotPermitted, ValidationFailed
from tiaojie.documents import services
from tiaojie.documents.kinds import DOCX_KINDS, Format, Kind
from tiaojie.documents.models import DocumentTemplate
from tiaojie.documents.selectors import available


def _text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _docx(actor: User, case: Case, kind: Kind, record_id: int | None = None) -> str:
    generated = services.document_generate(
        actor=actor, case=case, kind=kind, fmt=Format.DOCX, record_id=record_id
    )
    assert generated.filename.endswith(".docx")
    return _text(generated.data)


def _template(*lines: str) -> SimpleUploadedFile:
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return SimpleUploadedFile("协议书.docx", out.getvalue())


def test_every_document_of_a_full_case_opens_as_docx(mediator: User, full: Case) -> None:
    refs = [ref for ref in available(full) if ref.kind in DOCX_KINDS]
    assert {ref.kind for ref in refs} >= {Kind.AGREEMENT, Kind.FOLLOW_UP, Kind.INVESTIGATION}
    for ref in refs:
        text = _docx(mediator, full, ref.kind, ref.record_id)
        assert full.number in text, ref
        assert "{{" not in text and "{%" not in text, ref


def test_the_agreement_docx_has_parties_content_and_copies(mediator: User, full: Case) -> None:
    text = _docx(mediator, full, Kind.AGREEMENT)
    assert "王建华" in text and "李秀英" in text
    assert "赔偿申请人王建华装修及灯具损失共计2000.00元" in text
    assert "本协议一式四份" in text


def test_the_contents_list_is_not_offered_as_docx(mediator: User, full: Case) -> None:
    with pytest.raises(ValidationFailed):
        services.document_generate(actor=mediator, case=full, kind=Kind.CONTENTS, fmt=Format.DOCX)


def test_a_template_with_an_unknown_field_is_refused_naming_it(db: None) -> None:
    district = User.objects.get(username="demo_district")
    upload = _template(
        "{{ case.number }} {{ case.nubmer }}",
        "{%p for p in parties %}",
        "{{ p.nmae }}",
        "{%p endfor %}",
    )
    with pytest.raises(ValidationFailed) as refused:
        services.template_upload(actor=district, kind=Kind.AGREEMENT, upload=upload)
    message = refused.value.fields["file"][0]
    assert "case.nubmer" in message
    assert "parties[].nmae" in message
    assert "case.number" not in message.replace("case.nubmer", "")
    assert not DocumentTemplate.objects.exists()


def test_a_file_that_is_not_a_template_is_refused(db: None) -> None:
    district = User.objects.get(username="demo_district")
    broken = SimpleUploadedFile("x.docx", b"not a zip file")
    with pytest.raises(ValidationFailed):
        services.template_upload(actor=district, kind=Kind.AGREEMENT, upload=broken)
    syntax = _template("{{ case.number ")
    with pytest.raises(ValidationFailed):
        services.template_upload(actor=district, kind=Kind.AGREEMENT, upload=syntax)


def test_an_uploaded_template_is_used_for_the_bureaus_committees(
    mediator: User, full: Case
) -> None:
    district = User.objects.get(username="demo_district")
    upload = _template(
        "东湖区格式 {{ case.number }}", "{%p for p in parties %}", "{{ p.name }}", "{%p endfor %}"
    )
    template = services.template_upload(actor=district, kind=Kind.AGREEMENT, upload=upload)
    text = _docx(mediator, full, Kind.AGREEMENT)
    assert text.startswith(f"东湖区格式 {full.number}")
    assert "李秀英" in text
    assert AuditEvent.objects.filter(
        event_type=EventType.DOCUMENT_TEMPLATE_UPLOADED, object_id=str(template.pk)
    ).exists()
    # Another kind still uses the built-in template.
    assert "人民调解受理登记表" in _docx(mediator, full, Kind.REGISTRATION)


def test_the_nearest_bureau_wins_and_withdrawing_restores_the_one_above(
    mediator: User, full: Case
) -> None:
    city = User.objects.get(username="demo_city")
    district = User.objects.get(username="demo_district")
    services.template_upload(actor=city, kind=Kind.AGREEMENT, upload=_template("市格式"))
    own = services.template_upload(actor=district, kind=Kind.AGREEMENT, upload=_template("区格式"))
    assert _docx(mediator, full, Kind.AGREEMENT).startswith("区格式")
    services.template_withdraw(actor=district, template=own)
    assert _docx(mediator, full, Kind.AGREEMENT).startswith("市格式")


def test_only_a_bureaus_administrators_upload_templates(db: None) -> None:
    for username in ("demo_street", "demo_mediator", "demo_auditadmin"):
        with pytest.raises(NotPermitted):
            services.template_upload(
                actor=User.objects.get(username=username),
                kind=Kind.AGREEMENT,
                upload=_template("{{ case.number }}"),
            )
    sysadmin = User.objects.get(username="demo_sysadmin")
    services.template_upload(
        actor=sysadmin, kind=Kind.COVER, upload=_template("{{ file.retention }}")
    )
