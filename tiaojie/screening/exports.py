"""A campaign's report: XLSX through the one export path (``core.xlsx``) and PDF through
``core.printing`` (the CJK fonts the documents use, under time and memory limits). Counts and organisations only (no case
contents); every download is recorded in the audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core import printing, xlsx
from tiaojie.screening.services.campaigns import daily, progress

if TYPE_CHECKING:
    from tiaojie.accounts.models import User
    from tiaojie.screening.models import Campaign


def _context(campaign: Campaign) -> dict[str, Any]:
    rows = progress(campaign)
    return {
        "campaign": campaign,
        "rows": rows,
        "days": daily(campaign),
        "total_target": sum(r.target for r in rows),
        "total_screened": sum(r.screened for r in rows),
        "total_resolved": sum(r.resolved for r in rows),
        "printed_on": timezone.localdate(),
    }


def workbook(campaign: Campaign) -> bytes:
    context = _context(campaign)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("By organisation"))
    sheet.append(
        xlsx.bold_row(
            sheet,
            [
                _("Organisation"),
                _("Target"),
                _("Disputes screened"),
                _("Disputes resolved"),
                _("Done (%)"),
            ],
        )
    )
    for r in context["rows"]:
        sheet.append(xlsx.row(sheet, [r.organisation, r.target, r.screened, r.resolved, r.percent]))
    days = book.create_sheet(_("By day"))
    days.append(xlsx.bold_row(days, [_("Day"), _("Disputes screened"), _("Disputes resolved")]))
    for day, screened, resolved in context["days"]:
        days.append(xlsx.row(days, [day.isoformat(), screened, resolved]))
    return xlsx.to_bytes(book)


def pdf(campaign: Campaign) -> bytes:
    html = render_to_string("screening/pdf/campaign_report.html", _context(campaign))
    return printing.pdf_from_html(html, what=_("the campaign report"))


def report_response(user: User, campaign: Campaign, kind: str) -> HttpResponse:
    """The download as ``kind`` ("xlsx" or "pdf"), recorded in the audit trail."""
    if kind == "pdf":
        body, content_type = pdf(campaign), "application/pdf"
    else:
        body, content_type = workbook(campaign), xlsx.CONTENT_TYPE
    audit.record(
        EventType.CAMPAIGN_REPORT_EXPORTED,
        actor=user,
        organisation=campaign.owner,
        obj=campaign,
        after={"format": kind},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="campaign-{campaign.pk}-{stamp}.{kind}"'
    )
    return response
