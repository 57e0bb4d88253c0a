"""The report of an organisation for a period in the official column layout: one row per child
organisation (each summing its subtree) plus the total, read from the level cells only."""

from __future__ import annotations

import dataclasses
import functools
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from tiaojie.cases.choices import CaseSource
from tiaojie.cases.models import DisputeType
from tiaojie.organisations.choices import CommitteeKind, OrganisationKind
from tiaojie.organisations.models import Organisation
from tiaojie.statistics import headcounts
from tiaojie.statistics.choices import BY_KIND, BY_SOURCE, BY_TYPE, EscalationKind, Indicator
from tiaojie.statistics.models import LevelCell
from tiaojie.statistics.periods import Period

# A figure's address: (indicator, breakdown key).
Address = tuple[str, str]
RATE_SUCCESS = ("rate", "success")
RATE_PERFORMED = ("rate", "performed")
# Each rate's part and whole.
_RATES: dict[Address, tuple[Address, Address]] = {
    RATE_SUCCESS: ((Indicator.SUCCESS, ""), (Indicator.MEDIATED, "")),
    RATE_PERFORMED: ((Indicator.PERFORMED, ""), (Indicator.SUCCESS, "")),
}

# Organisations that get a row of their own under their parent (grids and associations hold
# no cases of their own; their cases, if any, count in the parent's own row).
ROW_KINDS = frozenset(
    {
        OrganisationKind.CITY_BUREAU,
        OrganisationKind.DISTRICT_BUREAU,
        OrganisationKind.JUSTICE_OFFICE,
        OrganisationKind.COMMITTEE,
    }
)


@dataclasses.dataclass(frozen=True)
class Column:
    address: Address
    header: str
    group: str
    amount: bool = False

    @property
    def is_rate(self) -> bool:
        return self.address[0] == "rate"

    @property
    def code(self) -> str:
        indicator, key = self.address
        return f"{indicator}.{key}" if key else indicator


@dataclasses.dataclass
class Row:
    organisation: Organisation | None  # None: the total
    label: str
    values: dict[Address, Decimal] = dataclasses.field(default_factory=dict)
    # The figures that include imported history (no cases behind that part).
    historical: set[Address] = dataclasses.field(default_factory=set)

    def value(self, column: Column) -> Decimal:
        if column.address in _RATES:
            part, whole = _RATES[column.address]
            return rate(self.values.get(part), self.values.get(whole))
        return self.values.get(column.address, Decimal(0))

    def undefined(self, column: Column) -> bool:
        """A rate with nothing to divide by: no case mediated (success rate), none successful
        (performance rate). Its value is 0 for the exports and filings, whose forms take a
        number; a page shows "—", which says "no cases" where 0.00 would say "all failed"."""
        return column.address in _RATES and not self.values.get(_RATES[column.address][1])

    def printed(self, column: Column) -> str:
        """The figure as the printed report and the analysis write it: rates and amounts to
        the fen, counts whole, "—" for a rate of nothing (``undefined``)."""
        if self.undefined(column):
            return "—"
        value = self.value(column)
        if column.is_rate or column.amount or value != value.to_integral_value():
            return f"{value:,.2f}"
        return f"{int(value):,}"


@dataclasses.dataclass
class Report:
    organisation: Organisation
    period: Period
    columns: list[Column]
    rows: list[Row]
    total: Row

    @property
    def has_history(self) -> bool:
        """Whether any figure includes aggregates imported for a period before the system."""
        return bool(self.total.historical)

    def groups(self) -> list[tuple[str, int]]:
        """The column groups in order, with how many columns each spans (the header's first row)."""
        out: list[tuple[str, int]] = []
        for column in self.columns:
            if out and out[-1][0] == column.group:
                out[-1] = (column.group, out[-1][1] + 1)
            else:
                out.append((column.group, 1))
        return out


def rate(part: Decimal | None, whole: Decimal | None) -> Decimal:
    """A percentage with two decimals (97.41), 0 when there is nothing to divide by."""
    if not whole:
        return Decimal(0)
    return (Decimal(100) * (part or 0) / whole).quantize(Decimal("0.01"), ROUND_HALF_UP)


TYPE_COLUMNS_SQL = """
SELECT code, name, statistics_code, sort_order FROM {types}
WHERE valid_from <= %s AND (valid_to IS NULL OR valid_to >= %s)
ORDER BY sort_order, code
"""


def type_columns(period: Period) -> list[tuple[str, str]]:
    """The dispute-type columns of the form valid in the period: each statistics column once,
    named by the entry whose code it is, in the dictionary's order (plain SQL: every report
    reads it, ADR 0060)."""
    with connection.cursor() as cursor:
        cursor.execute(
            TYPE_COLUMNS_SQL.format(types=connection.ops.quote_name(DisputeType._meta.db_table)),
            [period.end, period.first],
        )
        entries = cursor.fetchall()
    names: dict[str, str] = {}
    order: dict[str, int] = {}
    for code, name, statistics_code, sort_order in entries:
        order.setdefault(statistics_code, sort_order)
        if code == statistics_code or statistics_code not in names:
            names[statistics_code] = name
    return sorted(names.items(), key=lambda item: order[item[0]])


