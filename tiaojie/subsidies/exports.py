"""A sheet as XLSX through the one export path (``core.xlsx``: formula injection neutralised):
the summary, every case behind each amount and every excluded case with its reason, and the
total per mediator. Case numbers, tiers and amounts only: no parties, no narratives."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from tiaojie.core import xlsx
from tiaojie.subsidies import selectors
from tiaojie.subsidies.choices import Tier
from tiaojie.subsidies.presenters import basis_text, exclusion_text

if TYPE_CHECKING:
    from tiaojie.subsidies.models import SubsidySheet


def _sheet(book: Workbook, title: str, headers: list[str], rows: list[list[Any]]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(xlsx.bold_row(sheet, headers))
    for row in rows:
        sheet.append(xlsx.row(sheet, row))


def workbook(sheet: SubsidySheet) -> bytes:
    book = Workbook(write_only=True)
    lines = list(sheet.lines.prefetch_related("shares__mediator"))
    month = f"{sheet.month.year}年{sheet.month.month}月"
    _sheet(
        book,
        _("Summary"),
        [_("Committee"), _("Month"), _("Rules"), _("Status"), _("Cases paid"), _("Total (yuan)")],
        [
            [
                sheet.committee.name,
                month,
                str(sheet.rule_set) if sheet.rule_set else "",
                sheet.get_status_display(),
                sheet.counted,
                float(sheet.total),
            ]
        ],
    )
    _sheet(
        book,
        _("Cases paid"),
        [
            _("Case number"),
            _("Ended on"),
            _("Tier"),
            _("Why this tier"),
            _("Amount (yuan)"),
            _("Paid to"),
        ],
        [
            [
                line.case_number,
                line.closed_on,
                str(Tier(line.tier).label),
                "；".join(t for t in (basis_text(line), line.carry_note) if t),
                float(line.amount),
                "、".join(f"{s.mediator.full_name} {s.amount}" for s in line.shares.all()),
            ]
            for line in lines
            if not line.exclusion
        ],
    )
    _sheet(
        book,
        _("Cases excluded"),
        [_("Case number"), _("Ended on"), _("Why excluded")],
        [
            [line.case_number, line.closed_on, exclusion_text(line)]
            for line in lines
            if line.exclusion
        ],
    )
    _sheet(
        book,
        _("By mediator"),
        [_("Mediator"), _("Cases"), _("Amount (yuan)")],
        [
            [row["mediator__full_name"], row["cases"], float(row["total"])]
            for row in selectors.mediator_totals(sheet)
        ],
    )
    return xlsx.to_bytes(book)
