"""Historical aggregates: the figures of periods before the system, imported from a
spreadsheet (one row per organisation and month, one column per figure of the report) through
the project's one import path (``core.imports``): every cell checked, every problem named by
row, column and reason, and nothing written unless the whole file is right.

The figures become cells marked ``historical``: reports and dashboards sum them like any other,
mark them as history, and link them to no cases (none stand behind them). The roll-ups, the
rebuild and ``verify_statistics`` leave them alone. Importing a month of an organisation again
replaces what was imported for it before."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import IO

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Role
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core import imports, xlsx
from tiaojie.core.errors import NotPermitted, ValidationFailed
from tiaojie.organisations.models import Organisation
from tiaojie.statistics import levels, periods, report
from tiaojie.statistics.choices import BY_KIND, BY_SOURCE, BY_TYPE, Indicator
from tiaojie.statistics.error_codes import StatisticsErrorCode as E
from tiaojie.statistics.models import StatCell

# Each (period, organisation): its figures by address.
Figures = dict[report.Address, Decimal]


@dataclasses.dataclass
class Entry:
    row: int
    period: periods.Period
    organisation: Organisation
    figures: Figures


def may_import(user: User) -> bool:
    """Bureau officers import the history of their area."""
    return user.role == Role.BUREAU_OFFICER


def period_header() -> str:
    return _("Period")


def organisation_header() -> str:
    return _("Organisation")


def importable(period: periods.Period) -> list[report.Column]:
    """The report's columns a file may give: every counted figure (rates are computed,
    headcounts are people, not history of disputes)."""
    return [c for c in report.columns(period) if not c.is_rate and not report.is_headcount(c.code)]


def template_xlsx() -> bytes:
    """An empty file with the headers of this year's columns and one example row."""
    period = periods.parse(str(timezone.localdate().year))
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("History"))
    headers = [period_header(), organisation_header(), *(c.header for c in importable(period))]
    sheet.append(xlsx.bold_row(sheet, headers))
    xlsx.set_widths(sheet, [12, 28] + [10] * (len(headers) - 2))
    return xlsx.to_bytes(book)


# --- Checking -------------------------------------------------------------------------------


def _header_row(rows: list[list[object]]) -> int:
    wanted = {period_header(), organisation_header()}
    for index, cells in enumerate(rows[: imports.HEADER_SEARCH_ROWS]):
        if wanted <= {imports.cell_text(c) for c in cells}:
            return index
    raise imports.file_error(
        _("No header row with “%(period)s” and “%(organisation)s” in the first rows.")
        % {"period": period_header(), "organisation": organisation_header()}
    )


def _number(text: str, amount: bool) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value >= Decimal(10) ** 15:
        return None
    if amount:
        return value if value == value.quantize(Decimal("0.01")) else None
    return value if value == value.to_integral_value() else None


def _sum_rules(period: periods.Period) -> list[tuple[report.Address, list[str], str]]:
    """(total's address, prefixes of the parts, what the parts are) that must add up."""
    mediated = (Indicator.MEDIATED, "")
    return [
        (mediated, [f"{BY_SOURCE}:"], _("the columns by source")),
        (mediated, [f"{BY_KIND}:"], _("the columns by kind of committee")),
        (mediated, [f"{BY_TYPE}:"], _("the columns by dispute type")),
    ]


