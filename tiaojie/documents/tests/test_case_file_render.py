"""The whole case file renders in the background, reporting progress on a status row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest import mock

from django.test import Client
from django.urls import reverse

from tiaojie.accounts.models import User
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.models import Case
from tiaojie.documents import services
from tiaojie.documents.models import CaseFileRender, RenderStatus
from tiaojie.documents.tests.conftest import pdf_pages

CaptureCallbacks = Callable[..., Any]


def test_the_render_goes_from_queued_to_done(
    mediator: User, full: Case, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        render = services.case_file_render_request(actor=mediator, case=full)
    render.refresh_from_db()
    assert (render.status, render.progress) == (RenderStatus.QUEUED, 0)
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: the immediate backend runs the task at once
    render.refresh_from_db()
    assert render.status == RenderStatus.DONE
    assert render.progress == 100
    assert render.pages and render.pages > 10
    assert render.file.startswith(f"case_files/{full.pk}/")
    assert render.full_identity  # a mediator may see the parties' identity


def test_a_second_click_reuses_the_render_under_way(
    mediator: User, full: Case, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        first = services.case_file_render_request(actor=mediator, case=full)
        second = services.case_file_render_request(actor=mediator, case=full)
    assert first.pk == second.pk


def test_a_failed_render_says_so(mediator: User, full: Case) -> None:
    render = CaseFileRender.objects.create(case=full, requested_by=mediator)
    with mock.patch("tiaojie.documents.pdf.lay_out", side_effect=OSError("disk full")):
        services.case_file_render_run(render_id=render.pk)
    render.refresh_from_db()
    assert render.status == RenderStatus.FAILED
    assert "disk full" in render.error
    services.case_file_render_run(render_id=render.pk)  # a finished render is not run again
    render.refresh_from_db()
    assert render.status == RenderStatus.FAILED


def test_the_page_starts_polls_and_serves_the_file(
    client_as: Callable[[str], Client],
    full: Case,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    client = client_as("demo_mediator")
    status_url = reverse("documents:case_file_status", kwargs={"pk": full.pk})
    assert "hx-trigger" not in client.get(status_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("documents:case_file_render", kwargs={"pk": full.pk}),
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
    html = client.get(status_url).content.decode()
    assert reverse("documents:case_file", kwargs={"pk": full.pk}) in html
    served = client.get(reverse("documents:case_file", kwargs={"pk": full.pk}))
    assert served["Content-Type"] == "application/pdf"
    pages = pdf_pages(served.content)
    assert full.number in pages[0]
    assert AuditEvent.objects.filter(
        event_type=EventType.DOCUMENT_GENERATED, object_id=str(full.pk), after__kind="case_file"
    ).exists()


def test_a_render_in_progress_is_polled(
    client_as: Callable[[str], Client], mediator: User, full: Case
) -> None:
    CaseFileRender.objects.create(
        case=full,
        requested_by=mediator,
        full_identity=True,
        status=RenderStatus.RUNNING,
        progress=40,
    )
    html = (
        client_as("demo_mediator")
        .get(reverse("documents:case_file_status", kwargs={"pk": full.pk}))
        .content.decode()
    )
    assert 'hx-trigger="every 2s"' in html
    assert 'value="40"' in html


def test_a_file_with_identity_in_full_is_not_served_to_who_may_not_see_it(
    client_as: Callable[[str], Client],
    mediator: User,
    full: Case,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.case_file_render_request(actor=mediator, case=full)
    url = reverse("documents:case_file", kwargs={"pk": full.pk})
    assert client_as("demo_mediator").get(url).status_code == 200
    assert client_as("demo_district").get(url).status_code == 404
