"""The ledger's columns, as bureaus keep it (矛盾纠纷排查化解台账), for the page and the XLSX
export alike. Parties appear by name only: never an ID number, phone or address."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from tiaojie.cases.choices import PartyRole
from tiaojie.cases.models import Case
from tiaojie.core import xlsx
from tiaojie.organisations.models import Organisation
from tiaojie.supervision.choices import CloseOutReason
from tiaojie.supervision.ledger import close_out_of

EXPORT_LIMIT = 50_000
ROLE_ORDER: dict[str, int] = {
    PartyRole.APPLICANT: 0,
    PartyRole.RESPONDENT: 1,
    PartyRole.THIRD_PARTY: 2,
}


def _date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d")


def parties(case: Case) -> str:
    """Names only, applicants first."""
    people = sorted(case.parties.all(), key=lambda p: (ROLE_ORDER.get(p.role, 9), p.pk))
    return "、".join(p.name for p in people)


def responsible(case: Case) -> str:
    """The presiding mediator (the list is ordered presiding first)."""
    serving = getattr(case, "active_mediators", [])
    return serving[0].mediator.full_name if serving else ""


def time_limit(case: Case) -> dt.date | None:
    return case.extended_to or case.due_on


def supervision(case: Case) -> str:
    open_now = getattr(case, "open_supervisions", [])
    if not open_now:
        return ""
    sup = open_now[0]
    return _("%(org)s, due %(deadline)s") % {
        "org": sup.supervising_org.short_name or sup.supervising_org.name,
        "deadline": _date(sup.deadline),
    }


@dataclass(frozen=True)
class Column:
    header: str | Promise
    width: int
    value: Callable[[Case, int], str]


def columns() -> list[Column]:
    """序号, 登记日期, 案件编号, 纠纷类型, 当事人, 简要情况, 责任单位, 责任人, 办理时限, 进展,
    督办, 销号日期, 销号原因 (headers translated per request)."""

    def closed_on(case: Case, index: int) -> str:
        item = close_out_of(case)
        return _date(item.closed_on) if item else ""

    def reason(case: Case, index: int) -> str:
        item = close_out_of(case)
        return str(CloseOutReason(item.reason).label) if item else ""

    return [
        Column(gettext_lazy("No."), 6, lambda c, i: str(i)),
        Column(gettext_lazy("Registered on"), 12, lambda c, i: _date(c.registered_at)),
        Column(gettext_lazy("Case number"), 28, lambda c, i: c.number),
        Column(gettext_lazy("Dispute type"), 14, lambda c, i: c.dispute_type.name),
        Column(gettext_lazy("Parties"), 20, lambda c, i: parties(c)),
        Column(gettext_lazy("Brief description"), 40, lambda c, i: c.summary),
        Column(gettext_lazy("Responsible unit"), 24, lambda c, i: c.committee.name),
        Column(gettext_lazy("Responsible person"), 10, lambda c, i: responsible(c)),
        Column(gettext_lazy("Time limit"), 12, lambda c, i: _date(time_limit(c))),
        Column(gettext_lazy("Progress"), 10, lambda c, i: c.get_status_display()),
        Column(gettext_lazy("Supervision"), 20, lambda c, i: supervision(c)),
        Column(gettext_lazy("Closed out on"), 12, closed_on),
        Column(gettext_lazy("Close-out reason"), 16, reason),
    ]


def title(org: Organisation, month: dt.date) -> str:
    # zh-Hans: "%(organisation)s矛盾纠纷排查化解台账（%(year)s年%(month)s月）"
    return _("%(organisation)s ledger of disputes screened and resolved (%(year)s-%(month)s)") % {
        "organisation": org.name,
        "year": month.year,
        "month": month.month,
    }


def to_xlsx(org: Organisation, month: dt.date, cases: Iterable[Case]) -> tuple[bytes, int]:
    """The title row across all columns, the header row (bold, frozen), one row per case (at
    most ``EXPORT_LIMIT``: slice a queryset before, so no more are fetched)."""
    cols = columns()
    book = Workbook(write_only=False)
    sheet = book.create_sheet(index=0)
    book.remove(book.worksheets[1])
    sheet.title = str(_("Ledger"))
    sheet.append(xlsx.row(sheet, [title(org, month)]))
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(cols))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(xlsx.row(sheet, [str(c.header) for c in cols]))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    xlsx.set_widths(sheet, [column.width for column in cols])
    sheet.freeze_panes = "A3"
    count = 0
    for count, case in enumerate(islice(cases, EXPORT_LIMIT), start=1):
        sheet.append(xlsx.row(sheet, [c.value(case, count) for c in cols]))
    return xlsx.to_bytes(book), count
