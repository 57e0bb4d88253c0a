"""A document whose layout runs away is stopped at its limit: the user reads why, the stop is in
the audit trail, and the process that served the request (or ran the task) carries on and
renders the next document (issue 16, hole 6). Before, the layout ran in the request itself:
these renderers would have hung the test or grown it by gigabytes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest import mock

from django.test import Client, override_settings
from django.urls import reverse

from tiaojie.accounts.models import User
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.models import Case
from tiaojie.documents import services
from tiaojie.documents.models import CaseFileRender, RenderStatus
from tiaojie.documents.tests.conftest import pdf_pages

TIME_MESSAGE = "文书生成超时（超过 1 秒），已停止。请缩短内容后重试。"


def _endless(*args: Any, **kwargs: Any) -> Any:
    """A layout that never ends (the 1 MB narrative that took a minute, made endless)."""
    while True:
        pass


def _greedy(*args: Any, **kwargs: Any) -> Any:
    """A layout that grows without bound (the 10,000 parties that took 6.5 GB)."""
    return bytes(4 * 1024 * 1024 * 1024)


def _download(case: Case, kind: str, fmt: str = "pdf") -> str:
    return reverse("documents:document_download", kwargs={"pk": case.pk, "kind": kind, "fmt": fmt})


def _stops(case: Case) -> list[dict[str, Any] | None]:
    return [
        event.after
        for event in AuditEvent.objects.filter(
            event_type=EventType.DOCUMENT_RENDER_STOPPED, object_id=str(case.pk)
        )
    ]


def test_a_document_that_takes_too_long_is_stopped_and_the_page_says_why(
    client_as: Callable[[str], Client], full: Case
) -> None:
    client = client_as("demo_mediator")
    with (
        override_settings(TIAOJIE_RENDER_TIMEOUT_SECONDS=1),
        mock.patch("tiaojie.documents.pdf.render", _endless),
    ):
        response = client.get(_download(full, "agreement"))
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:case_documents", kwargs={"pk": full.pk})
    page = client.get(response["Location"]).content.decode()
    assert TIME_MESSAGE in page
    assert _stops(full) == [{"kind": "agreement", "format": "pdf", "record": None, "limit": "time"}]
    # The same process serves the next document as before.
    again = client.get(_download(full, "agreement"))
    assert again.status_code == 200
    assert full.number in "".join(pdf_pages(again.content))


def test_a_document_that_needs_too_much_memory_is_a_422_in_the_api(
    api_as: Callable[[str], Client], full: Case
) -> None:
    api = api_as("demo_mediator")
    with (
        override_settings(TIAOJIE_RENDER_MEMORY_MB=64),
        mock.patch("tiaojie.documents.docx.fill", _greedy),
    ):
        response = api.get(f"/api/v1/cases/{full.pk}/documents/agreement?format=docx")
    assert response.status_code == 422, response.content
    body = response.json()
    assert body == {
        "code": "render_memory",
        "message": "文书生成超出内存限制（64 MB），已停止。请缩短内容后重试。",
    }
    assert _stops(full) == [
        {"kind": "agreement", "format": "docx", "record": None, "limit": "memory"}
    ]
    assert api.get(f"/api/v1/cases/{full.pk}/documents/agreement").status_code == 200


@override_settings(TIAOJIE_RENDER_MEMORY_MB=1, TIAOJIE_CASE_FILE_TIMEOUT_SECONDS=30)
def test_the_real_layout_is_held_to_its_limits(mediator: User, full: Case) -> None:
    """No stand-in renderer: WeasyPrint itself lays out the whole case file (some 200 MB),
    allowed one megabyte more address space than the worker had when it forked. It is stopped,
    never finished and never the worker's end.

    Which limit stops it depends on where the allocation fails: mostly the memory limit, but a
    layout starved inside the font libraries may wait instead of failing, and then the time
    limit ends it. (A single agreement is no test: a child first reuses memory its parent had
    freed, since ``RLIMIT_AS`` counts address space, and a suite worker has enough of that for
    two pages.)"""
    render = CaseFileRender.objects.create(case=full, requested_by=mediator, full_identity=True)
    services.case_file_render_run(render_id=render.pk)
    render.refresh_from_db()
    assert render.status == RenderStatus.STOPPED
    assert "超出内存限制（1 MB）" in render.error or "超时（超过 30 秒）" in render.error
    stops = _stops(full)
    assert len(stops) == 1 and stops[0] is not None
    assert stops[0]["kind"] == "case_file" and stops[0]["limit"] in {"memory", "time"}


def test_a_case_file_that_takes_too_long_is_stopped_in_the_worker_and_the_page_says_why(
    client_as: Callable[[str], Client],
    api_as: Callable[[str], Client],
    mediator: User,
    full: Case,
) -> None:
    render = CaseFileRender.objects.create(case=full, requested_by=mediator, full_identity=True)
    with (
        override_settings(TIAOJIE_CASE_FILE_TIMEOUT_SECONDS=1),
        mock.patch("tiaojie.documents.pdf.lay_out", _endless),
    ):
        services.case_file_render_run(render_id=render.pk)
    render.refresh_from_db()
    assert render.status == RenderStatus.STOPPED
    assert render.finished
    message = "卷宗生成超时（超过 1 秒），已停止。请缩短内容后重试。"
    assert render.error == message
    status = client_as("demo_mediator").get(
        reverse("documents:case_file_status", kwargs={"pk": full.pk})
    )
    html = status.content.decode()
    assert message in html
    assert "hx-trigger" not in html  # no more polling; the button to try again is there
    assert reverse("documents:case_file_render", kwargs={"pk": full.pk}) in html
    polled = api_as("demo_mediator").get(f"/api/v1/cases/{full.pk}/file/renders/{render.pk}")
    assert (polled.json()["status"], polled.json()["message"]) == ("stopped", message)
    assert _stops(full) == [{"kind": "case_file", "format": "pdf", "limit": "time"}]
    # The worker carries on with the next render.
    second = CaseFileRender.objects.create(case=full, requested_by=mediator, full_identity=True)
    services.case_file_render_run(render_id=second.pk)
    second.refresh_from_db()
    assert second.status == RenderStatus.DONE
    assert second.pages and second.pages > 10
