"""The roster as XLSX, through the one export path (``core.xlsx``: formula-like text kept as
text). The columns are the import's, so an export of full data imports again elsewhere.
Personal data is masked unless the export asks for it in full; either way the export is one
audit event (with counts, never the data)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core import xlsx
from tiaojie.mediators import presenters
from tiaojie.mediators.choices import (
    Education,
    Employment,
    MembershipRole,
    PoliticalStatus,
    Source,
)
from tiaojie.mediators.roster_columns import COLUMNS, explanation

if TYPE_CHECKING:
    from tiaojie.accounts.models import User
    from tiaojie.mediators.models import Mediator

WIDTHS = [10, 22, 28, 10, 8, 14, 10, 12, 15, 30, 16, 8, 8, 24, 12]


def _label(enum: Any, value: str) -> str:
    return str(enum(value).label) if value else ""


def rows(mediators: QuerySet[Mediator], *, full: bool) -> list[list[Any]]:
    """One row per current membership (a person in two committees: two rows, as imported)."""
    out: list[list[Any]] = []
    for m in mediators.prefetch_related("expertise"):
        shown = (
            {"id_number": m.id_number, "phone": m.phone, "address": m.address}
            if full
            else presenters.masked(m)
        )
        expertise = "、".join(t.name for t in m.expertise.all())
        for membership in getattr(m, "current", []):
            out.append(
                [
                    m.name,
                    shown["id_number"],
                    membership.committee.name,
                    _label(MembershipRole, membership.role),
                    _label(Employment, m.employment),
                    _label(Source, m.source),
                    _label(Education, m.education),
                    _label(PoliticalStatus, m.political_status),
                    shown["phone"],
                    shown["address"],
                    m.certificate_number,
                    "是" if m.certified else "否",
                    m.grade.name if m.grade is not None else "",
                    expertise,
                    m.joined_on.isoformat(),
                ]
            )
    return out


def workbook(table: list[list[Any]], *, explain: bool = False) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Roster"))
    xlsx.set_widths(sheet, WIDTHS)
    sheet.append(xlsx.bold_row(sheet, [c.header for c in COLUMNS]))
    for values in table:
        sheet.append(xlsx.row(sheet, values))
    if explain:
        notes = book.create_sheet(_("Explanations"))
        xlsx.set_widths(notes, [16, 90])
        for column in COLUMNS:
            notes.append(xlsx.row(notes, [column.header, explanation(column)]))
    return xlsx.to_bytes(book)


def roster_response(user: User, mediators: QuerySet[Mediator], *, full: bool) -> HttpResponse:
    table = rows(mediators, full=full)
    body = workbook(table)
    audit.record(
        EventType.ROSTER_EXPORTED,
        actor=user,
        after={"format": "xlsx", "rows": len(table), "full": full},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(body, content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="roster-{stamp}.xlsx"'
    return response


def template_response() -> HttpResponse:
    response = HttpResponse(workbook([], explain=True), content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="roster-template.xlsx"'
    return response