def _check_totals(
    entry: Entry, headers: dict[report.Address, str], problems: imports.Problems
) -> None:
    """A total that does not add up is refused, naming the total's column."""
    f, row = entry.figures, entry.row
    i = Indicator

    def value(indicator: str, key: str = "") -> Decimal:
        return f.get((indicator, key), Decimal(0))

    def given(indicator: str, key: str = "") -> bool:
        return (indicator, key) in f

    def refuse(address: report.Address, reason: str) -> None:
        problems.add(row, headers.get(address, address[0]), reason)

    for part, whole in ((i.SUCCESS, i.MEDIATED), (i.COMPLEX, i.MEDIATED), (i.PERFORMED, i.SUCCESS)):
        if given(part) and value(part) > value(whole):
            refuse(
                (part, ""),
                _("%(part)s is more than %(whole)s (%(value)s).")
                % {
                    "part": f"{value(part):,}",
                    "whole": headers.get((whole, ""), whole),
                    "value": f"{value(whole):,}",
                },
            )
    if (given(i.ORAL) or given(i.WRITTEN)) and value(i.ORAL) + value(i.WRITTEN) != value(i.SUCCESS):
        refuse(
            (i.SUCCESS, ""),
            _(
                "Oral and written agreements (%(parts)s) do not add up to the successful "
                "mediations (%(total)s)."
            )
            % {"parts": f"{value(i.ORAL) + value(i.WRITTEN):,}", "total": f"{value(i.SUCCESS):,}"},
        )
    for total, prefixes, what in _sum_rules(entry.period):
        parts = [
            v
            for (ind, key), v in f.items()
            if ind == total[0] and any(key.startswith(p) for p in prefixes)
        ]
        if parts and sum(parts) != value(*total):
            refuse(
                total,
                _("The sum of %(what)s (%(parts)s) is not the total (%(total)s).")
                % {"what": what, "parts": f"{sum(parts):,}", "total": f"{value(*total):,}"},
            )


def check(file: IO[bytes], file_name: str, actor: User) -> list[Entry]:
    """Every entry of the file, or ``ImportInvalid`` naming every problem."""
    if not may_import(actor):
        raise NotPermitted(E.NOT_PERMITTED, _("Only bureau officers import historical figures."))
    rows = [list(r) for r in imports.read_table(file, file_name)]
    start = _header_row(rows)
    header_cells = [imports.cell_text(c) for c in rows[start]]
    problems = imports.Problems()
    in_scope = {
        org.name: org
        for org in Organisation.objects.filter(
            path__startswith=actor.organisation.path, kind__in=report.ROW_KINDS
        )
    }
    today = timezone.localdate()
    entries: list[Entry] = []
    seen: dict[tuple[str, int], int] = {}
    for offset, cells in enumerate(rows[start + 1 :], start=start + 2):
        texts = {
            header_cells[n]: imports.cell_text(c)
            for n, c in enumerate(cells)
            if n < len(header_cells) and header_cells[n]
        }
        if not any(texts.values()):
            continue
        before = len(problems.errors)
        period: periods.Period | None = None
        raw_period = texts.get(period_header(), "")
        try:
            period = periods.parse(raw_period.replace("年", "-").replace("月", "").strip("-"))
            if period.kind != periods.MONTH:
                period = None
                problems.add(offset, period_header(), _("Give one month per row, as 2020-01."))
            elif period.end >= today:
                period = None
                problems.add(offset, period_header(), _("The month has not ended yet."))
        except ValidationFailed:
            problems.add(offset, period_header(), _("Enter the month as 2020-01."))
        org = in_scope.get(texts.get(organisation_header(), ""))
        if org is None:
            problems.add(
                offset,
                organisation_header(),
                _("No organisation of this name in your area (bureau, office or committee)."),
            )
        if period is None or org is None:
            continue
        by_header = {c.header: c for c in importable(period)}
        by_code = {c.code: c for c in importable(period)}
        headers = {c.address: c.header for c in importable(period)}
        figures: Figures = {}
        for header, text in texts.items():
            if header in (period_header(), organisation_header()) or not text:
                continue
            column = by_header.get(header) or by_code.get(header)
            if column is None:
                problems.add(offset, header, _("Not a column of the report for this month."))
                continue
            number = _number(text, column.amount)
            if number is None:
                problems.add(
                    offset,
                    header,
                    _("Enter an amount of yuan, at most two decimals, not negative.")
                    if column.amount
                    else _("Enter a whole number, not negative."),
                )
                continue
            figures[column.address] = number
            # Errors name the column as the file writes it.
            headers[column.address] = header
        key = (period.code, org.pk)
        if key in seen:
            problems.add(
                offset,
                organisation_header(),
                _("The same organisation and month is already on row %(row)s.")
                % {"row": seen[key]},
            )
        seen[key] = offset
        entry = Entry(offset, period, org, figures)
        _check_totals(entry, headers, problems)
        if len(problems.errors) == before:
            entries.append(entry)
    if not entries and not problems:
        raise imports.file_error(_("The file has no rows of figures."))
    _check_overlaps(entries, problems)
    problems.raise_if_any(key=lambda e: (e.row or 0, e.column))
    return entries


