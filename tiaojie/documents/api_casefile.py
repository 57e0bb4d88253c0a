"""The whole case file (卷宗) through the API (issue 9, item 10): start a render, poll it,
download the PDF. The same service and background task as the documents page
(``services.case_file_render_request`` → ``tasks.render_case_file``); a render made with the
parties' identity in full is neither shown nor served to a reader who may not see it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Status

from tiaojie.accounts.roles import Capability
from tiaojie.cases.models import Case
from tiaojie.cases.rules import case_policy
from tiaojie.core.api import ERRORS, ErrorOut, caller
from tiaojie.documents import services
from tiaojie.documents.api import BINARY, router
from tiaojie.documents.kinds import CONTENT_TYPES, Format
from tiaojie.documents.models import CaseFileRender, RenderStatus
from tiaojie.documents.schemas_casefile import CaseFileRenderOut
from tiaojie.documents.views import send

# On the documents router (``config/api.py`` imports this module).


def _case(request: HttpRequest, case_id: int) -> Case:
    return case_policy.get_or_404(caller(request), Capability.CASE_CONTENT, pk=case_id)


def _render(request: HttpRequest, case_id: int, render_id: int) -> CaseFileRender:
    """A render of this case the caller may receive; 404 alike for another case's, one with
    identity in full for a reader without the right, or none."""
    actor = caller(request)
    renders = CaseFileRender.objects.filter(case=_case(request, case_id))
    if not actor.can(Capability.PERSONAL_DATA):
        renders = renders.filter(full_identity=False)
    return get_object_or_404(renders.select_related("case"), pk=render_id)


def render_out(render: CaseFileRender) -> dict[str, Any]:
    return {
        "id": render.pk,
        "status": render.status,
        "progress": render.progress,
        "pages": render.pages,
        "full_identity": render.full_identity,
        "created_at": render.created_at,
        "finished_at": render.finished_at,
        "laid_out_at": render.laid_out_at,
        "reused": render.reused,
        "download": (
            f"/api/v1/cases/{render.case_id}/file/renders/{render.pk}/pdf"
            if render.status == "done" and render.file
            else None
        ),
        "message": render.error if render.status == RenderStatus.STOPPED else None,
    }


@router.post(
    "/cases/{id:case_id}/file/renders",
    response={202: CaseFileRenderOut, **ERRORS},
    operation_id="case_file_renders_create",
)
def case_file_renders_create(request: HttpRequest, case_id: int) -> Status[dict[str, Any]]:
    """Start rendering the whole case file as one PDF in the background (a render already
    under way is reused). Poll ``GET …/file/renders/{id}`` until ``status`` is ``done``."""
    render = services.case_file_render_request(actor=caller(request), case=_case(request, case_id))
    render.refresh_from_db()  # the task may have run already (at once in tests)
    return Status(202, render_out(render))


@router.get(
    "/cases/{id:case_id}/file/renders",
    response={200: list[CaseFileRenderOut], **ERRORS},
    operation_id="case_file_renders_list",
)
def case_file_renders_list(request: HttpRequest, case_id: int) -> Any:
    """The case's recent renders the caller may receive, newest first."""
    case = _case(request, case_id)
    return [render_out(render) for render in services.renders_for(caller(request), case)]


@router.get(
    "/cases/{id:case_id}/file/renders/{id:render_id}",
    response={200: CaseFileRenderOut, **ERRORS},
    operation_id="case_file_renders_read",
)
def case_file_renders_read(request: HttpRequest, case_id: int, render_id: int) -> Any:
    """A render's status and progress (``queued``, ``running``, ``done``, ``failed``,
    ``stopped`` at its time or memory limit, with the ``message`` to show)."""
    return render_out(_render(request, case_id, render_id))


@router.get(
    "/cases/{id:case_id}/file/renders/{id:render_id}/pdf",
    response={200: None, 409: ErrorOut, **ERRORS},
    operation_id="case_file_renders_download",
    openapi_extra={
        "responses": {
            200: {
                "description": "The whole case file as one PDF.",
                "content": {CONTENT_TYPES[Format.PDF]: BINARY},
            }
        }
    },
)
def case_file_renders_download(request: HttpRequest, case_id: int, render_id: int) -> HttpResponse:
    """The rendered PDF; 409 ``not_rendered`` while it is not done. Recorded in the audit trail
    as on the page."""
    render = _render(request, case_id, render_id)
    return send(services.case_file_read(actor=caller(request), render=render), inline=True)
