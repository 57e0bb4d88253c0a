"""``{% ledger_rows page offset can_close today %}``: the ledger's rows, written in Python."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tiaojie.cases.models import Case
from tiaojie.cases.templatetags.case_tags import status_tag
from tiaojie.core.templatetags.cn_format import day
from tiaojie.core.templatetags.row_urls import row_url
from tiaojie.supervision.ledger import close_out_of

register = template.Library()


def _close_out_cell(case: Case, closed: bool) -> SafeString:
    """The action cell: reopen a closed-out case, close out one that may be, or why not."""
    if not case.may_close:  # type: ignore[attr-defined]  # set by the view
        return format_html('<td class="nowrap" id="closeout-{}"></td>', case.pk)
    if closed:
        url, label = row_url("supervision:close_out_reopen", case.pk), _("Reopen")
    elif not case.refusal:  # type: ignore[attr-defined]
        url, label = row_url("supervision:close_out", case.pk), _("Close out")
    else:
        return format_html(
            '<td class="nowrap" id="closeout-{}"><span class="muted small" title="{}">{}</span>'
            "</td>",
            case.pk,
            case.refusal,  # type: ignore[attr-defined]
            _("Still open"),
        )
    return format_html(
        '<td class="nowrap" id="closeout-{0}"><button type="button" class="button small" '
        'hx-get="{1}" hx-target="#closeout-{0}">{2}</button></td>',
        case.pk,
        url,
        label,
    )


@register.simple_tag
def ledger_rows(page: Iterable[Case], offset: int, can_close: bool, today: dt.date) -> SafeString:
    """The ledger's rows (``supervision/partials/ledger_table.html``), as the template wrote
    them, with the same escaping (``format_html``), as the case list's are (ADR 0074).
    Rendering was about half of the ledger page's CPU under the load test (stop 37); with its
    25 rows of 14 cells written here, the page costs 10–13 % less in ``bench/pages.py``.
    ``supervision/tests/test_ledger_rows.py`` compares the two."""
    cases = list(page)
    if not cases:
        return format_html(
            '<tr><td colspan="14" class="empty">{}</td></tr>', _("Nothing on the ledger matches.")
        )
    rows = []
    for index, case in enumerate(cases, start=1):
        close_out = close_out_of(case)
        limit = case.time_limit  # type: ignore[attr-defined]  # set by the view
        late = bool(limit) and limit < today and not case.closed_on
        serving = case.active_mediators  # type: ignore[attr-defined]  # selectors.with_columns
        parties = list(case.parties.all())
        names = format_html_join(
            "",
            '<span class="party-name">{}{}</span>',
            ((p.name, "、" if i < len(parties) - 1 else "") for i, p in enumerate(parties)),
        )
        supervisions = format_html_join(
            "",
            '<a class="tag tag-warn" href="{}">{} · {}</a>',
            (
                (
                    row_url("supervision:supervision_detail", s.pk),
                    s.supervising_org.short_name or s.supervising_org.name,
                    day(s.deadline),
                )
                for s in case.open_supervisions  # type: ignore[attr-defined]
            ),
        )
        rows.append(
            format_html(
                '<tr id="ledger-row-{0}" data-case="{0}">'
                "\n    <td>{1}</td>"
                '\n    <td class="nowrap">{2}</td>'
                '\n    <td class="nowrap"><a href="{3}">{4}</a></td>'
                "\n    <td>{5}</td>"
                '\n    <td class="ledger-parties">{6}</td>'
                '\n    <td class="ledger-summary">{7}</td>'
                "\n    <td>{8}</td>"
                "\n    <td>{9}</td>"
                '\n    <td class="nowrap{10}">{11}</td>'
                "\n    <td>{12}</td>"
                "\n    <td>{13}</td>"
                '\n    <td class="nowrap">{14}</td>'
                "\n    <td>{15}</td>"
                "\n    {16}"
                "\n  </tr>",
                case.pk,
                offset + index,
                day(case.registered_at),
                row_url("cases:case_detail", case.pk),
                case.number,
                case.dispute_type.name,
                names,
                case.summary,
                case.committee.short_name or case.committee.name,
                serving[0].mediator.full_name if serving else "—",
                " overdue" if late else "",
                day(limit) or "—",
                status_tag(case),
                supervisions,
                day(close_out.closed_on) if close_out else "",
                close_out.get_reason_display() if close_out else "",
                _close_out_cell(case, close_out is not None) if can_close else "",
            )
        )
    return mark_safe("\n  ".join(rows))  # noqa: S308 (each row built by format_html)
