"""What every import reads from an XLSX file (``imports.read_table``, ADR 0065): calamine reads
it, and the rows are what openpyxl gave before — empty cells None, dates as dates, numbers
whose digits a float would lose kept exact — from the sheet the workbook lists first."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from tiaojie.core import imports
from tiaojie.core.imports import ImportInvalid, cell_text, read_table


def _xlsx(workbook: Workbook) -> io.BytesIO:
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _texts(file: io.BytesIO) -> list[list[str]]:
    return [[cell_text(cell) for cell in row] for row in read_table(file, "ledger.xlsx")]


def _rewritten(workbook: Workbook, part_name: str, old: bytes, new: bytes) -> io.BytesIO:
    """The workbook saved, with ``old`` replaced by ``new`` in one of its parts."""
    rewritten = io.BytesIO()
    with (
        zipfile.ZipFile(_xlsx(workbook)) as source,
        zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for part in source.infolist():
            data = source.read(part)
            if part.filename == part_name:
                assert old in data
                data = data.replace(old, new)
            target.writestr(part, data)
    rewritten.seek(0)
    return rewritten


def test_cells_read_as_openpyxl_gave_them() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["台账"])  # a title line above the headers, as offices write them
    sheet.append(["登记日期", "涉及金额(元)", "涉及人数", "备注"])
    sheet.append([dt.date(2025, 3, 1), 1860.5, 3, None])
    # Spreadsheet times have no zone.
    written = dt.datetime(2025, 3, 2, 9, 30)  # noqa: DTZ001
    sheet.append([written, 3000, None, "  已回访  "])
    rows = [list(row) for row in read_table(_xlsx(workbook), "ledger.xlsx")]
    assert rows[0][:2] == ["台账", None]
    assert rows[2][0] in (dt.date(2025, 3, 1), written.replace(day=1, hour=0, minute=0))
    assert rows[2][3] is None
    assert [[cell_text(c) for c in row] for row in rows[2:]] == [
        ["2025-03-01", "1860.5", "3", ""],
        ["2025-03-02T09:30:00", "3000", "", "已回访"],
    ]
    assert imports.parse_date(rows[2][0], cell_text(rows[2][0])) == dt.date(2025, 3, 1)


def test_an_id_number_stored_as_a_number_keeps_every_digit() -> None:
    """A program (not Excel, which keeps 15 digits) may store an 18-digit ID number as a
    whole number: a float would change its last digits, so such a file is read as before."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["申请人", "申请人身份证号"])
    sheet.append(["王建华", 7])
    rewritten = _rewritten(
        workbook, "xl/worksheets/sheet1.xml", b"<v>7</v>", b"<v>110101199003077777</v>"
    )
    assert _texts(rewritten)[1][:2] == ["王建华", "110101199003077777"]


def test_the_sheet_the_workbook_lists_first_is_read_and_counted() -> None:
    workbook = Workbook()
    notes = workbook.active
    assert notes is not None
    notes.title = "说明"
    ledger = workbook.create_sheet("台账")
    ledger.append(["登记日期"])
    for day in range(1, 6):
        ledger.append([f"2025-03-0{day}"])
    workbook.move_sheet(ledger, offset=-1)  # 台账 is now first, stored as the second part
    assert workbook.sheetnames == ["台账", "说明"]
    assert [row[0] for row in _texts(_xlsx(workbook))] == [
        "登记日期",
        *(f"2025-03-0{day}" for day in range(1, 6)),
    ]


def test_rows_are_counted_in_the_first_sheet_before_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(imports, "SPARE_LINES", 0)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for n in range(4):
        sheet.append([f"第{n}行"])
    with pytest.raises(ImportInvalid) as caught:
        read_table(_xlsx(workbook), "ledger.xlsx", max_rows=3)
    assert caught.value.errors[0].reason == _(
        "The file has more than %(max)s rows; split it into several files."
    ) % {"max": "3"}
    assert len(list(read_table(_xlsx(workbook), "ledger.xlsx", max_rows=4))) == 4


def test_cells_past_the_last_column_read_are_left_out() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([f"列{n}" for n in range(imports.MAX_COLUMNS + 5)])
    (row,) = read_table(_xlsx(workbook), "ledger.xlsx")
    assert len(row) == imports.MAX_COLUMNS


def test_a_chart_sheet_before_the_ledger_is_passed_over() -> None:
    """openpyxl's first worksheet was the first sheet with cells; a chart sheet an office put
    in front of its ledger holds none."""
    workbook = Workbook()
    ledger = workbook.active
    assert ledger is not None
    ledger.title = "台账"
    ledger.append(["登记日期"])
    ledger.append(["2025-03-01"])
    chart = BarChart()
    chart.add_data(Reference(ledger, min_col=1, min_row=1, max_row=2))
    workbook.create_chartsheet("统计图", 0).add_chart(chart)
    assert workbook.sheetnames == ["统计图", "台账"]
    assert [row[0] for row in _texts(_xlsx(workbook))] == ["登记日期", "2025-03-01"]


def test_an_error_cell_is_read_as_its_text_for_the_checks_to_name() -> None:
    """A ledger filled by VLOOKUP holds #N/A where nothing was found: the import must say so
    rather than take it for a blank cell."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["纠纷类型", "涉及金额(元)"])
    sheet.append(["#N/A", "#DIV/0!"])
    assert _texts(_xlsx(workbook))[1][:2] == ["#N/A", "#DIV/0!"]


def test_a_cell_far_to_the_right_or_below_costs_nothing_to_read() -> None:
    """Two cells, at A1 and far away: a reader that fills the grid between them would need
    gigabytes (a 5 KB upload could stop the server)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "登记日期"
    sheet["XFD1"] = "备注"
    (row,) = read_table(_xlsx(workbook), "ledger.xlsx")
    assert row[0] == "登记日期" and len(row) == imports.MAX_COLUMNS
    sheet["A1048576"] = "末行"
    with pytest.raises(ImportInvalid) as caught:
        read_table(_xlsx(workbook), "ledger.xlsx")
    assert caught.value.errors[0].reason == _(
        "The file has more than %(max)s rows; split it into several files."
    ) % {"max": f"{imports.MAX_ROWS:,}"}


def test_a_damaged_workbook_is_refused_with_the_message_not_an_error() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for n in range(200):
        sheet.append([f"第{n}行", n])
    content = bytearray(_xlsx(workbook).getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    # Scramble the middle of the sheet's compressed bytes: the zip's directory stays intact.
    start = info.header_offset + 30 + len(info.filename) + info.compress_size // 3
    content[start : start + 40] = bytes(40)
    with pytest.raises(ImportInvalid) as caught:
        read_table(io.BytesIO(bytes(content)), "ledger.xlsx")
    assert caught.value.errors[0].reason == _("The file is not a readable XLSX workbook.")


def test_relationship_targets_written_with_dots_are_followed() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["登记日期"])
    dotted = _rewritten(
        workbook,
        "xl/_rels/workbook.xml.rels",
        b'Target="/xl/worksheets/sheet1.xml"',
        b'Target="./worksheets/../worksheets/sheet1.xml"',
    )
    assert [row[0] for row in _texts(dotted)] == ["登记日期"]
