"""Writing XLSX downloads: the pieces every export shares (content type, a bold header row,
column widths, the bytes). Each app keeps its own columns; reading imports is
``core.spreadsheets``."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def bold_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """A header row for a write-only sheet (cells carry their style there)."""
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def set_widths(sheet: Any, widths: Sequence[float]) -> None:
    """Column widths from the first column on (Chinese text needs wider columns)."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def to_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
