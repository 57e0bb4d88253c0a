"""Permission cases for the records of a case through the API (cases/api_records.py): read by
everyone who may read the case, 404 for anyone else (issue 9, items 11 and 12)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tests import personas as p
from tests.permission_kit import ApiCase, PageCase
from tiaojie.accounts.models import User
from tiaojie.cases.models import Case

CASE_READERS = {p.MEDIATOR_A: 200, p.DIRECTOR_A: 200, p.STREET: 200, p.DISTRICT: 200, p.CITY: 200}


def _mediator() -> User:
    return User.objects.get(username=p.MEDIATOR_A)


def _in_mediation() -> Case:
    from tiaojie.cases.tests import factories as f

    return f.to_mediation(_mediator(), f.register(_mediator()))


def with_session() -> dict[str, Any]:
    from tiaojie.cases.tests import factories as f

    case = f.with_session(_mediator(), _in_mediation())
    return {"case_id": case.pk, "record_id": case.sessions.get().pk}


def with_investigation() -> dict[str, Any]:
    from tiaojie.cases.services import records
    from tiaojie.cases.tests import factories as f

    case = _in_mediation()
    record = records.investigation_add(
        actor=_mediator(),
        case=case,
        held_at=f.earlier_today(case, hours=2),
        place="现场",
        interviewee="楼下住户",
        investigators="李建国",
        recorder="李建国",
        content="问：何时开始漏水？答：三个月前。",
    )
    return {"case_id": case.pk, "record_id": record.pk}


def _agreed() -> Case:
    from tiaojie.cases.tests import factories as f

    return f.to_agreement(_mediator(), f.register(_mediator()))


def with_follow_up() -> dict[str, Any]:
    from tiaojie.cases.services import aftercare

    case = _agreed()
    record = aftercare.follow_up_add(
        actor=_mediator(),
        case=case,
        visited_on=timezone.localdate(),
        method="phone",
        party_visited="王建华",
        performance="performed",
        satisfaction="satisfied",
    )
    return {"case_id": case.pk, "record_id": record.pk}


def with_confirmation() -> dict[str, Any]:
    from tiaojie.cases.services import aftercare

    case = _agreed()
    record = aftercare.confirmation_apply(
        actor=_mediator(),
        case=case,
        applied_on=timezone.localdate(),
        court="东湖区人民法院",
        joint=True,
    )
    return {"case_id": case.pk, "record_id": record.pk}


def with_attachment() -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tiaojie.cases.services import attachments
    from tiaojie.cases.tests import factories as f

    case = f.register(_mediator())
    record = attachments.attachment_add(
        actor=_mediator(),
        case=case,
        kind="evidence",
        title="现场照片",
        file=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    )
    return {"case_id": case.pk, "record_id": record.pk}


def with_mediator() -> dict[str, Any]:
    case = _in_mediation()
    return {"case_id": case.pk, "record_id": case.mediators.get().pk}


def _reads(name: str, path: str, build: Any, id_name: str) -> list[ApiCase]:
    base = f"/cases/{{case_id}}/{path}"

    def params() -> dict[str, Any]:
        built = build()
        return {"case_id": built["case_id"], id_name: built["record_id"]}

    return [
        ApiCase(f"{name}_list", "get", base, build, expect=CASE_READERS, default=404),
        ApiCase(
            f"{name}_read",
            "get",
            f"{base}/{{{id_name}}}",
            params,
            expect=CASE_READERS,
            default=404,
        ),
    ]


PAGE_CASES: list[PageCase] = []
API_CASES: list[ApiCase] = [
    *_reads("sessions", "sessions", with_session, "session_id"),
    *_reads("investigations", "investigations", with_investigation, "investigation_id"),
    *_reads("follow_ups", "follow-ups", with_follow_up, "follow_up_id"),
    *_reads("confirmations", "confirmations", with_confirmation, "confirmation_id"),
    *_reads("attachments", "attachments", with_attachment, "attachment_id"),
    *_reads("case_mediators", "mediators", with_mediator, "assignment_id"),
]


def with_render() -> dict[str, Any]:
    """A render of a committee-A case requested by its mediator (queued: in the suite's
    transaction the task never runs, so its PDF is not there yet)."""
    from tiaojie.cases.tests import factories as f
    from tiaojie.documents import services

    case = f.register(_mediator())
    render = services.case_file_render_request(actor=_mediator(), case=case)
    return {"case_id": case.pk, "render_id": render.pk}


def case_only() -> dict[str, Any]:
    from tiaojie.cases.tests import factories as f

    return {"case_id": f.register(_mediator()).pk}


RENDERS = "/cases/{case_id}/file/renders"
API_CASES += [
    ApiCase(
        "case_file_renders_create",
        "post",
        RENDERS,
        case_only,
        expect={reader: 202 for reader in CASE_READERS},
        default=404,
    ),
    ApiCase("case_file_renders_list", "get", RENDERS, case_only, expect=CASE_READERS, default=404),
    ApiCase(
        "case_file_renders_read",
        "get",
        RENDERS + "/{render_id}",
        with_render,
        # The mediator's render shows the parties in full: officers may not receive it.
        expect={p.MEDIATOR_A: 200, p.DIRECTOR_A: 200},
        default=404,
    ),
    ApiCase(
        "case_file_renders_download",
        "get",
        RENDERS + "/{render_id}/pdf",
        with_render,
        expect={p.MEDIATOR_A: 409, p.DIRECTOR_A: 409},
        default=404,
    ),
]


# --- Item 12: the operations only the pages had -----------------------------------------------

# In scope but without the right to work on the case: 403; out of scope: 404.
OFFICERS_403 = {p.STREET: 403, p.DISTRICT: 403, p.CITY: 403}
# Who registers disputes (as on the intake page); the city officer has no intake: 403.
REGISTRARS = [p.MEDIATOR_A, p.MEDIATOR_B, p.DIRECTOR_A, p.GRID_A, p.STREET, p.DISTRICT]


def attachment_upload() -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {
        "kind": "evidence",
        "title": "现场照片",
        "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    }


def with_two_mediators() -> dict[str, Any]:
    from tiaojie.cases.services import records

    case = _in_mediation()
    records.mediator_add(
        actor=User.objects.get(username=p.DIRECTOR_A),
        case=case,
        mediator=User.objects.get(username=p.DIRECTOR_A),
    )
    assignment = case.mediators.get(mediator__username=p.MEDIATOR_A)
    return {"case_id": case.pk, "assignment_id": assignment.pk}


def attachment_file() -> dict[str, Any]:
    built = with_attachment()
    return {"case_id": built["case_id"], "attachment_id": built["record_id"]}


API_CASES += [
    ApiCase(
        "attachments_create",
        "post",
        "/cases/{case_id}/attachments",
        case_only,
        multipart=attachment_upload,
        expect={p.MEDIATOR_A: 201, p.DIRECTOR_A: 201, **OFFICERS_403},
        default=404,
    ),
    ApiCase(
        "attachments_download",
        "get",
        "/cases/{case_id}/attachments/{attachment_id}/file",
        attachment_file,
        expect=CASE_READERS,
        default=404,
    ),
    ApiCase(
        "case_mediators_create",
        "post",
        "/cases/{case_id}/mediators",
        lambda: {"case_id": _in_mediation().pk},
        lambda: {"mediator_id": User.objects.get(username=p.DIRECTOR_A).pk},
        # Assigning is the director's (case.assign): the mediator and officers 403.
        expect={p.DIRECTOR_A: 201, p.MEDIATOR_A: 403, **OFFICERS_403},
        default=404,
    ),
    ApiCase(
        "case_mediators_withdraw",
        "post",
        "/cases/{case_id}/mediators/{assignment_id}/withdrawal",
        with_two_mediators,
        lambda: {"reason": "与当事人系亲属，申请回避"},
        expect={p.MEDIATOR_A: 200, p.DIRECTOR_A: 200, **OFFICERS_403},
        default=404,
    ),
    ApiCase(
        "cases_duplicates",
        "post",
        "/cases/duplicates",
        body=lambda: {"values": ["13812345678"]},
        expect={name: 200 for name in REGISTRARS},
        default=403,
    ),
    ApiCase(
        "parties_appearances",
        "post",
        "/parties/appearances",
        body=lambda: {"values": ["13812345678"]},
        expect={name: 200 for name in REGISTRARS},
        default=403,
    ),
]
