"""The whole case file through the API (issue 9, item 10): start the render (the page's
background task), poll its status, download the PDF; scoped and audited as on the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.models import Case
from tiaojie.documents.models import CaseFileRender
from tiaojie.documents.tests.conftest import pdf_pages

CaptureCallbacks = Callable[..., Any]


def test_start_poll_and_download_the_whole_file(
    api_as: Callable[[str], Client],
    full: Case,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    client = api_as("demo_mediator")
    renders = f"/api/v1/cases/{full.pk}/file/renders"
    with django_capture_on_commit_callbacks(execute=False) as commit:
        started = client.post(renders)
    assert started.status_code == 202
    render = started.json()
    assert render["status"] == "queued" and render["download"] is None
    status_url = f"{renders}/{render['id']}"
    # Not rendered yet: the download says so.
    early = client.get(f"{status_url}/pdf")
    assert early.status_code == 409 and early.json()["code"] == "not_rendered"
    assert CaseFileRender.objects.get(pk=render["id"]).case_id == full.pk
    commit[0]()  # the commit enqueues the page's task; the suite's backend runs it at once
    polled = client.get(status_url).json()
    assert polled["status"] == "done" and polled["progress"] == 100 and polled["pages"] > 10
    assert polled["download"] == f"{status_url}/pdf"
    assert [r["id"] for r in client.get(renders).json()] == [render["id"]]
    pdf = client.get(polled["download"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert full.number in pdf_pages(pdf.content)[0]
    assert AuditEvent.objects.filter(
        event_type=EventType.DOCUMENT_GENERATED, object_id=str(full.pk)
    ).exists()


def test_a_render_with_identity_in_full_is_not_served_to_an_officer(
    api_as: Callable[[str], Client],
    full: Case,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        render = api_as("demo_mediator").post(f"/api/v1/cases/{full.pk}/file/renders").json()
    officer = api_as("demo_street")
    assert officer.get(f"/api/v1/cases/{full.pk}/file/renders/{render['id']}").status_code == 404
    assert officer.get(f"/api/v1/cases/{full.pk}/file/renders").json() == []
    # Another committee's mediator does not learn the case exists.
    other = api_as("demo_mediator_b").post(f"/api/v1/cases/{full.pk}/file/renders")
    assert other.status_code == 404
