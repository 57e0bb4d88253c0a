"""``{% status_tag case %}``: a case's status as the tag every list and page shows."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.models import Case
from tiaojie.core.formatting import choice_label

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
