"""The figures of the dashboard and the command-centre screen, from the level cells (totals,
rates, trend, mix, ranking; the open cases from their stock cells) and a few live counts
(today's intake from the case facts; overdue time limits and supervised cases read through
the ``deadlines`` and ``supervision`` selectors, same layer)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import BooleanField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tiaojie.accounts.models import User
from tiaojie.cases.models import DisputeType
from tiaojie.deadlines import selectors as deadline_selectors
from tiaojie.deadlines.models import AlertLevel
from tiaojie.organisations.models import Organisation
from tiaojie.statistics import periods, report
from tiaojie.statistics.choices import (
    BY_TYPE,
    OPEN_COMPLEX,
    OPEN_GROUP,
    STOCK_PERIOD,
    Indicator,
)
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
    """Mediated cases by dispute-type column, largest first, in one statement: the cells of
    the subtree's level row, each named in SQL by the dictionary entry valid in the period
    that ``report.type_columns`` names its column by (the entry whose code is the column's,
    else the first in the dictionary's order), so an older period keeps its categories. A
    column the period's dictionary does not know shows its key."""
    code = Substr(OuterRef("key"), len(BY_TYPE) + 2)
    label = (
        DisputeType.objects.filter(statistics_code=code, valid_from__lte=period.end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.first))
        .annotate(own=ExpressionWrapper(Q(code=F("statistics_code")), BooleanField()))
        .order_by("-own", "sort_order", "code")
        .values("name")[:1]
    )
    rows = (
        LevelCell.objects.filter(
            organisation=org,
            period__gte=period.first,
            period__lte=period.last,
            indicator=Indicator.MEDIATED,
            key__startswith=f"{BY_TYPE}:",
        )
        .values("key")
        .annotate(total=Sum("value"), name=Subquery(label))
        .exclude(total=0)
        .order_by("-total", "key")
    )
    base = reverse("statistics:figure_cases")
    return [
        {
            "name": r["name"] or r["key"],
            "value": _n(r["total"]),
            "url": _drill(org, period.code, Indicator.MEDIATED, r["key"], base=base),
        }
        for r in rows
    ]


def totals(org: Organisation, period: periods.Period) -> dict[str, float]:
    """The dashboard's headline figures and rates for the period, from the organisation's
    level cells in one statement (each figure a filtered sum over the months)."""
    wanted = {
        "accepted": Indicator.ACCEPTED,
        "mediated": Indicator.MEDIATED,
        "success": Indicator.SUCCESS,
        "performed": Indicator.PERFORMED,
        "amount": Indicator.AMOUNT,
    }
    sums = LevelCell.objects.filter(
        organisation=org,
        period__gte=period.first,
        period__lte=period.last,
        indicator__in=list(wanted.values()),
        key="",
    ).aggregate(**{name: Sum("value", filter=Q(indicator=code)) for name, code in wanted.items()})
    return {
        "accepted": _n(sums["accepted"]),
        "mediated": _n(sums["mediated"]),
        "success": _n(sums["success"]),
        "success_rate": _n(report.rate(sums["success"], sums["mediated"])),
        "performance_rate": _n(report.rate(sums["performed"], sums["success"])),
        "amount": _n(sums["amount"]),
    }


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


def case_counts(org: Organisation) -> dict[str, int]:
    """The live counts of the subtree's cases, as they are now (ADR 0055): today's intake
    (the case facts registered today, by their day-and-path index) and the open cases, open
    complex and open group disputes (the subtree's stock cells, kept by the roll-ups after
    every move of a case). Two statements, each reading a handful of index entries however
    many cases the subtree holds. ``org`` is one the viewer may see
    (``selectors.report_organisation_or_404``)."""
    today = timezone.localdate()
    stock = LevelCell.objects.filter(
        organisation=org, period=STOCK_PERIOD, indicator=Indicator.OPEN, historical=False
    ).aggregate(
        open=Sum("value", filter=Q(key="")),
        complex_open=Sum("value", filter=Q(key=OPEN_COMPLEX)),
        group_open=Sum("value", filter=Q(key=OPEN_GROUP)),
    )
    return {
        "today": CaseFact.objects.filter(
            registered_on=today, org_path__startswith=org.path
        ).count(),
        **{name: int(value or 0) for name, value in stock.items()},
    }


def live_counts(org: Organisation, user: User) -> dict[str, Any]:
    """``case_counts``, the overdue time limits and the open supervised cases (挂牌督办) of
    the subtree, as ``user`` may see them: overdue as the deadlines list counts it (every
    time limit past due, kept by ``deadlines``), supervised as the supervision list of the
    area (``supervision``), each narrowed to ``org``'s subtree."""
    today = timezone.localdate()
    overdue = deadline_selectors.deadline_items(
        user, level=AlertLevel.OVERDUE, organisation=org, limit=0
    ).total
    supervised = supervisions_for(user, state="open", scope="area").filter(
        case__committee_path__startswith=org.path
    )
    counts = case_counts(org)
    return {
        "today": counts["today"],
        "open": counts["open"],
        "overdue": overdue,
        "supervised": supervised.count(),
        "supervised_overdue": supervised.filter(deadline__lt=today).count(),
        "complex_open": counts["complex_open"],
        "group_open": counts["group_open"],
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
    return {
        "organisation": org.name,
        "period": period.code,
        "totals": totals(org, period),
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
