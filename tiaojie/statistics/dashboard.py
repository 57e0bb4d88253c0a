"""The figures of the dashboard and the command-centre screen, from the level cells (totals,
rates, trend, mix, ranking; the open cases from their stock cells) and a few live counts
(today's intake from the case facts; overdue time limits and supervised cases read through
the ``deadlines`` and ``supervision`` selectors, same layer)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db import connection
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


def _rate(part: Decimal, whole: Decimal) -> float | None:
    """A rate as the dashboard, the screen and their JSON give it: None (drawn "—", null in
    the API) when there is nothing to divide by, as the reports do; 0 would read as "every
    mediation failed" on a new year's first morning."""
    return _n(report.rate(part, whole)) if whole else None


# The trend: four indicators of the organisation's level row per month, an index-only scan of
# the level cells' key (ADR 0060).
TREND_SQL = """
SELECT period, indicator, SUM(value) FROM {cells}
WHERE organisation_id = %s AND period >= %s AND period <= %s
  AND indicator IN (%s, %s, %s, %s) AND key = ''
GROUP BY period, indicator
"""


def trend(org: Organisation, months: list[dt.date]) -> dict[str, Any]:
    """Accepted, mediated and successful per month (one statement, plain SQL as the mix and
    the totals: through the ORM, building it cost more than running it)."""
    wanted = [Indicator.ACCEPTED, Indicator.MEDIATED, Indicator.SUCCESS, Indicator.PERFORMED]
    rows = _fetch(TREND_SQL, [org.pk, months[0], months[-1], *(i.value for i in wanted)])
    # SQLite hands the month back as text.
    table = {
        (p if isinstance(p, dt.date) else dt.date.fromisoformat(str(p)), i): _n(total)
        for p, i, total in rows
    }
    base = reverse("statistics:figure_cases")
    return {
        "months": [f"{m:%Y-%m}" for m in months],
        "series": {str(i): [table.get((m, i), 0.0) for m in months] for i in wanted},
        "urls": {str(i): [_drill(org, f"{m:%Y-%m}", i, base=base) for m in months] for i in wanted},
    }


# The type mix: the subtree's mediated cells of the period summed by type column, then each
# column named by the dictionary entry valid in the period that ``report.type_columns`` names
# it by (the entry whose code is the column's, else the first in the dictionary's order).
# Named after the sum, so the dictionary is read once per column, not once per month.
TYPE_MIX_SQL = """
SELECT c.key, c.total, (
  SELECT d.name FROM {types} d
  WHERE d.statistics_code = substr(c.key, %s) AND d.valid_from <= %s
    AND (d.valid_to IS NULL OR d.valid_to >= %s)
  ORDER BY CASE WHEN d.code = d.statistics_code THEN 0 ELSE 1 END, d.sort_order, d.code
  LIMIT 1
)
FROM (
  SELECT key, SUM(value) AS total FROM {cells}
  WHERE organisation_id = %s AND period >= %s AND period <= %s AND indicator = %s
    AND key LIKE %s
  GROUP BY key HAVING SUM(value) <> 0
) c
ORDER BY c.total DESC, c.key
"""


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Rows of one statement. Plain SQL for the figures read on every dashboard and screen
    refresh: building the same query through the ORM cost several times its execution
    (ADR 0055)."""
    tables = {
        "types": DisputeType._meta.db_table,
        "cells": LevelCell._meta.db_table,
        "facts": CaseFact._meta.db_table,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            sql.format(**{k: connection.ops.quote_name(v) for k, v in tables.items()}), params
        )
        return list(cursor.fetchall())


def type_mix(org: Organisation, period: periods.Period) -> list[dict[str, Any]]:
    """Mediated cases by dispute-type column, largest first, in one statement: the cells of
    the subtree's level row, each named in SQL by the dictionary valid in the period, so an
    older period keeps its categories. A column the period's dictionary does not know shows
    its key."""
    rows = _fetch(
        TYPE_MIX_SQL,
        [
            len(BY_TYPE) + 2,
            period.end,
            period.first,
            org.pk,
            period.first,
            period.last,
            Indicator.MEDIATED.value,
            f"{BY_TYPE}:%",
        ],
    )
    # Every link is the same list but for its key: the common part encoded once, as
    # ``_drill`` would (the key last), not once per column.
    prefix = _drill(org, period.code, Indicator.MEDIATED)
    return [
        {"name": name or key, "value": _n(total), "url": f"{prefix}&{urlencode({'key': key})}"}
        for key, total, name in rows
    ]


# The headline figures: the five sums over the months of the period, in one pass over the
# organisation's level row (key "" only: no breakdown is read).
TOTALS = [
    Indicator.ACCEPTED,
    Indicator.MEDIATED,
    Indicator.SUCCESS,
    Indicator.PERFORMED,
    Indicator.AMOUNT,
]
TOTALS_SQL = """
SELECT SUM(CASE WHEN indicator = %s THEN value END), SUM(CASE WHEN indicator = %s THEN value END),
  SUM(CASE WHEN indicator = %s THEN value END), SUM(CASE WHEN indicator = %s THEN value END),
  SUM(CASE WHEN indicator = %s THEN value END)
