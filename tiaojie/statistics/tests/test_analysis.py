"""The 分析研判报告: asked for on its page, written in the background (immediate in tests),
its progress and findings shown, the DOCX and PDF downloadable, with charts; another branch
of the tree does not find it."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from docx import Document
from pypdf import PdfReader

from conftest import World
from tiaojie.statistics import analysis, periods
from tiaojie.statistics.models import AnalysisReport
from tiaojie.statistics.tests import seed_totals

pytestmark = pytest.mark.django_db

DISTRICT = "东湖区司法局"


def test_written_in_the_background_with_findings_and_charts(
    world: World,
    client_as: Callable[[str], Client],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    committees = [world.org("东湖社区人民调解委员会"), world.org("梨园社区人民调解委员会")]
    seed_totals.add_beijing(committees)  # 2019: mediated disputes in every month
    district = world.org(DISTRICT)
    client = client_as("demo_district")
    page = client.get(
        "/statistics/analysis/", {"organisation": str(district.pk), "period": "2019-06"}
    )
    assert page.status_code == 200 and 'id="analysis-write"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the task runs after commit
        started = client.post(
            "/statistics/analysis/request/",
            {"organisation": str(district.pk), "period": "2019-06"},
            headers={"HX-Request": "true"},
        )
    job = AnalysisReport.objects.get()
    assert job.status == AnalysisReport.Status.DONE and job.progress == 100
    status = client.get(f"/statistics/analysis/{job.pk}/status/").content.decode()
    assert ('id="analysis-done"' in status and "环比" in status) or "上期" in status
    assert started.status_code == 200
    titles = [f["title"] for f in job.findings]
    assert len(titles) == 5
    pdf = client.get(f"/statistics/analysis/{job.pk}/file.pdf")
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "东湖区司法局" in text and "调解" in text
    assert sum(len(p.images) for p in reader.pages) >= 3  # the three charts
    docx = Document(io.BytesIO(client.get(f"/statistics/analysis/{job.pk}/file.docx").content))
    assert len(docx.inline_shapes) == 3
    assert any("东湖区司法局" in p.text for p in docx.paragraphs)
    # Another district's officer does not find it.
    other = client_as("demo_mediator_b")
    assert other.get(f"/statistics/analysis/{job.pk}/status/").status_code == 404


def test_month_on_month_and_year_on_year_in_words(world: World) -> None:
    seed_totals.add_beijing([world.org("东湖社区人民调解委员会")])
    found = analysis.findings(world.org(DISTRICT), periods.parse("2019-06"))
    overall = found[0].text
    assert "12,720" in overall  # 114,478 disputes over nine months: 12,720 in June
    assert "持平" in overall or "增长" in overall or "下降" in overall
    assert analysis.shifted(periods.parse("2019-Q1"), 3).code == "2018-Q4"
    assert analysis.previous(periods.parse("2019")).code == "2018"
