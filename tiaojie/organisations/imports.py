"""Reading an organisation-tree file (XLSX or CSV) into rows of ``OrganisationData``.

Errors point at the cell to fix as the user sees it: the row number the spreadsheet shows
(header row = 1) and the column header as written in the file. Reading never stops at the
first bad cell: every problem is collected so one round of corrections is enough.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

from tiaojie.core.errors import ValidationFailed
from tiaojie.organisations import import_columns as columns
from tiaojie.organisations.import_columns import Parse
from tiaojie.organisations.validation import OrganisationData

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 60_000
# A workbook is a zip: its unpacked parts may not exceed this (a small file can unpack huge).
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# Lines a file may hold above its row limit: titles, headers, explanations, blank lines.
SPARE_LINES = 1_000
ALLOWED_SUFFIXES = (".xlsx", ".csv")
# Cells beyond this column are ignored: the import has 15 columns, users add a few notes.
MAX_COLUMNS = 64
# Bureau spreadsheets often open with a title line or two above the headers.
HEADER_SEARCH_ROWS = 10
_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COORDINATE_PLACES = Decimal("0.000001")
# Codes and numbers typed with a Chinese input method come in full width (９９０１０２).
_FOLDED_TEXT = frozenset({"division_code", "phone"})

Row = Sequence[object]
# How a cell parser reports a cell it cannot read: (field, reason).
_Fail = Callable[[str, str], None]


@dataclass(frozen=True)
class RowError:
    """One problem: spreadsheet row (None for the whole file), column header, reason."""

    row: int | None
    column: str
    reason: str

    @property
    def key(self) -> str:
        """The API's ``fields`` key: ``"5:名称"``; ``"__all__"`` for the whole file."""
        if self.row is None:
            return self.column or "__all__"
        return f"{self.row}:{self.column}"

    def __str__(self) -> str:
        if self.row is None:
            return f"{self.column}: {self.reason}" if self.column else self.reason
        return _("Row %(row)s, %(column)s: %(reason)s") % {
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
        }


class ImportInvalid(ValidationFailed):
    """The file cannot be imported; ``errors`` lists every problem found, in file order."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        fields: dict[str, list[str]] = {}
        for error in errors:
            fields.setdefault(error.key, []).append(error.reason)
        message = ngettext(
            "The file has %(count)s error; nothing was imported.",
            "The file has %(count)s errors; nothing was imported.",
            len(errors),
        ) % {"count": len(errors)}
        super().__init__("import_invalid", message, fields=fields)


def _file_error(reason: str) -> ImportInvalid:
    return ImportInvalid([RowError(None, "", reason)])


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


# Reading files -------------------------------------------------------------------------------


def check_upload(file_name: str, size: int | None) -> None:
    """Refuse files of the wrong type or too large, before reading them."""
    if PurePath(file_name).suffix.lower() not in ALLOWED_SUFFIXES:
        message = _("Upload an .xlsx or .csv file (save an older .xls file as .xlsx first).")
        raise ValidationFailed("import_file_type", message, fields={"file": [message]})
    if size is not None and size > MAX_FILE_BYTES:
        message = _("The file is larger than %(size)s MB; split it into several files.") % {
            "size": MAX_FILE_BYTES // (1024 * 1024)
        }
        raise ValidationFailed("import_file_size", message, fields={"file": [message]})


def read_table(file: IO[bytes], file_name: str, *, max_rows: int = MAX_ROWS) -> Iterator[Row]:
    """The cells of the file's first sheet, row by row, from row 1.

    The file's size and its number of rows are checked before any row is parsed: a file
    over the limits is refused at once, whatever its rows hold (issue 16: a 300,000-row file
    once tied a request up for two minutes before the parser reached the limit).
    """
    check_upload(file_name, None)
    content = file.read(MAX_FILE_BYTES + 1)
    check_upload(file_name, len(content))
    if PurePath(file_name).suffix.lower() == ".csv":
        return _csv_rows(content, max_rows)
    return _xlsx_rows(content, max_rows)


def _too_many_rows(max_rows: int) -> ImportInvalid:
    return _file_error(
        _("The file has more than %(max)s rows; split it into several files.")
        % {"max": f"{max_rows:,}"}
    )


def _csv_rows(content: bytes, max_rows: int) -> Iterator[Row]:
    # UTF-8 (with or without the BOM Excel writes), else GB18030: what Chinese Excel saves.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _file_error(_("The CSV file is neither UTF-8 nor GB18030 text."))
    if text.count("\n") > max_rows + SPARE_LINES:
        raise _too_many_rows(max_rows)
    first_line = text.split("\n", 1)[0]
    dialect = "excel-tab" if "\t" in first_line and "," not in first_line else "excel"
    try:
        return iter(list(csv.reader(io.StringIO(text, newline=""), dialect=dialect)))
    except csv.Error as exc:
        raise _file_error(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc


def _xlsx_rows(content: bytes, max_rows: int) -> Iterator[Row]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise _file_error(_("The file is not a readable XLSX workbook.")) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise _file_error(
            _("The workbook unpacks to more than %(size)s MB; split it into several files.")
            % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on a damaged or foreign file
        raise _file_error(_("The file is not a readable XLSX workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        if _count_rows(workbook, sheet) > max_rows + SPARE_LINES:
            raise _too_many_rows(max_rows)
        yield from sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    except ImportInvalid:
        raise
    except Exception as exc:
        raise _file_error(_("The file is not a readable XLSX workbook.")) from exc
    finally:
        workbook.close()


def _count_rows(workbook: Any, sheet: Any) -> int:
    """The rows of ``sheet``, counted in its XML without parsing a cell (the dimension a
    workbook declares is optional, and some writers leave it out)."""
    count, tail = 0, b""
    with workbook._archive.open(sheet._worksheet_path) as part:
        while chunk := part.read(1 << 20):
            data = tail + chunk
            count += data.count(b"<row ") + data.count(b"<row>")
            # Keep the last few bytes so a tag split between chunks is counted once.
            tail = data[-5:]
            count -= tail.count(b"<row ") + tail.count(b"<row>")
    return count + tail.count(b"<row ") + tail.count(b"<row>")


# Parsing rows --------------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """A cell as text: whole numbers without ``.0`` (Excel stores 420100 as a float)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


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
            raise _file_error(
                _("The file has more than %(max)s rows; split it into several files.")
                % {"max": f"{MAX_ROWS:,}"}
            )
        sheet.rows.append(_parse_row(sheet, line, values, texts, lookups))
    if not sheet.rows:
        raise _file_error(_("The file has no data rows under its headers."))
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
        raise _file_error(_("The file is empty."))
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
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not text:
        return None
    match = _DATE.match(text)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    fail(name, _("Enter a date such as 2020-03-01, 2020/3/1 or 2020年3月1日."))
    return None
