"""Reading an organisation-tree file (XLSX or CSV) into rows of ``OrganisationData``: the
tree's columns and cells on the one import framework (``tiaojie.core.imports``).

Errors point at the cell to fix as the user sees it: the row number the spreadsheet shows
(header row = 1) and the column header as written in the file. Reading never stops at the
first bad cell: every problem is collected so one round of corrections is enough.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from tiaojie.core.imports import (
    HEADER_SEARCH_ROWS,
    MAX_ROWS,
    ImportInvalid,
    Row,
    RowError,
    cell_text,
    file_error,
    parse_date,
)
from tiaojie.organisations import import_columns as columns
from tiaojie.organisations.import_columns import Parse
from tiaojie.organisations.validation import OrganisationData

_COORDINATE_PLACES = Decimal("0.000001")
# Codes and numbers typed with a Chinese input method come in full width (９９０１０２).
_FOLDED_TEXT = frozenset({"division_code", "phone"})

# How a cell parser reports a cell it cannot read: (field, reason).
_Fail = Callable[[str, str], None]


@dataclass
class ImportRow:
    """One data row, parsed. ``bad_fields`` hold cells that could not be read at all."""

    line: int
    ref: str
    parent_ref: str
    data: OrganisationData
    bad_fields: set[str] = field(default_factory=set)


@dataclass
class ParsedSheet:
    """The rows of a file, the problems found while reading them, and where its columns are."""

    rows: list[ImportRow]
    errors: list[RowError]
    # field → header as written in the file, and the position of each field's column.
    headers: dict[str, str]
    positions: dict[str, int]

    def column(self, field_name: str) -> str:
        """The header to name in an error; the template's header if the file lacks it."""
        name = "parent_ref" if field_name == "parent" else field_name
        if name in self.headers:
            return self.headers[name]
        if name in columns.COLUMNS_BY_FIELD:
            return columns.COLUMNS_BY_FIELD[name].header
        return self.headers["kind"]

    def error(self, row: ImportRow, field_name: str, reason: str) -> RowError:
        return RowError(row.line, self.column(field_name), reason)

    def sort_key(self, error: RowError) -> tuple[int, int]:
        position = next(
            (self.positions[f] for f, header in self.headers.items() if header == error.column),
            len(self.positions),
        )
        return (error.row or 0, position)


# Parsing rows --------------------------------------------------------------------------------


def parse_table(table: Iterable[Row]) -> ParsedSheet:
    """Find the header row, map its columns, and parse every non-empty row after it."""
    numbered = enumerate(table, start=1)
    header_line, header_cells = _find_header(numbered)
    sheet, fatal = _map_headers(header_line, header_cells)
    if fatal:
        raise ImportInvalid(fatal)
    index_of = {f: sheet.positions[f] for f in sheet.headers}
    lookups = {f: columns.choice_lookup(f) for f in columns.CHOICES}
    markers = columns.explanation_markers()
    for line, cells in numbered:
        values = {f: cells[i] if i < len(cells) else None for f, i in index_of.items()}
        texts = {f: cell_text(v) for f, v in values.items()}
        if not any(texts.values()) or texts["ref"].startswith(markers):
            continue
        if len(sheet.rows) == MAX_ROWS:
            raise file_error(
                _("The file has more than %(max)s rows; split it into several files.")
                % {"max": f"{MAX_ROWS:,}"}
            )
        sheet.rows.append(_parse_row(sheet, line, values, texts, lookups))
    if not sheet.rows:
        raise file_error(_("The file has no data rows under its headers."))
    return sheet


def _find_header(numbered: Iterator[tuple[int, Row]]) -> tuple[int, Row]:
    lookup = columns.header_lookup()
    first: tuple[int, Row] | None = None
    seen = 0
    for line, cells in numbered:
        texts = [cell_text(c) for c in cells]
        if not any(texts):
            continue
        first = first or (line, cells)
        if sum(columns.normalise(t) in lookup for t in texts) >= 2:
            return line, cells
        seen += 1
        if seen == HEADER_SEARCH_ROWS:
            break
    if first is None:
        raise file_error(_("The file is empty."))
    return first


def _map_headers(line: int, cells: Row) -> tuple[ParsedSheet, list[RowError]]:
    lookup = columns.header_lookup()
    sheet = ParsedSheet(rows=[], errors=[], headers={}, positions={})
    errors: list[RowError] = []
    for index, cell in enumerate(cells):
        header = cell_text(cell)
        field_name = lookup.get(columns.normalise(header)) if header else None
        if field_name is None:
            continue  # an extra column of notes: ignored
        if field_name in sheet.headers:
            errors.append(
                RowError(
                    line,
                    header,
                    _("This column repeats the column %(first)s.")
                    % {"first": sheet.headers[field_name]},
                )
            )
            continue
        sheet.headers[field_name] = header
        sheet.positions[field_name] = index
    for column in columns.COLUMNS:
        if column.required and column.field not in sheet.headers:
            errors.append(RowError(line, column.header, _("This column is missing.")))
    return sheet, errors


def _parse_row(
    sheet: ParsedSheet,
    line: int,
    values: dict[str, object],
    texts: dict[str, str],
    lookups: dict[str, dict[str, str]],
) -> ImportRow:
    row = ImportRow(line, texts["ref"], texts.get("parent_ref", ""), OrganisationData("", ""))
    parsed: dict[str, object] = {}

    def fail(field_name: str, reason: str) -> None:
        row.bad_fields.add(field_name)
        sheet.errors.append(sheet.error(row, field_name, reason))

    if not row.ref:
        fail("ref", _("Give this row a ref, unique in the file."))
    for column in columns.COLUMNS:
        name = column.field
        if name in {"ref", "parent_ref"}:
            continue
        text = texts.get(name, "")
        if column.parse is Parse.CHOICE:
            parsed[name] = _choice(name, text, lookups[name], fail)
        elif column.parse is Parse.DECIMAL:
            parsed[name] = _decimal(name, values.get(name), text, fail)
        elif column.parse is Parse.DATE:
            parsed[name] = _date(name, values.get(name), text, fail)
        else:
            if name in _FOLDED_TEXT:
                text = unicodedata.normalize("NFKC", text)
            if column.max_length is not None and len(text) > column.max_length:
                fail(name, _("At most %(max)s characters.") % {"max": column.max_length})
            parsed[name] = text
    row.data = OrganisationData(**parsed)  # type: ignore[arg-type]
    return row


def _choice(name: str, text: str, lookup: dict[str, str], fail: _Fail) -> str:
    if not text:
        if name == "kind":
            fail(name, _("Give the kind: %(choices)s.") % {"choices": columns.choice_names(name)})
        return ""
    code = lookup.get(columns.normalise(text))
    if code is None:
        fail(
            name,
            _("Unknown value “%(value)s”; use one of: %(choices)s.")
            % {"value": text, "choices": columns.choice_names(name)},
        )
        return ""
    return code


def _decimal(name: str, value: object, text: str, fail: _Fail) -> Decimal | None:
    if not text:
        return None
    try:
        number = Decimal(str(value)) if isinstance(value, float | int) else Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        fail(name, _("Enter a number in degrees, e.g. 114.305."))
        return None
    # GPS tools give more places than the column keeps; six places are 0.1 m.
    return number.quantize(_COORDINATE_PLACES) if abs(number) < 1000 else number


def _date(name: str, value: object, text: str, fail: _Fail) -> dt.date | None:
    if not text and not isinstance(value, dt.date):
        return None
    day = parse_date(value, text)
    if day is None:
        fail(name, _("Enter a date such as 2020-03-01, 2020/3/1 or 2020年3月1日."))
    return day
