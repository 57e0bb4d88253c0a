"""Amounts as the routing pages show them: 100,000 (yuan), whatever the locale's grouping."""

from __future__ import annotations

from decimal import Decimal

from django import template

from tiaojie.routing.conditions import yuan as format_yuan

register = template.Library()


@register.filter
def yuan(value: Decimal | int | None) -> str:
    return "" if value is None else format_yuan(Decimal(value))
