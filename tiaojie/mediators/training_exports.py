"""The training report's lists as XLSX, through the one export path (``core.xlsx``). Names,
committees and dates only: no personal data. Every export is one audit event."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core import xlsx
from tiaojie.mediators import training
from tiaojie.mediators.models import Mediator, Membership

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

LISTS = ("untrained", "new", "hours")


def _committees(mediators: list[Mediator]) -> dict[int, str]:
    names: dict[int, list[str]] = {}
    for m in Membership.objects.filter(mediator__in=mediators, until__isnull=True).select_related(
        "committee"
    ):
        names.setdefault(m.mediator_id, []).append(m.committee.name)
    return {k: "、".join(v) for k, v in names.items()}


def _day(value: Any) -> str:
    return value.isoformat() if value else ""


def table(user: User, which: str, year: int) -> tuple[str, list[str], list[list[Any]]]:
    if which == "hours":
        rows = training.hours_in_year(user, year)
        names = _committees([r.mediator for r in rows])
        return (
            _("Training hours %(year)s") % {"year": year},
            [_("Name"), _("Committees"), _("Courses"), _("Hours")],
            [
                [r.mediator.name, names.get(r.mediator.pk, ""), r.courses, float(r.hours)]
                for r in rows
            ],
        )
    found = training.coverage(user)
    gaps = found.untrained if which == "untrained" else found.new_untrained
    names = _committees([g.mediator for g in gaps])
    title = _("Not trained within the period") if which == "untrained" else _("New, not trained")
    return (
        title,
        [_("Name"), _("Committees"), _("Joined on"), _("Last trained"), _("Due since")],
        [
            [
                g.mediator.name,
                names.get(g.mediator.pk, ""),
                _day(g.mediator.joined_on),
                _day(g.last_trained),
                _day(g.due_since),
            ]
            for g in gaps
        ],
    )


def response(user: User, which: str, year: int) -> HttpResponse:
    title, headers, rows = table(user, which, year)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    xlsx.set_widths(sheet, [12, 36, 12, 12, 12])
    sheet.append(xlsx.bold_row(sheet, headers))
    for values in rows:
        sheet.append(xlsx.row(sheet, values))
    audit.record(
        EventType.TRAINING_EXPORTED,
        actor=user,
        after={"format": "xlsx", "list": which, "year": year, "rows": len(rows)},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    out = HttpResponse(xlsx.to_bytes(book), content_type=xlsx.CONTENT_TYPE)
    out["Content-Disposition"] = f'attachment; filename="training-{which}-{stamp}.xlsx"'
    return out
