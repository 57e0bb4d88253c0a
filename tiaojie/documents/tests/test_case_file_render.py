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


def _rendered(actor: User, case: Case, callbacks: Callable[..., Any]) -> CaseFileRender:
    """Click, and let the worker run the render at the commit."""
    with callbacks(execute=True):
        render = services.case_file_render_request(actor=actor, case=case)
    render.refresh_from_db()
    assert render.status == RenderStatus.DONE, render.error
    return render


def test_an_unchanged_file_is_not_laid_out_again_and_a_changed_one_is(
    client_as: Callable[[str], Client],
    mediator: User,
    full: Case,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    """A reviewer, an archivist and the mediator open the same finished file: the second
    render of it takes the stored file, and the page says since when nothing has changed.
    A change to anything the file prints lays it out anew."""
    from django.core.files.storage import default_storage

    first = _rendered(mediator, full, django_capture_on_commit_callbacks)
    assert not first.reused and first.fingerprint
    name, stored = first.file, default_storage.open(first.file).read()
    # Were it laid out again, the render would fail.
    with mock.patch("tiaojie.documents.pdf.lay_out", side_effect=AssertionError("laid out")):
        second = _rendered(mediator, full, django_capture_on_commit_callbacks)
    assert second.reused and second.file == name
    assert (second.pages, second.laid_out_at) == (first.pages, first.laid_out_at)
    first.refresh_from_db()
    assert first.file == ""  # one stored file per case and kind, held by the newest render
    served = client_as("demo_mediator").get(reverse("documents:case_file", kwargs={"pk": full.pk}))
    assert served.content == stored
    status = client_as("demo_mediator").get(
        reverse("documents:case_file_status", kwargs={"pk": full.pk})
    )
    assert 'data-reused="true"' in status.content.decode()

    Case.objects.filter(pk=full.pk).update(narrative="双方就漏水赔偿重新陈述了事实。")
    third = _rendered(mediator, full, django_capture_on_commit_callbacks)
    assert not third.reused and third.file != name
    assert third.fingerprint != first.fingerprint
    assert not default_storage.exists(name)  # the older file, no longer held, is gone
    assert "重新陈述" in "".join(pdf_pages(default_storage.open(third.file).read()))


def test_the_fingerprint_covers_the_content_the_identity_and_the_language(
    full: Case,
) -> None:
    from django.utils import translation

    from tiaojie.documents import pdf
    from tiaojie.documents.context import CaseFacts

    def printed(*, full_identity: bool = False, language: str = "zh-hans") -> str:
        with translation.override(language):
            plan = pdf.plan_case_file(CaseFacts(full), full_identity=full_identity)
            return pdf.fingerprint(plan)

    masked = printed()
    assert len(masked) == 64 and printed() == masked
    assert printed(full_identity=True) != masked
    assert printed(language="en") != masked
    Case.objects.filter(pk=full.pk).update(narrative="另一段事实。")
    full.refresh_from_db()
    assert printed() != masked


def test_a_font_installed_or_upgraded_changes_the_layout_and_so_every_fingerprint() -> None:
    """A deployment that installs the fallback font a rare character in a name needed (it
    printed as a box before) must lay the files out again, not serve the boxes."""
    from tiaojie.core import fonts
    from tiaojie.documents import pdf

    installed = fonts.font_files()
    assert installed
    without_fallback = [line for line in installed if "HanaMinB" not in line]
    assert without_fallback != installed
    upgraded = [line.rsplit("\t", 1)[0] + "\t1" for line in installed]
    layout = pdf.layout_digest(pdf.TEMPLATES, installed)
    assert pdf.layout_digest(pdf.TEMPLATES, list(installed)) == layout
    assert pdf.layout_digest(pdf.TEMPLATES, without_fallback) != layout
    assert pdf.layout_digest(pdf.TEMPLATES, upgraded) != layout
    assert pdf._layout_version() == layout


def test_no_printed_document_prints_the_day_it_is_laid_out() -> None:
    """Every date a document prints comes from the plan (the case's data): a date taken at
    layout time would not change the fingerprint, and a reused file would print an old one."""
    from tiaojie.documents import pdf

    templates = list(pdf.TEMPLATES.rglob("*.html"))
    assert len(templates) > 10
    for template in templates:
        assert "{% now" not in template.read_text(encoding="utf-8"), template.name
