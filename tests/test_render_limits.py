"""A report's PDF stopped at its limit in a page that does not answer it itself: the user is
sent back with the reason and the stop is audited, never a 500 (issue 16, hole 6)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest import mock

from django.test import Client, override_settings
from django.urls import reverse

from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent


def _endless(*args: Any, **kwargs: Any) -> Any:
    while True:
        pass


def test_a_statistics_pdf_that_takes_too_long_sends_the_user_back_with_the_reason(
    client_as: Callable[[str], Client],
) -> None:
    client = client_as("demo_mediator")
    report = reverse("statistics:report")
    with (
        override_settings(TIAOJIE_RENDER_TIMEOUT_SECONDS=1),
        mock.patch("tiaojie.core.printing._write", _endless),
    ):
        response = client.get(
            reverse("statistics:report_export", kwargs={"fmt": "pdf"}),
            headers={"referer": f"http://testserver{report}"},
        )
    assert response.status_code == 302
    assert response["Location"] == f"http://testserver{report}"
    page = client.get(report).content.decode()
    assert "统计报表生成超时（超过 1 秒），已停止。请缩短内容后重试。" in page
    event = AuditEvent.objects.get(event_type=EventType.DOCUMENT_RENDER_STOPPED)
    assert event.after == {"page": "statistics:report_export", "limit": "time"}
    assert event.actor_name  # who asked, for the security administrator
    served = client.get(reverse("statistics:report_export", kwargs={"fmt": "pdf"}))
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"


@override_settings(TIAOJIE_RENDER_TIMEOUT_SECONDS=1)
def test_without_a_page_to_go_back_to_the_user_lands_on_the_home_page(
    client_as: Callable[[str], Client],
) -> None:
    with mock.patch("tiaojie.core.printing._write", _endless):
        response = client_as("demo_mediator").get(
            reverse("statistics:report_export", kwargs={"fmt": "pdf"}),
            headers={"referer": "https://elsewhere.example/"},
        )
    assert response.status_code == 302
    assert response["Location"] == "/"
