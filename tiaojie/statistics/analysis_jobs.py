"""Asking for a 分析研判报告: one row per request, written by the background task."""

from __future__ import annotations

from django.db import transaction

from tiaojie.accounts.models import User
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.organisations.models import Organisation
from tiaojie.statistics import periods
from tiaojie.statistics.models import AnalysisReport
from tiaojie.statistics.tasks import write_analysis

Status = AnalysisReport.Status


@transaction.atomic
def request(*, actor: User, organisation: Organisation, period: periods.Period) -> AnalysisReport:
    """Queue the writing of the analysis (one under way per organisation and period is reused)."""
    pending = AnalysisReport.objects.filter(
        organisation=organisation, period=period.code, status__in=[Status.QUEUED, Status.RUNNING]
    ).first()
    if pending is not None:
        return pending
    row = AnalysisReport.objects.create(
        organisation=organisation,
        org_path=organisation.path,
        period=period.code,
        requested_by=actor,
    )
    audit.record(
        EventType.STAT_ANALYSIS_REQUESTED,
        actor=actor,
        organisation=organisation,
        obj=row,
        after={"period": period.code},
    )
    transaction.on_commit(lambda: write_analysis.enqueue(row.pk))
    return row
