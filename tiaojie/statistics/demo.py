"""The statistics demo (after the demo cases): the figures rebuilt from the cases, and last
month's reports filed and approved at three levels (committee → street → district), the
district's filed and approved by the city. Running it again adds nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.organisations.models import Organisation
from tiaojie.statistics import filing, periods, rollup
from tiaojie.statistics.choices import ReportStatus as S

# (organisation, who files, who approves), bottom up.
CHAIN = [
    ("东湖社区人民调解委员会", "demo_director", "demo_street"),
    ("东湖街道司法所", "demo_street", "demo_district"),
    ("东湖区司法局", "demo_district", "demo_city"),
]


@transaction.atomic
def seed_statistics_demo() -> int:
    """Rebuild the figures; file and approve last month's reports up the chain. Returns how
    many reports it approved."""
    rollup.rebuild()
    first = timezone.localdate().replace(day=1)
    period = periods.month_of(first - dt.timedelta(days=1))
    approved = 0
    for org_name, filer_name, checker_name in CHAIN:
        org = Organisation.objects.filter(name=org_name).first()
        filer = User.objects.filter(username=filer_name).first()
        checker = User.objects.filter(username=checker_name).first()
        if org is None or filer is None or checker is None:
            continue
        row = filing.report_for(org, period)
        if row.status == S.APPROVED:
            continue
        if row.status in (S.DRAFT, S.RETURNED, S.REOPENED):
            nil = filing.is_empty(filing.figures_now(row))
            row = filing.report_transition(actor=filer, report_row=row, action="file", nil=nil)
        row = filing.report_transition(actor=checker, report_row=row, action="approve")
        approved += 1
    return approved
