"""The case list as CSV or XLSX: the same filters as the page, one row per case, the parties'
ID numbers, phones and addresses masked unless the exporting role may see personal data."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from tiaojie.cases.choices import PartyRole
from tiaojie.cases.models import Case, CaseMediator, Party
from tiaojie.core import xlsx
from tiaojie.core.masking import mask_address, mask_id_number, mask_phone

EXPORT_LIMIT = 100_000
SEP = "；"
XLSX_CONTENT_TYPE = xlsx.CONTENT_TYPE

Shown = Callable[[str], str]


def _plain(value: str) -> str:
    return value


@dataclass(frozen=True)
class Column:
    header: str | Promise
    width: int
    value: Callable[[Case, Callable[[str], Shown]], Any]


def _parties(case: Case, role: str) -> list[Party]:
    return [p for p in case.parties.all() if p.role == role]


def _join(values: Iterable[str]) -> str:
    return SEP.join(v for v in values if v)


def _party_column(role: str, attr: str, masker: Shown | None) -> Callable[..., str]:
    def value(case: Case, show: Callable[[str], Shown]) -> str:
        render = show(attr) if masker else _plain
        return _join(render(getattr(p, attr) or "") for p in _parties(case, role))

    return value


def _date(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return str(value.strftime("%Y-%m-%d"))


def _party_columns(role: str, headers: tuple[Promise, Promise, Promise, Promise]) -> list[Column]:
    name, id_number, phone, address = headers
    return [
        Column(name, 16, _party_column(role, "name", None)),
        Column(id_number, 22, _party_column(role, "id_number", mask_id_number)),
        Column(phone, 16, _party_column(role, "phone", mask_phone)),
        Column(address, 28, _party_column(role, "address", mask_address)),
    ]


def columns() -> list[Column]:
    """The export's columns, built per request so headers follow the user's language."""
    return [
        Column(_("Case number"), 30, lambda c, s: c.number),
        Column(_("Registered on"), 12, lambda c, s: _date(c.registered_at)),
        Column(_("Committee"), 24, lambda c, s: c.committee.name),
        Column(_("Dispute type"), 14, lambda c, s: c.dispute_type.name),
        Column(_("Source"), 14, lambda c, s: c.get_source_display()),
        Column(_("Brief description"), 40, lambda c, s: c.summary),
        Column(_("Status"), 10, lambda c, s: c.get_status_display()),
        *_party_columns(
            PartyRole.APPLICANT,
            (
                _("Applicants"),
                _("Applicants' ID numbers"),
                _("Applicants' phones"),
                _("Applicants' addresses"),
            ),
        ),
        *_party_columns(
            PartyRole.RESPONDENT,
            (
                _("Respondents"),
                _("Respondents' ID numbers"),
                _("Respondents' phones"),
                _("Respondents' addresses"),
            ),
        ),
        Column(
            _("Mediators"),
            16,
            lambda c, s: _join(m.mediator.full_name for m in getattr(c, "active_mediators", [])),
        ),
        Column(_("Amount (yuan)"), 12, lambda c, s: "" if c.amount is None else str(c.amount)),
        Column(_("Complex"), 6, lambda c, s: _("Yes") if c.is_complex else ""),
        Column(_("Group dispute"), 6, lambda c, s: _("Yes") if c.is_group else ""),
        Column(_("Accepted on"), 12, lambda c, s: _date(c.accepted_on)),
        Column(_("Due on"), 12, lambda c, s: _date(c.extended_to or c.due_on)),
        Column(_("Closed on"), 12, lambda c, s: _date(c.closed_on)),
        Column(_("Performance"), 10, lambda c, s: c.get_performance_display()),
    ]


MASKERS: dict[str, Shown] = {
    "id_number": mask_id_number,
    "phone": mask_phone,
    "address": mask_address,
}


def export_queryset(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("committee", "dispute_type").prefetch_related(
        "parties",
        Prefetch(
            "mediators",
            queryset=CaseMediator.objects.filter(withdrawn_at__isnull=True).select_related(
                "mediator"
            ),
            to_attr="active_mediators",
        ),
    )


def rows(qs: QuerySet[Case], *, masked: bool) -> Iterator[list[str]]:
    """The header, then one row per case (at most ``EXPORT_LIMIT``), oldest first."""

    def show(attr: str) -> Shown:
        return MASKERS[attr] if masked else _plain

    cols = columns()
    yield [str(c.header) for c in cols]
    cases = export_queryset(qs).order_by("registered_at", "id")[:EXPORT_LIMIT]
    for case in cases.iterator(chunk_size=1000):
        yield [str(c.value(case, show)) for c in cols]


def to_csv(table: Iterable[list[str]]) -> tuple[bytes, int]:
    """UTF-8 with a BOM, so that Excel opens the Chinese correctly; and the number of cases."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = xlsx.csv_writer(out)
    count = -1
    for row in table:
        writer.writerow(row)
        count += 1
    return out.getvalue().encode("utf-8"), count


def to_xlsx(table: Iterable[list[str]]) -> tuple[bytes, int]:
    """One sheet, header bold and frozen, column widths set for Chinese text."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("Cases")))
    xlsx.set_widths(sheet, [column.width for column in columns()])
    sheet.freeze_panes = "A2"
    count = -1
    for row in table:
        sheet.append(xlsx.row(sheet, row, bold=count < 0))
        count += 1
    return xlsx.to_bytes(book), count
