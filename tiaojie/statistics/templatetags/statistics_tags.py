"""``row|stat_value:column``: a report cell as printed (whole numbers without decimals)."""

from __future__ import annotations

from django import template

from tiaojie.statistics.report import Column, Row

register = template.Library()


@register.filter
def stat_value(row: Row, column: Column) -> str:
    if row.undefined(column):
        return "—"  # a rate with no cases to divide by, as the page shows it
    value = row.value(column)
    if column.is_rate or column.amount or value != value.to_integral_value():
        return f"{value:,.2f}"
    return f"{int(value):,}"
