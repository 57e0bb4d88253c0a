"""Writing XLSX and CSV downloads: the one export path every export goes through.

Besides the pieces every export shares (content type, a bold header row, column widths, the
bytes), it makes what users typed safe to open in a spreadsheet:

* **Formula injection.** Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return would be taken for a formula by Excel or WPS. In XLSX such text is written as a text
  cell with the "quote prefix" style (what typing a leading apostrophe does: shown exactly as
  typed, and stays text when edited); in CSV, which has no types, an apostrophe is put in front.
* **Characters XML cannot hold.** A control character stored in a field (U+0000–U+001F other
  than tab, line feed and carriage return) would make the XLSX writer fail; it is removed.

Each app keeps its own columns; reading imports is ``core.spreadsheets``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0 refuses (openpyxl's own test), plus the non-characters U+FFFE and U+FFFF.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(value: str) -> str:
    """``value`` without the characters a spreadsheet file cannot hold."""
    return _ILLEGAL.sub("", value)


def is_formula_like(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


def cell(sheet: Any, value: Any, *, bold: bool = False) -> Any:
    """A cell for ``sheet`` (write-only or not) holding ``value`` safely."""
    if isinstance(value, str):
        value = clean_text(value)
    # openpyxl turns a string starting with "=" into a formula: make the text cell by hand.
    formula_like = isinstance(value, str) and is_formula_like(value)
    out = WriteOnlyCell(sheet, value=value)
    if formula_like:
        # After the value: openpyxl has just typed it "f" (formula) if it starts with "=".
        out.data_type = "s"
        out.quotePrefix = True
    if bold:
        out.font = Font(bold=True)
    return out


def row(sheet: Any, values: Iterable[Any], *, bold: bool = False) -> list[Any]:
    """A row of safe cells, for ``sheet.append``."""
    return [cell(sheet, value, bold=bold) for value in values]


def bold_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """A header row for a write-only sheet (cells carry their style there)."""
    return row(sheet, values, bold=True)


def set_widths(sheet: Any, widths: Sequence[float]) -> None:
    """Column widths from the first column on (Chinese text needs wider columns)."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def to_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_value(value: Any) -> Any:
    """A CSV field that no spreadsheet will evaluate."""
    if not isinstance(value, str):
        return value
    value = clean_text(value)
    return f"'{value}" if is_formula_like(value) else value


class _Writable(Protocol):
    def write(self, s: str, /) -> Any: ...


class SafeCsvWriter:
    """``csv.writer`` whose every field goes through ``csv_value``."""

    def __init__(self, out: _Writable) -> None:
        self._writer = csv.writer(out)

    def writerow(self, values: Iterable[Any]) -> None:
        self._writer.writerow([csv_value(v) for v in values])


def csv_writer(out: _Writable) -> SafeCsvWriter:
    return SafeCsvWriter(out)
