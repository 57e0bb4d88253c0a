"""Template filters for the one format of dates, times and money (``core.formatting``):
``{{ case.registered_at|day }}``, ``{{ event.occurred_at|moment }}``, ``{{ case.amount|money }}``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils.safestring import SafeString

from tiaojie.core.formatting import day_text, moment_text, money_text, unbroken

register = template.Library()


@register.filter
def day(value: dt.date | dt.datetime | None) -> SafeString | str:
    return unbroken(day_text(value)) if value else ""


@register.filter
def moment(value: dt.datetime | None) -> SafeString | str:
    return unbroken(moment_text(value)) if value else ""


@register.filter
def money(value: Decimal | int | None) -> SafeString | str:
    return unbroken(money_text(value)) if value is not None else ""