def _check_overlaps(entries: list[Entry], problems: imports.Problems) -> None:
    """History only for months before the system, and never twice for one subtree: an
    organisation and one above or below it in the same month would count twice."""
    by_month: dict[dt.date, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_month[entry.period.first].append(entry)
    for first, group in by_month.items():
        live = set(
            StatCell.objects.filter(period=first, historical=False)
            .filter(_under_any(e.organisation.path for e in group))
            .exclude(value=0)
            .values_list("org_path", flat=True)
        )
        stored = list(
            StatCell.objects.filter(period=first, historical=True)
            .exclude(organisation_id__in=[e.organisation.pk for e in group])
            .values_list("org_path", flat=True)
            .distinct()
        )
        for entry in group:
            path = entry.organisation.path
            if any(p.startswith(path) for p in live):
                problems.add(
                    entry.row,
                    period_header(),
                    _(
                        "The system already has figures of this organisation for this month; "
                        "history is imported only for months before the system."
                    ),
                )
            others = [e.organisation.path for e in group if e is not entry] + stored
            if any(p.startswith(path) or path.startswith(p) for p in others):
                problems.add(
                    entry.row,
                    organisation_header(),
                    _(
                        "An organisation above or below this one has history for this month: "
                        "the figures would count twice."
                    ),
                )


def _under_any(paths: object) -> Q:
    condition = Q(pk__in=[])
    for path in paths:  # type: ignore[attr-defined]
        condition |= Q(org_path__startswith=path)
    return condition


# --- Writing --------------------------------------------------------------------------------


def write(entries: list[Entry], actor: User, file_name: str) -> int:
    """Replace the history of each (month, organisation) with the file's figures."""
    cells = []
    # What the level cells above lose (the history replaced) and gain (the file's figures).
    change: dict[levels.LevelKey, Decimal] = defaultdict(Decimal)
    paths: dict[int, str] = {}
    for entry in entries:
        org = entry.organisation
        paths[org.pk] = org.path
        replaced = StatCell.objects.filter(
            period=entry.period.first, organisation=org, historical=True
        )
        for old in replaced:
            change[(old.period, org.pk, old.indicator, old.key, True)] -= old.value
        replaced.delete()
        for (indicator, key), value in entry.figures.items():
            change[(entry.period.first, org.pk, indicator, key, True)] += value
        cells += [
            StatCell(
                period=entry.period.first,
                organisation=org,
                org_path=org.path,
                indicator=indicator,
                key=key,
                value=value,
                historical=True,
            )
            for (indicator, key), value in entry.figures.items()
            if value
        ]
    StatCell.objects.bulk_create(cells, batch_size=2000)
    levels.add(change, paths)
    audit.record(
        EventType.STAT_HISTORY_IMPORTED,
        actor=actor,
        organisation=actor.organisation,
        after={
            "file": file_name[:120],
            "rows": len(entries),
            "cells": len(cells),
            "months": sorted({e.period.code for e in entries}),
        },
    )
    return len(entries)


def import_history(file: IO[bytes], file_name: str, actor: User) -> int:
    """Check the whole file, then write it all in one transaction, or nothing. Returns the
    number of rows imported."""
    return imports.run(
        check=lambda: check(file, file_name, actor),
        write=lambda entries: write(entries, actor, file_name),
    )


def imported(user: User) -> list[dict[str, object]]:
    """The months and organisations of the user's area with imported history."""
    rows = (
        StatCell.objects.filter(historical=True, org_path__startswith=user.organisation.path)
        .values("period", "organisation__name")
        .distinct()
        .order_by("-period", "organisation__name")
    )
    return [
        {"period": f"{r['period']:%Y-%m}", "organisation": r["organisation__name"]}
        for r in rows[:500]
    ]
