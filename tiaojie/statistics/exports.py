"""The report as XLSX (through the project's one export path, ``core.xlsx``) and as PDF
(``core.printing``: CJK fonts, nothing fetched, under time and memory limits)."""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook

from tiaojie.core import printing, xlsx
from tiaojie.statistics.report import Report


def title(report: Report) -> str:
    return _("%(organisation)s people's mediation statistics, %(period)s") % {
        "organisation": report.organisation.name,
        "period": report.period.label,
    }


def _number(value: Decimal, amount: bool) -> float | int:
    return float(value) if amount or value != value.to_integral_value() else int(value)


def report_xlsx(report: Report) -> bytes:
    """The official layout: a title row, the column groups, the headers, one row per
    organisation, the total."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(report.period.code)
    sheet.append(xlsx.row(sheet, [title(report)], bold=True))
    groups: list[str] = [""]
    for group, span in report.groups():
        groups += [group] + [""] * (span - 1)
    sheet.append(xlsx.bold_row(sheet, groups))
    sheet.append(xlsx.bold_row(sheet, [_("Organisation")] + [c.header for c in report.columns]))
    for row in [*report.rows, report.total]:
        values = [_number(row.value(c), c.amount or c.is_rate) for c in report.columns]
        sheet.append(xlsx.row(sheet, [row.label, *values], bold=row.organisation is None))
    xlsx.set_widths(sheet, [28] + [10] * len(report.columns))
    return xlsx.to_bytes(book)


def report_pdf(report: Report) -> bytes:
    html = render_to_string(
        "statistics/report_pdf.html", {"report": report, "title": title(report)}
    )
    return printing.pdf_from_html(html, what=_("the statistics report"))
