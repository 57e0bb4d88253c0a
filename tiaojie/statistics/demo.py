"""The statistics demo (after the demo cases): the figures rebuilt from the cases, and last
month's reports filed bottom-up under 东湖区司法局 (every committee and office below, since a
level files only after all below it have) and approved at three levels: the committees by
their justice office, the offices by the district, the district by the city. Committees
without an account of their own are filed for by the officers above (代报). The district's
分析研判报告 of this year is written too. Running it again adds nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.organisations.choices import OrganisationStatus
from tiaojie.organisations.models import Organisation
from tiaojie.statistics import analysis_docs, analysis_jobs, filing, periods, report, rollup
from tiaojie.statistics.choices import ReportStatus as S
from tiaojie.statistics.models import StatReport

DISTRICT = "东湖区司法局"


def _filer(org: Organisation) -> User | None:
    """Its own director or officer, else an officer of the nearest level above (代报)."""
    own = User.objects.filter(organisation=org, role__in=filing.FILERS, is_active=True).order_by(
        "pk"
    )
    if own.exists():
        return own.first()
    for ancestor in reversed(list(Organisation.objects.ancestors_of(org))):
        officer = (
            User.objects.filter(organisation=ancestor, role__in=filing.CHECKERS, is_active=True)
            .order_by("pk")
            .first()
        )
        if officer is not None:
            return officer
    return None


def _checker(org: Organisation) -> User | None:
    if org.parent_id is None:
        return None
    return (
        User.objects.filter(organisation_id=org.parent_id, role__in=filing.CHECKERS, is_active=True)
        .order_by("pk")
        .first()
    )


def file_up(org: Organisation, period: periods.Period) -> int:
    """File ``org``'s report after everything below it, and have the level above approve it
    where it has officers. Returns how many reports were approved now."""
    approved = 0
    for child in report.row_organisations(org):
        if child.status == OrganisationStatus.ACTIVE:
            approved += file_up(child, period)
    row = filing.report_for(org, period)
    filer, checker = _filer(org), _checker(org)
    if row.status in (S.DRAFT, S.RETURNED, S.REOPENED) and filer is not None:
        nil = filing.is_empty(filing.figures_now(row))
        row = filing.report_transition(actor=filer, report_row=row, action="file", nil=nil)
    if row.status == S.FILED and checker is not None:
        filing.report_transition(actor=checker, report_row=row, action="approve")
        approved += 1
    return approved


@transaction.atomic
def seed_statistics_demo() -> int:
    """Rebuild the figures; file and approve last month's reports under the district. Returns
    how many reports it approved (none the second time)."""
    rollup.rebuild()
    first = timezone.localdate().replace(day=1)
    period = periods.month_of(first - dt.timedelta(days=1))
    district = Organisation.objects.filter(name=DISTRICT).first()
    if (
        district is None
        or StatReport.objects.filter(
            organisation=district, period=period.code, status=S.APPROVED
        ).exists()
    ):
        return 0
    approved = file_up(district, period)
    write_demo_analysis(district)
    return approved


def write_demo_analysis(district: Organisation) -> None:
    """This year's 分析研判报告 of the district, written now (the queued task then finds it
    done and does nothing), so the demo shows one without waiting for the worker."""
    officer = User.objects.filter(organisation=district, role__in=filing.CHECKERS).first()
    if officer is None:
        return
    year = periods.parse(str(timezone.localdate().year))
    row = analysis_jobs.request(actor=officer, organisation=district, period=year)
    analysis_docs.run(row.pk)
