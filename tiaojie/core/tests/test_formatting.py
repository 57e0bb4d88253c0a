"""One format for dates, times and money, and none of them breaks across lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from tiaojie.core.formatting import NBSP, day_text, moment_text, money_text


def test_dates_times_and_money_read_the_chinese_way() -> None:
    assert day_text(dt.date(2026, 12, 2)) == "2026年12月2日"
    at = dt.datetime(2026, 12, 2, 13, 25, tzinfo=dt.UTC)  # 21:25 in Beijing
    assert moment_text(at) == f"2026年12月2日{NBSP}21:25"
    assert money_text(Decimal("3600")) == f"3,600.00{NBSP}元"
    assert money_text(None) == ""


def test_the_filters_keep_each_value_on_one_line() -> None:
    html = Template("{% load cn_format %}{{ d|day }} {{ m|money }}").render(
        Context({"d": dt.date(2026, 12, 2), "m": 3600})
    )
    assert html == (
        '<span class="nowrap">2026年12月2日</span> <span class="nowrap">3,600.00\xa0元</span>'
    )


def test_a_day_written_once_still_follows_the_language_and_the_time_zone() -> None:
    """Days are kept once written (ADR 0070): the same day asked for in another language is
    written in that language, and a moment late in the evening in UTC is the next day in
    Beijing."""
    late = dt.datetime(2026, 12, 2, 17, 0, tzinfo=dt.UTC)  # 01:00 on the 3rd in Beijing
    with translation.override("zh-hans"):
        assert day_text(late) == "2026年12月3日"
    with translation.override("en"):
        assert day_text(late) == "Dec. 3, 2026"
    with translation.override("zh-hans"):
        assert day_text(dt.date(2026, 12, 3)) == "2026年12月3日"
