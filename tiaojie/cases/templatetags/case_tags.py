"""``{% status_tag case %}``: a case's status as the tag every list and page shows;
``{% case_rows page show_committee %}``: the case list's rows."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.models import Case
from tiaojie.core.formatting import choice_label
from tiaojie.core.templatetags.cn_format import day
from tiaojie.core.templatetags.row_urls import row_url

register = template.Library()


@register.simple_tag
def status_tag(case: Case) -> SafeString:
    """A tag rather than an included template: a list of 50 cases spent 1.5 ms including one
    and asking for each status label (ADR 0070)."""
    return format_html(
        '<span class="tag status status-{0}" data-status="{0}">{1}</span>',
        case.status,
        choice_label(CaseStatus, case.status),
    )


@register.simple_tag
def case_rows(page: Iterable[Case], show_committee: bool) -> SafeString:
    """The case list's rows (``cases/partials/case_table.html``), written in Python.

    Fifty rows of seven cells through the template engine were a third of the case list's CPU
    and the list and search are nearly half of what the server does under load (ADR 0074);
    this writes the same markup with the same escaping (``format_html``), compared with the
    template it replaced in ``cases/tests/test_case_rows.py``."""
    cases = list(page)
    if not cases:
        return format_html(
            '<tr><td colspan="{}" class="empty">{}</td></tr>',
            7 if show_committee else 6,
            _("No cases match."),
        )
    number, brief, kind = _("Case number"), _("Brief description"), _("Dispute type")
    committee, status, registered = _("Committee"), _("Status"), _("Registered on")
    mediators, complex_, group = _("Mediators"), _("Complex"), _("Group")
    complex_tag = format_html(' <span class="tag tag-warn">{}</span>', complex_)
    group_tag = format_html(' <span class="tag tag-warn">{}</span>', group)
    rows = []
    for case in cases:
        serving = case.active_mediators  # type: ignore[attr-defined]  # selectors.for_list
        names = "、".join(m.mediator.full_name for m in serving) or "—"
        committee_cell = (
            format_html(
                '\n    <td data-label="{}">{}</td>',
                committee,
                case.committee.short_name or case.committee.name,
            )
            if show_committee
            else ""
        )
        rows.append(
            format_html(
                "<tr>"
                '\n    <td data-label="{}" class="nowrap"><a href="{}">{}</a></td>'
                '\n    <td data-label="{}"><span>{}{}{}</span></td>'
                '\n    <td data-label="{}">{}</td>{}'
                '\n    <td data-label="{}">{}</td>'
                '\n    <td data-label="{}" class="nowrap">{}</td>'
                '\n    <td data-label="{}"><span>{}</span></td>'
                "\n  </tr>",
                number,
                row_url("cases:case_detail", case.pk),
                case.number,
                brief,
                case.summary,
                complex_tag if case.is_complex else "",
                group_tag if case.is_group else "",
                kind,
                case.dispute_type.name,
                committee_cell,
                status,
                status_tag(case),
                registered,
                day(case.registered_at),
                mediators,
                names,
            )
        )
    return mark_safe("\n  ".join(rows))  # noqa: S308 (each row built by format_html)