FROM {cells}
WHERE organisation_id = %s AND period >= %s AND period <= %s AND key = ''
  AND indicator IN (%s, %s, %s, %s, %s)
"""


def totals(org: Organisation, period: periods.Period) -> dict[str, float | None]:
    """The dashboard's headline figures and rates for the period, from the organisation's
    level cells in one statement (each figure a filtered sum over the months)."""
    codes = [i.value for i in TOTALS]
    sums = _fetch(TOTALS_SQL, [*codes, org.pk, period.first, period.last, *codes])[0]
    accepted, mediated, success, performed, amount = (
        Decimal(str(value)) if value is not None else Decimal(0) for value in sums
    )
    return {
        "accepted": _n(accepted),
        "mediated": _n(mediated),
        "success": _n(success),
        "success_rate": _rate(success, mediated),
        "performance_rate": _rate(performed, success),
        "amount": _n(amount),
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
                "success_rate": _rate(success, mediated),
                "performance_rate": _rate(performed, success),
                "url": f"{reverse('statistics:dashboard')}?"
                + urlencode({"organisation": row.organisation.pk, "period": period.code}),
            }
        )
    return sorted(out, key=lambda item: -item["mediated"])


# Today's intake (the day-and-path index on the case facts) and the stock cells of the open
# cases (three rows of the organisation's level cells), in one statement.
CASE_COUNTS_SQL = """
SELECT
  (SELECT COUNT(*) FROM {facts} WHERE registered_on = %s AND org_path LIKE %s),
  SUM(CASE WHEN key = '' THEN value END),
  SUM(CASE WHEN key = %s THEN value END),
  SUM(CASE WHEN key = %s THEN value END)
FROM {cells}
WHERE organisation_id = %s AND period = %s AND indicator = %s AND historical = %s
"""


def case_counts(org: Organisation) -> dict[str, int]:
    """The live counts of the subtree's cases, as they are now (ADR 0055): today's intake
    (the case facts registered today, by their day-and-path index) and the open cases, open
    complex and open group disputes (the subtree's stock cells, kept by the roll-ups after
    every move of a case). One statement reading a handful of index entries however many
    cases the subtree holds. ``org`` is one the viewer may see
    (``selectors.report_organisation_or_404``)."""
    # A path is digits and dots: nothing in it for LIKE to read as a wildcard.
    row = _fetch(
        CASE_COUNTS_SQL,
        [
            timezone.localdate(),
            f"{org.path}%",
            OPEN_COMPLEX,
            OPEN_GROUP,
            org.pk,
            STOCK_PERIOD,
            Indicator.OPEN.value,
            False,
        ],
    )[0]
    return {
        name: int(value or 0)
        for name, value in zip(("today", "open", "complex_open", "group_open"), row, strict=True)
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
