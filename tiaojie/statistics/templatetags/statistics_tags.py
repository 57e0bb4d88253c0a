"""``row|stat_value:column``: a report cell as printed (whole numbers without decimals)."""

from __future__ import annotations

from django import template

from tiaojie.statistics.report import Column, Row

register = template.Library()


@register.filter
def stat_value(row: Row, column: Column) -> str:
    return row.printed(column)
