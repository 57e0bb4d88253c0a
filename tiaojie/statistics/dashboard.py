"""The figures of the dashboard and the command-centre screen, from the cells (trend, mix,
ranking, rates) and a few live counts (today's intake, open cases; overdue time limits and
supervised cases read through the ``deadlines`` and ``supervision`` selectors, same layer)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tiaojie.accounts.models import User
from tiaojie.cases.models import Case
from tiaojie.deadlines import selectors as deadline_selectors
from tiaojie.deadlines.models import AlertLevel
from tiaojie.organisations.models import Organisation
from tiaojie.statistics import periods, report
from tiaojie.statistics.choices import BY_TYPE, Indicator
from tiaojie.statistics.models import CaseFact, LevelCell
from tiaojie.supervision.selectors import supervisions_for


def _drill(org: Organisation, period: str, indicator: str, key: str = "", *, base: str = "") -> str:
    """The list of cases behind a figure (``base``: the list's URL, reversed once by a caller
    that makes many links: a trend has 48)."""
    query = {"organisation": org.pk, "period": period, "indicator": indicator}
    if key:
        query["key"] = key
    return f"{base or reverse('statistics:figure_cases')}?{urlencode(query)}"


def _n(value: Decimal | None) -> float:
    return float(value or 0)


def trend(org: Organisation, months: list[dt.date]) -> dict[str, Any]:
    """Accepted, mediated and successful per month (one query)."""
    wanted = [Indicator.ACCEPTED, Indicator.MEDIATED, Indicator.SUCCESS, Indicator.PERFORMED]
    rows = (
        LevelCell.objects.filter(
            organisation=org,
            period__gte=months[0],
            period__lte=months[-1],
            indicator__in=wanted,
            key="",
        )
        .values("period", "indicator")
        .annotate(total=Sum("value"))
    )
    table = {(r["period"], r["indicator"]): _n(r["total"]) for r in rows}
    base = reverse("statistics:figure_cases")
    return {
        "months": [f"{m:%Y-%m}" for m in months],
        "series": {str(i): [table.get((m, i), 0.0) for m in months] for i in wanted},
        "urls": {str(i): [_drill(org, f"{m:%Y-%m}", i, base=base) for m in months] for i in wanted},
    }


def type_mix(org: Organisation, period: periods.Period) -> list[dict[str, Any]]:
    """Mediated cases by dispute-type column, largest first."""
    names = dict(report.type_columns(period))
    rows = (
        LevelCell.objects.filter(
            organisation=org,
            period__gte=period.first,
            period__lte=period.last,
            indicator=Indicator.MEDIATED,
            key__startswith=f"{BY_TYPE}:",
        )
        .values("key")
        .annotate(total=Sum("value"))
        .order_by("-total")
    )
    base = reverse("statistics:figure_cases")
    return [
        {
            "name": names.get(r["key"].split(":", 1)[1], r["key"]),
            "value": _n(r["total"]),
            "url": _drill(org, period.code, Indicator.MEDIATED, r["key"], base=base),
        }
        for r in rows
        if r["total"]
    ]


def ranking(org: Organisation, period: periods.Period) -> list[dict[str, Any]]:
    """The sub-organisations by cases mediated, with their success and performance rates."""
    built = report.build(org, period)
    out = []
    for row in built.rows:
        if row.organisation is None:
            continue
        mediated = row.values.get((Indicator.MEDIATED, ""), Decimal(0))
        success = row.values.get((Indicator.SUCCESS, ""), Decimal(0))
        performed = row.values.get((Indicator.PERFORMED, ""), Decimal(0))
        out.append(
            {
                "name": row.label,
                "mediated": _n(mediated),
                "success_rate": _n(report.rate(success, mediated)),
                "performance_rate": _n(report.rate(performed, success)),
                "url": f"{reverse('statistics:dashboard')}?"
                + urlencode({"organisation": row.organisation.pk, "period": period.code}),
            }
        )
    return sorted(out, key=lambda item: -item["mediated"])


def live_counts(org: Organisation, user: User) -> dict[str, Any]:
    """Today's intake, open cases, the overdue time limits and the open supervised cases
    (挂牌督办) of the subtree, as ``user`` may see them: overdue as the deadlines list counts
    it (every time limit past due, kept by ``deadlines``), supervised as the supervision list
    of the area (``supervision``), each narrowed to ``org``'s subtree."""
    today = timezone.localdate()
    open_cases = Case.objects.filter(committee_path__startswith=org.path).open()
    overdue = deadline_selectors.deadline_items(
        user, level=AlertLevel.OVERDUE, organisation=org, limit=0
    ).total
    supervised = supervisions_for(user, state="open", scope="area").filter(
        case__committee_path__startswith=org.path
    )
    return {
        "today": CaseFact.objects.filter(
            org_path__startswith=org.path, registered_on=today
        ).count(),
        "open": open_cases.count(),
        "overdue": overdue,
        "supervised": supervised.count(),
        "supervised_overdue": supervised.filter(deadline__lt=today).count(),
        "complex_open": open_cases.filter(is_complex=True).count(),
        "group_open": open_cases.filter(is_group=True).count(),
        "urls": {
            "overdue": f"{reverse('deadlines:deadline_list')}?"
            + urlencode({"level": AlertLevel.OVERDUE, "organisation": org.pk}),
            "supervised": f"{reverse('supervision:supervision_list')}?state=open&scope=area",
            "supervised_overdue": f"{reverse('supervision:supervision_list')}?"
            "state=overdue&scope=area",
        },
    }


def last_twelve_months(today: dt.date) -> list[dt.date]:
    first = today.replace(day=1)
    out = []
    for back in range(11, -1, -1):
        index = first.year * 12 + first.month - 1 - back
        out.append(dt.date(index // 12, index % 12 + 1, 1))
    return out


def data(org: Organisation, period: periods.Period) -> dict[str, Any]:
    """Everything the dashboard draws, as JSON-ready values."""
    figures = report.figures(org, period)
    mediated = figures.get((Indicator.MEDIATED, ""), Decimal(0))
    success = figures.get((Indicator.SUCCESS, ""), Decimal(0))
    performed = figures.get((Indicator.PERFORMED, ""), Decimal(0))
    return {
        "organisation": org.name,
        "period": period.code,
        "totals": {
            "accepted": _n(figures.get((Indicator.ACCEPTED, ""))),
            "mediated": _n(mediated),
            "success": _n(success),
            "success_rate": _n(report.rate(success, mediated)),
            "performance_rate": _n(report.rate(performed, success)),
            "amount": _n(figures.get((Indicator.AMOUNT, ""))),
        },
        "trend": trend(org, last_twelve_months(min(period.end, timezone.localdate()))),
        "types": type_mix(org, period),
        "ranking": ranking(org, period),
    }


def screen(org: Organisation, period: periods.Period, user: User) -> dict[str, Any]:
    """What the command-centre wall shows, as one JSON-ready answer: the live counts, the
    period's figures and charts, and when they were read. The screen polls this (and the API
    offers it) so the figures change in place without reloading the page."""
    now = timezone.localtime()
    live = live_counts(org, user)
    return {
        "organisation": {"id": org.pk, "name": org.name},
        "period": period.code,
        "updated_at": now,
        # Seconds matter on a wall that refreshes every half minute.
        "updated_label": _("Updated %(at)s")
        % {"at": f"{date_format(now, 'DATE_FORMAT')} {now:%H:%M:%S}"},
        "live": {k: v for k, v in live.items() if k != "urls"},
        "data": data(org, period),
    }
