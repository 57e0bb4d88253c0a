"""A round's results as XLSX: by committee, by presiding mediator, and each file's total.
No case contents (no parties, no narrative): case numbers, organisations, names of staff and
scores only. Every export is recorded in the audit trail."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.exports import XLSX_CONTENT_TYPE
from tiaojie.core import xlsx
from tiaojie.reviews.choices import SampleReason
from tiaojie.reviews.selectors import Group, Results, results

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    from tiaojie.accounts.models import User
    from tiaojie.reviews.models import ReviewRound


def _number(value: Decimal | None) -> float | str:
    return float(value) if value is not None else ""


def _lowest(group: Group) -> str:
    return "；".join(f"{label} {share}%" for label, share in group.lowest_items)


def _sheet(book: Workbook, title: str, headers: list[str], rows: list[list[Any]]) -> None:
    sheet: WriteOnlyWorksheet = book.create_sheet(title)
    sheet.append(xlsx.bold_row(sheet, headers))
    for row in rows:
        sheet.append(xlsx.row(sheet, row))


def workbook(found: Results) -> bytes:
    book = Workbook(write_only=True)
    group_headers = [
        _("Name"),
        _("Files reviewed"),
        _("Average total"),
        _("Lowest total"),
        _("Weakest items (average share of points, in per cent)"),
    ]

    def group_rows(groups: list[Group]) -> list[list[Any]]:
        return [
            [g.name, g.reviewed, _number(g.average), _number(g.minimum), _lowest(g)] for g in groups
        ]

    _sheet(book, _("By committee"), group_headers, group_rows(found.committees))
    _sheet(book, _("By mediator"), group_headers, group_rows(found.mediators))
    _sheet(
        book,
        _("Case files"),
        [_("Case number"), _("Committee"), _("Reason"), _("Reviewer"), _("Total")],
        [
            [
                r.case.number,
                r.committee.name,
                str(SampleReason(r.reason).label),
                r.reviewer.full_name if r.reviewer else "",
                _number(r.total),
            ]
            for r in found.reviews
        ],
    )
    return xlsx.to_bytes(book)


def results_response(user: User, review_round: ReviewRound) -> HttpResponse:
    """The download, recorded (REVIEW_RESULTS_EXPORTED) with counts only."""
    found = results(review_round)
    body = workbook(found)
    audit.record(
        EventType.REVIEW_RESULTS_EXPORTED,
        actor=user,
        organisation=review_round.owner,
        obj=review_round,
        after={"format": "xlsx", "rows": len(found.reviews)},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="review-{review_round.year}q{review_round.quarter}-{stamp}.xlsx"'
    )
    return response
