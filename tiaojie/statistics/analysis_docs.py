"""The 分析研判报告 as DOCX (python-docx) and PDF (WeasyPrint, the charts embedded as data
URLs, nothing else fetched), and the background run that writes both with progress."""

from __future__ import annotations

import base64
import io
import logging
from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.shared import Cm, Pt
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from tiaojie.organisations.models import Organisation
from tiaojie.statistics import analysis, periods
from tiaojie.statistics.models import AnalysisReport

logger = logging.getLogger(__name__)
Status = AnalysisReport.Status
# The charts are inline data; nothing is ever fetched from the network or the disk.
ONLY_DATA = URLFetcher(allowed_protocols=("data",))


def title(org: Organisation, period: periods.Period) -> str:
    return _("%(organisation)s analysis of disputes and mediation, %(period)s") % {
        "organisation": org.name,
        "period": period.label,
    }


def build(
    org: Organisation, period: periods.Period, progress: Callable[[int], None]
) -> analysis.Analysis:
    figures = analysis.key_figures(org, period)
    progress(20)
    found = analysis.findings(org, period)
    progress(45)
    drawn = analysis.charts(org, period)
    progress(65)
    return analysis.Analysis(org, period, found, drawn, figures)


def to_docx(result: analysis.Analysis) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Noto Sans CJK SC"
    style.font.size = Pt(11)
    document.add_heading(title(result.organisation, result.period), level=1)
    table = document.add_table(rows=2, cols=len(result.figures))
    table.style = "Table Grid"
    for n, (label, value) in enumerate(result.figures):
        table.cell(0, n).text = label
        table.cell(1, n).text = value
    for finding in result.findings:
        document.add_heading(finding.title, level=2)
        document.add_paragraph(finding.text)
    document.add_heading(_("Charts"), level=2)
    for caption, png in result.charts:
        document.add_picture(io.BytesIO(png), width=Cm(16))
        document.add_paragraph(caption)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_pdf(result: analysis.Analysis) -> bytes:
    charts = [
        (caption, "data:image/png;base64," + base64.b64encode(png).decode())
        for caption, png in result.charts
    ]
    html = render_to_string(
        "statistics/analysis_pdf.html",
        {
            "title": title(result.organisation, result.period),
            "result": result,
            "charts": charts,
            "generated": timezone.localtime(),
        },
    )
    return HTML(string=html, url_fetcher=ONLY_DATA).write_pdf()  # type: ignore[no-any-return]


def run(report_id: int) -> None:
    """Write the analysis of a queued row, reporting progress on it."""
    claimed = AnalysisReport.objects.filter(pk=report_id, status=Status.QUEUED).update(
        status=Status.RUNNING, progress=5
    )
    if not claimed:
        return
    row = AnalysisReport.objects.select_related("organisation").get(pk=report_id)

    def progress(percent: int) -> None:
        AnalysisReport.objects.filter(pk=report_id).update(progress=max(5, min(percent, 99)))

    try:
        result = build(row.organisation, periods.parse(row.period), progress)
        docx = to_docx(result)
        progress(80)
        pdf = to_pdf(result)
    except Exception as exc:
        logger.exception("Writing the analysis %s failed", report_id)
        AnalysisReport.objects.filter(pk=report_id).update(
            status=Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return
    AnalysisReport.objects.filter(pk=report_id).update(
        status=Status.DONE,
        progress=100,
        findings=[{"title": f.title, "text": f.text} for f in result.findings],
        docx=docx,
        pdf=pdf,
        finished_at=timezone.now(),
    )
