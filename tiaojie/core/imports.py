"""One way to import a spreadsheet, for every import (the organisation tree, a committee's case
ledger, and the rosters to come): read the file's rows, check every row and collect every
problem (row, column as written in the file, reason, in the user's language), then write
everything in one transaction, or nothing.

Each import keeps its own columns, parsing and checks; this module holds what they share:
reading XLSX and CSV within limits (``read_table``), the error of one cell (``RowError``), the
refusal listing every problem (``ImportInvalid``), the collector that builds it (``Problems``),
and ``run``: check, then write all or nothing.

Errors point at the cell to fix as the user sees it: the row number the spreadsheet shows
(header row = 1) and the column header as written in the file. Checking never stops at the
first bad cell, so one round of corrections is enough.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any, TypeVar

from defusedxml import ElementTree
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook, SheetTypeEnum

from tiaojie.core.error_codes import CoreErrorCode as E
from tiaojie.core.errors import ValidationFailed

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 60_000
# A workbook is a zip: its unpacked parts may not exceed this (a small file can unpack huge).
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# Lines a file may hold above its row limit: titles, headers, explanations, blank lines.
SPARE_LINES = 1_000
ALLOWED_SUFFIXES = (".xlsx", ".csv")
# Cells beyond this column are ignored: imports have up to ~20 columns, users add a few notes.
MAX_COLUMNS = 64
# Spreadsheets often open with a title line or two above the headers.
HEADER_SEARCH_ROWS = 10
DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)

Row = Sequence[object]
Plan = TypeVar("Plan")
Result = TypeVar("Result")


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
        super().__init__(E.IMPORT_INVALID, message, fields=fields)


def file_error(reason: str) -> ImportInvalid:
    """A problem of the whole file (not of one cell)."""
    return ImportInvalid([RowError(None, "", reason)])


class Problems:
    """Every problem found while checking a file, in the order found; ``raise_if_any`` refuses
    the import with all of them, sorted as the user reads the file (by row, then column)."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []

    def add(self, row: int | None, column: str, reason: str) -> None:
        self.errors.append(RowError(row, column, reason))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self, key: Callable[[RowError], Any] | None = None) -> None:
        if self.errors:
            raise ImportInvalid(sorted(self.errors, key=key) if key else list(self.errors))


def run(
    *,
    check: Callable[[], Plan],
    write: Callable[[Plan], Result],
    lock: Callable[[], None] | None = None,
) -> Result:
    """Check every row, then write them all in one transaction, or nothing.

    ``check()`` returns the plan to write or raises ``ImportInvalid`` listing every problem;
    ``write(plan)`` writes it. Without ``lock`` the checks run before the transaction opens, so
    the rows (and whatever the import counts or locks while writing) are held only while
    writing. ``lock()`` is for a check that must see nothing change until the write commits
    (two tree imports under one parent checking sibling names): it runs first, in the writing
    transaction, and the checks then run inside it too.
    """
    if lock is None:
        plan = check()
        with transaction.atomic():
            return write(plan)
    with transaction.atomic():
        lock()
        return write(check())


# Reading files -------------------------------------------------------------------------------


