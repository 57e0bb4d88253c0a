"""How values are written on the documents: dates in Chinese form, amounts in yuan with two
decimals, small counts in Chinese numerals."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

DIGITS = "零一二三四五六七八九"
# "1. …；2. …" or "1、…" or one item per line: where a new numbered item starts.
REQUEST_ITEM = re.compile(r"(?:^|[；;\n]\s*)\(?[0-9０-９一二三四五六七八九十]{1,2}[\).．、,，]\s*")


def cn_date(day: dt.date | dt.datetime | None) -> str:
    """``2026年11月24日``; empty when there is no date yet."""
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date()
    return f"{day.year}年{day.month}月{day.day}日"


def cn_datetime(moment: dt.datetime | None) -> str:
    """``2026年11月24日14时30分`` in the local time zone."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{cn_date(local.date())}{local.hour}时{local.minute:02d}分"


def money(amount: Decimal | None) -> str:
    """``3000.00元``; empty when no amount is in dispute."""
    if amount is None:
        return ""
    return f"{amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}元"


def cn_numeral(number: int) -> str:
    """A count in Chinese numerals, as in 本协议一式三份 (1–99)."""
    if not 0 < number < 100:
        return str(number)
    tens, units = divmod(number, 10)
    if tens == 0:
        return DIGITS[units]
    head = "" if tens == 1 else DIGITS[tens]
    return f"{head}十{DIGITS[units] if units else ''}"


def age_on(birth: dt.date | None, day: dt.date) -> str:
    """Full years of age on ``day``."""
    if birth is None:
        return ""
    years = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
    return str(years)


def request_items(text: str) -> list[str]:
    """The numbered requests of an application as separate items, numbers stripped."""
    parts = [part.strip(" ；;。\n") for part in REQUEST_ITEM.split(text.strip())]
    items = [part for part in parts if part]
    return items or ([text.strip()] if text.strip() else [])


def joined(names: list[str]) -> str:
    """Names listed the Chinese way: 王建华、李秀英."""
    return "、".join(name for name in names if name)


def dispute_name(type_name: str) -> str:
    """``邻里`` → ``邻里纠纷``; ``劳动争议`` stays."""
    return type_name if type_name.endswith(("纠纷", "争议")) else f"{type_name}纠纷"
