"""API: one generated document of a case, as PDF or DOCX (the same service as the pages)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.params import functions as params

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.cases.rules import case_policy
from tiaojie.core.api import ERRORS, MAX_INT
from tiaojie.documents import services
from tiaojie.documents.kinds import CONTENT_TYPES, Format, Kind
from tiaojie.documents.views import send

router = Router(tags=["documents"])

BINARY = {"schema": {"type": "string", "format": "binary"}}
# ``format`` in the query; the parameter is named otherwise so as not to shadow the builtin.
# A plain string enum in the schema (a TextChoices default there became ``allOf``, which
# generated clients turned into an empty model).
FormatCode = Literal["pdf", "docx"]
FORMAT_PARAM = params.Query("pdf", alias="format", description="pdf (default) or docx")


@router.get(
    "/cases/{id:case_id}/documents/{kind}",
    response={200: None, **ERRORS},
    operation_id="case_documents_read",
    openapi_extra={
        "responses": {
            200: {
                "description": "The document, filled from the case data now.",
                "content": {CONTENT_TYPES[fmt]: BINARY for fmt in Format},
            }
        }
    },
)
def case_documents_read(
    request: HttpRequest,
    case_id: int,
    kind: Kind,
    format_: FormatCode = FORMAT_PARAM,
    record: int | None = params.Query(None, ge=1, le=MAX_INT),
) -> HttpResponse:
    """One document of the case (``kind`` as in docs/documents.md). For one-per-record kinds
    (investigation, mediation_record, follow_up, confirmation_application) give ``record``; an
    agreement defaults to the current one. ID numbers are masked as on the pages. Recorded in
    the audit trail."""
    actor: User = request.user  # type: ignore[assignment]
    case = case_policy.get_or_404(actor, Capability.CASE_CONTENT, pk=case_id)
    fmt = Format(format_)
    generated = services.document_generate(
        actor=actor, case=case, kind=kind, fmt=fmt, record_id=record
    )
    return send(generated, inline=fmt == Format.PDF)