def columns(period: Period) -> list[Column]:
    """The report's columns for the period, in the official order: totals, by source, by kind
    of committee, by the period's dispute-type columns, screening and prevention, mediators.
    Built once per language and set of type columns (``_columns``): the ~90 headings were
    translated again on every build, a quarter of a street's report (ADR 0061)."""
    return list(_columns(get_language(), tuple(type_columns(period))))


@functools.lru_cache(maxsize=64)
def _columns(language: str | None, types: tuple[tuple[str, str], ...]) -> tuple[Column, ...]:
    """The columns in ``language`` (the active one: ``gettext`` reads it, the argument keys
    the cache) with the dispute-type columns ``types`` (code, name) read from the dictionary
    by the caller, so a changed dictionary is a new key, never a stale heading."""
    totals = _("Totals")
    i = Indicator
    out = [
        Column((i.ACCEPTED, ""), _("Accepted"), totals),
        Column((i.MEDIATED, ""), _("Mediated"), totals),
        Column((i.SUCCESS, ""), _("Successful"), totals),
        Column(RATE_SUCCESS, _("Success rate %"), totals),
        Column((i.PEOPLE, ""), _("Parties involved"), totals),
        Column((i.AMOUNT, ""), _("Amount (yuan)"), totals, amount=True),
        Column((i.COMPLEX, ""), _("Complex"), totals),
        Column((i.ORAL, ""), _("Oral agreements"), totals),
        Column((i.WRITTEN, ""), _("Written agreements"), totals),
        Column((i.PERFORMED, ""), _("Performed"), totals),
        Column(RATE_PERFORMED, _("Performance rate %"), totals),
        Column((i.CONFIRMED, ""), _("Judicially confirmed"), totals),
    ]
    out += [
        Column((i.MEDIATED, f"{BY_SOURCE}:{code}"), str(label), _("By source"))
        for code, label in CaseSource.choices
    ]
    out += [
        Column((i.MEDIATED, f"{BY_KIND}:{code}"), str(label), _("By kind of committee"))
        for code, label in CommitteeKind.choices
    ]
    out += [
        Column((i.MEDIATED, f"{BY_TYPE}:{code}"), name, _("By dispute type"))
        for code, name in types
    ]
    screening = _("Screening and prevention")
    out += [
        Column(
            (i.SCREENING_ROUNDS, ""),
            pgettext("statistics indicator", "Screening rounds"),
            screening,
        ),
        Column((i.SCREENING_FINDINGS, ""), _("Disputes found"), screening),
        Column((i.PREVENTED_DISPUTES, ""), _("Disputes prevented"), screening),
    ]
    # Outside the f-strings: makemessages does not see a call inside one, and the units were
    # left untranslated ("防止民转刑 (cases)").
    cases_unit, people_unit = pgettext("unit", "cases"), pgettext("unit", "people")
    for code, label in EscalationKind.choices:
        out += [
            Column((i.PREVENTED_CASES, code), f"{label}（{cases_unit}）", screening),
            Column((i.PREVENTED_PEOPLE, code), f"{label}（{people_unit}）", screening),
        ]
    people = _("Mediators")
    out += [
        Column((headcounts.HEADCOUNT, headcounts.TOTAL), _("Mediators in all"), people),
        Column((headcounts.HEADCOUNT, headcounts.FULL_TIME), _("Full-time"), people),
        Column((headcounts.HEADCOUNT, headcounts.PART_TIME), _("Part-time"), people),
        Column((headcounts.HEADCOUNT, headcounts.TRAINED), _("Trained this year"), people),
    ]
    return tuple(out)


def is_headcount(code: str) -> bool:
    """A column code of the mediator headcounts (a stock at the period's end, not a count of
    disputes: a period with mediators and no disputes is still a nil report)."""
    return code.startswith(f"{headcounts.HEADCOUNT}.")


# The children with a row, in path order: plain SQL, as the level sums (ADR 0061).
ROW_ORGANISATIONS_SQL = """
SELECT {fields} FROM {organisations}
WHERE parent_id = %s AND kind IN ({kinds})
ORDER BY path
"""
# What a report's row reads of its organisation; the rest is loaded if ever asked for, as
# after ``QuerySet.only``.
ROW_FIELDS = frozenset({"id", "kind", "name", "short_name", "parent_id", "path", "depth", "status"})