def check_upload(file_name: str, size: int | None) -> None:
    """Refuse files of the wrong type or too large, before reading them."""
    if PurePath(file_name).suffix.lower() not in ALLOWED_SUFFIXES:
        message = _("Upload an .xlsx or .csv file (save an older .xls file as .xlsx first).")
        raise ValidationFailed(E.IMPORT_FILE_TYPE, message, fields={"file": [message]})
    if size is not None and size > MAX_FILE_BYTES:
        message = _("The file is larger than %(size)s MB; split it into several files.") % {
            "size": MAX_FILE_BYTES // (1024 * 1024)
        }
        raise ValidationFailed(E.IMPORT_FILE_SIZE, message, fields={"file": [message]})


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
    return file_error(
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
        raise file_error(_("The CSV file is neither UTF-8 nor GB18030 text."))
    if text.count("\n") > max_rows + SPARE_LINES:
        raise _too_many_rows(max_rows)
    first_line = text.split("\n", 1)[0]
    dialect = "excel-tab" if "\t" in first_line and "," not in first_line else "excel"
    try:
        return iter(list(csv.reader(io.StringIO(text, newline=""), dialect=dialect)))
    except csv.Error as exc:
        raise file_error(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc


def _xlsx_rows(content: bytes, max_rows: int) -> Iterator[Row]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(part.file_size for part in archive.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise file_error(
                    _("The workbook unpacks to more than %(size)s MB; split it into several files.")
                    % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)}
                )
            shape = _scan(archive, _first_sheet(archive))
    except ImportInvalid:
        raise
    except Exception as exc:  # a damaged archive or XML raises many types (zlib, encodings…)
        raise file_error(_("The file is not a readable XLSX workbook.")) from exc
    if max(shape.rows, shape.last_row) > max_rows + SPARE_LINES:
        raise _too_many_rows(max_rows)
    # calamine builds the whole grid from A1 to the last cell, and reads error cells (#N/A) as
    # empty: a sheet with cells far to the right, or with errors, is read by openpyxl, which
    # stops at MAX_COLUMNS and gives errors as their text (for the checks to name them).
    read = None if shape.wide or shape.errors else _calamine_rows(content)
    return iter(read) if read is not None else _openpyxl_rows(content)


def _calamine_rows(content: bytes) -> list[Row] | None:
    """The first sheet's cells read by calamine (a reader in Rust, ten times openpyxl's speed
    on a ledger of 5,000 rows, ADR 0065), as openpyxl gives them: None for an empty cell,
    at most ``MAX_COLUMNS`` columns. None when calamine cannot read the file or when a number
    in it is too large for a float to hold exactly (an ID number stored as a number by a
    program rather than Excel): openpyxl reads those as it always did."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        first = next(
            index
            for index, sheet in enumerate(workbook.sheets_metadata)
            if sheet.typ == SheetTypeEnum.WorkSheet
        )
        rows = workbook.get_sheet_by_index(first).to_python(skip_empty_area=False)
    except Exception:  # calamine raises its own types on a file it cannot read
        return None
    out: list[Row] = []
    for cells in rows:
        row = [None if cell == "" else cell for cell in cells[:MAX_COLUMNS]]
        if any(type(cell) is float and abs(cell) >= _EXACT_FLOATS for cell in row):
            return None
        out.append(row)
    return out


def _openpyxl_rows(content: bytes) -> Iterator[Row]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on a damaged or foreign file
        raise file_error(_("The file is not a readable XLSX workbook.")) from exc
    try:
        yield from workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True)
    except Exception as exc:
        raise file_error(_("The file is not a readable XLSX workbook.")) from exc
    finally:
        workbook.close()


# Floats hold every whole number below 2**53 exactly; past it a number may have lost digits.
_EXACT_FLOATS = float(2**53)


def _first_sheet(archive: zipfile.ZipFile) -> str:
    """The path in the archive of the workbook's first worksheet (a chart sheet before it
    holds no rows), as its relationships name it: ``xl/worksheets/sheet1.xml`` as Excel
    writes it, but writers differ."""
    workbook = _targets(archive, "", "_rels/.rels")
    path = next(target for kind, target in workbook.values() if kind.endswith("/officeDocument"))
    folder, _slash, name = path.rpartition("/")
    parts = _targets(archive, folder, f"{folder}/_rels/{name}.rels")
    for sheet in ElementTree.fromstring(archive.read(path)).iter():
        if sheet.tag.rpartition("}")[2] != "sheet":
            continue
        ids = [value for key, value in sheet.attrib.items() if key.endswith("}id")]
        kind, target = parts[ids[0]] if ids else ("", "")
        if kind.endswith("/worksheet"):
            return target
    raise KeyError("worksheet")


def _targets(archive: zipfile.ZipFile, folder: str, rels: str) -> dict[str, tuple[str, str]]:
    """The relationships of ``rels``: id → (type, the part's path, taken from ``folder``
    unless it starts from the root)."""
    found: dict[str, tuple[str, str]] = {}
    for relationship in ElementTree.fromstring(archive.read(rels.lstrip("/"))):
        target = relationship.get("Target", "")
        path = target[1:] if target.startswith("/") else f"{folder}/{target}" if folder else target
        path = posixpath.normpath(path)  # ./worksheets/sheet1.xml, ../xl/workbook.xml
        found[relationship.get("Id", "")] = (relationship.get("Type", ""), path)
    return found


@dataclass(frozen=True)
class _Shape:
    """What a sheet's XML says of its size before any cell is parsed."""

    rows: int  # <row> elements
    last_row: int  # the highest row number they give (a sheet may skip rows)
    wide: bool  # a cell past MAX_COLUMNS
    errors: bool  # a cell holding an error (#N/A, #DIV/0!)


# A row's number (rows come in ascending order: the last one's is the highest); a cell past
# column BL (MAX_COLUMNS = 64); a cell holding an error. Plain byte searches over the XML,
# which cost about as much as counting the rows: a false match in a cell's text only sends
# the file to openpyxl.
_ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"")
_WIDE_CELL = re.compile(rb"r=\"(?:[A-Z]{3}|B[M-Z]|[C-Z][A-Z])\d")
_ERROR_CELL = b' t="e"'
# Bytes kept from one chunk to the next, so that a tag split between them is still seen.
_OVERLAP = 256


def _scan(archive: zipfile.ZipFile, part_name: str) -> _Shape:
    """The shape of the sheet at ``part_name``, read from its XML without parsing a cell (the
    dimension a workbook declares is optional, and some writers leave it out)."""
    count, last_row, wide, errors, tail = 0, 0, False, False, b""
    with archive.open(part_name) as part:
        while chunk := part.read(1 << 20):
            data = tail + chunk
            # Counted in the new bytes only: the tail's tags were counted with the last chunk.
            count += _rows_in(data) - _rows_in(tail)
            last_row = max(last_row, _last_row_number(data))
            wide = wide or _WIDE_CELL.search(data) is not None
            errors = errors or _ERROR_CELL in data
            tail = data[-_OVERLAP:]
    return _Shape(count, last_row, wide, errors)


def _last_row_number(data: bytes) -> int:
    """The number of the last row tag in ``data`` (0 if none): looked for in its last 64 KB,
    where it is unless a row's cells are longer than that."""
    for start in (max(len(data) - (1 << 16), 0), 0):
        numbers = _ROW_NUMBER.findall(data, start)
        if numbers:
            return int(numbers[-1])
    return 0


def _rows_in(data: bytes) -> int:
    return data.count(b"<row ") + data.count(b"<row>")


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


def parse_date(value: object, text: str) -> dt.date | None:
    """A date cell: a real date, or text such as 2020-03-01, 2020/3/1, 2020年3月1日. None when
    the cell is blank or unreadable (the caller words the error for its column)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = DATE.match(text)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            return None
    return None
