"""Background work of statistics: thin, by id."""

from __future__ import annotations

from django_tasks import task

from tiaojie.statistics import analysis_docs


@task()
def write_analysis(report_id: int) -> None:
    """Write the 分析研判报告 of a queued ``AnalysisReport`` (DOCX and PDF)."""
    analysis_docs.run(report_id)