def row_organisations(organisation: Organisation) -> list[Organisation]:
    """The organisations with a row: the children that hold or oversee cases, in path order.
    One statement in plain SQL (every report reads it; through the ORM, building the query
    cost more than running it), each row made an ``Organisation`` as ``only(ROW_FIELDS)``
    would make it."""
    table = connection.ops.quote_name(Organisation._meta.db_table)
    # ``from_db`` takes a subset of the fields in the model's order.
    fields = [f.attname for f in Organisation._meta.concrete_fields if f.attname in ROW_FIELDS]
    kinds = sorted(ROW_KINDS)
    with connection.cursor() as cursor:
        # Table and column names from the model, every value a parameter.
        cursor.execute(
            ROW_ORGANISATIONS_SQL.format(
                fields=", ".join(connection.ops.quote_name(f) for f in fields),
                organisations=table,
                kinds=", ".join(["%s"] * len(kinds)),
            ),
            [organisation.pk, *kinds],
        )
        rows = cursor.fetchall()
    return [Organisation.from_db(connection.alias, fields, row) for row in rows]


# The level cells of some organisations summed over the months of a period, one row per
# organisation and figure: an index-only scan of the unique key (organisation, period, …),
# whose index carries the value (ADR 0060).
LEVEL_SUMS_SQL = """
SELECT organisation_id, indicator, key, historical, SUM(value) FROM {cells}
WHERE organisation_id IN ({ids}) AND period >= %s AND period <= %s
GROUP BY organisation_id, indicator, key, historical
"""
CENT = Decimal("0.01")


def level_sums(
    organisation_ids: list[int], period: Period
) -> list[tuple[int, str, str, bool, Decimal]]:
    """(organisation id, indicator, key, historical, sum over the period) of the level cells
    of ``organisation_ids``, in one statement. Plain SQL and plain tuples: through the ORM,
    building the query and a dict per row cost as much as running it (ADR 0060)."""
    table = connection.ops.quote_name(LevelCell._meta.db_table)
    marks = ", ".join(["%s"] * len(organisation_ids))
    with connection.cursor() as cursor:
        # The table name from the model's meta, every value a parameter.
        cursor.execute(
            LEVEL_SUMS_SQL.format(cells=table, ids=marks),
            [*organisation_ids, period.first, period.last],
        )
        rows = cursor.fetchall()
    # PostgreSQL sums numeric(20, 2) to a Decimal; SQLite to a float or an int.
    return [
        (
            org,
            indicator,
            key,
            bool(historical),
            total if isinstance(total, Decimal) else Decimal(str(total or 0)).quantize(CENT),
        )
        for org, indicator, key, historical, total in rows
    ]


def build(organisation: Organisation, period: Period) -> Report:
    """The report, from the level cells of the organisation and its children (one query)."""
    children = row_organisations(organisation)
    # Each child's row is its own level cells (its whole subtree); the total is the
    # organisation's; its own row (cases it holds directly, or under a grid) is what is
    # left: a city's year is a few thousand rows, not every committee's cells.
    cells = level_sums([organisation.pk, *(child.pk for child in children)], period)
    rows = {child.path: Row(child, child.name) for child in children}
    by_id = {child.pk: rows[child.path] for child in children}
    own = Row(organisation, _("%(name)s (itself)") % {"name": organisation.name})
    total = Row(None, _("Total"))
    by_length = sorted(rows, key=len, reverse=True)
    left: dict[tuple[Address, bool], Decimal] = defaultdict(Decimal)
    for org, indicator, key, historical, value in cells:
        address = (indicator, key)
        row = by_id.get(org, total)
        _put(row, address, value, historical)
        left[(address, historical)] += value if row is total else -value
    for (address, historical), value in left.items():
        if value:
            _put(own, address, value, historical)
    _add_headcounts(organisation, period, by_length, rows, own, total)
    listed = [rows[child.path] for child in children]
    shown = columns(period)
    # The organisation's own row (cases held by it directly: a centre's queue, a committee
    # without children) only when it has a figure of the report, or nothing else would show.
    if not children or any(own.value(c) for c in shown):
        listed.insert(0, own)
    return Report(organisation, period, shown, listed, total)


def _put(row: Row, address: Address, value: Decimal, historical: bool) -> None:
    row.values[address] = row.values.get(address, Decimal(0)) + value
    if historical and value:
        row.historical.add(address)


def _add_headcounts(
    organisation: Organisation,
    period: Period,
    by_length: list[str],
    rows: dict[str, Row],
    own: Row,
    total: Row,
) -> None:
    """Put the mediator headcounts at the period's end into each row and the total."""
    seats = headcounts.serving(organisation, period.end)
    grouped: dict[str, list[headcounts.Seat]] = defaultdict(list)
    for seat in seats:
        grouped[next((p for p in by_length if seat.path.startswith(p)), "")].append(seat)
    targets = [(rows.get(path, own), group) for path, group in grouped.items()]
    for row, group in [*targets, (total, seats)]:
        for key, value in headcounts.count(group).items():
            row.values[(headcounts.HEADCOUNT, key)] = Decimal(value)


def figures(organisation: Organisation, period: Period) -> dict[Address, Decimal]:
    """The organisation's totals for the period, by address (its level cells)."""
    out: dict[Address, Decimal] = defaultdict(Decimal)
    for _org, indicator, key, _historical, value in level_sums([organisation.pk], period):
        out[(indicator, key)] += value
    return dict(out)
