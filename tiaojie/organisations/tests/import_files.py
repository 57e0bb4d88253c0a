"""Import files built in memory for the tests: a good tree under 东湖区司法局, as XLSX or CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from openpyxl import Workbook

HEADERS = [
    "编号",
    "上级编号",
    "名称",
    "类型",
    "调委会类型",
    "行业",
    "派驻单位",
    "区划代码",
    "成立日期",
]

# Rows in the spreadsheet's order: a child before its parent on purpose. Row 2 is the first.
GOOD_ROWS: list[dict[str, object]] = [
    {"编号": "G1", "上级编号": "C1", "名称": "第一网格", "类型": "网格"},
    {"编号": "S1", "名称": "新湖街道司法所", "类型": "司法所", "区划代码": "990102009"},
    {
        "编号": "C1",
        "上级编号": "S1",
        "名称": "新湖社区人民调解委员会",
        "类型": "调委会",
        "调委会类型": "村(居)民调委会",
        "区划代码": "990102009001",
        "成立日期": "2020年3月1日",
    },
    {
        "编号": "M1",
        "名称": "东湖区物业纠纷人民调解委员会",
        "类型": "调委会",
        "调委会类型": "行业性专业性调委会",
        "行业": "物业",
    },
    {
        "编号": "P1",
        "上级编号": "S1",
        "名称": "新湖派出所人民调解室",
        "类型": "committee",
        "调委会类型": "派驻",
        "派驻单位": "派出所",
    },
]
# The spreadsheet row of the first row appended after GOOD_ROWS.
NEXT_ROW = len(GOOD_ROWS) + 2


def table(
    rows: Sequence[Mapping[str, object]], headers: Sequence[str] = HEADERS
) -> list[list[object]]:
    """The header row and each row's cells in header order."""
    return [list(headers), *([row.get(h, "") for h in headers] for row in rows)]


def xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    for cells in rows:
        sheet.append(list(cells))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[object]], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)
