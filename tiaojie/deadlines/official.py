"""The State Council's holiday tables (国务院办公厅关于部分节假日安排的通知) the project ships.

Each year is written as the notice reads: ranges of holidays, and the weekend days worked in
exchange. Only years whose notice was checked against its published text are here (see
docs/deadlines.md for where each was checked); later years are entered by a bureau officer on
the calendar page, or added here once checked. Used by the data migration and by
``manage.py load_official_calendar``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# (first day, last day, name) holiday ranges and (day, name) make-up working days, as month/day.
Range = tuple[tuple[int, int], tuple[int, int], str]
Workday = tuple[tuple[int, int], str]


@dataclass(frozen=True)
class OfficialYear:
    year: int
    source: str
    holidays: tuple[Range, ...]
    workdays: tuple[Workday, ...]

    def days(self) -> list[tuple[dt.date, str, str]]:
        """Every exception of the year as (date, kind, name), in date order."""
        rows: list[tuple[dt.date, str, str]] = []
        for (m1, d1), (m2, d2), name in self.holidays:
            day, last = dt.date(self.year, m1, d1), dt.date(self.year, m2, d2)
            while day <= last:
                rows.append((day, "holiday", name))
                day += dt.timedelta(days=1)
        rows += [(dt.date(self.year, m, d), "workday", name) for (m, d), name in self.workdays]
        return sorted(rows)

    def lines(self) -> str:
        """The table as the calendar editor's text lines."""
        return "\n".join(f"{day.isoformat()} {kind} {name}" for day, kind, name in self.days())


OFFICIAL_YEARS: dict[int, OfficialYear] = {
    2024: OfficialYear(
        2024,
        "国办发明电〔2023〕7号（2023年10月25日）",
        (
            ((1, 1), (1, 1), "元旦"),
            ((2, 10), (2, 17), "春节"),
            ((4, 4), (4, 6), "清明节"),
            ((5, 1), (5, 5), "劳动节"),
            ((6, 10), (6, 10), "端午节"),
            ((9, 15), (9, 17), "中秋节"),
            ((10, 1), (10, 7), "国庆节"),
        ),
        (
            ((2, 4), "春节调休上班"),
            ((2, 18), "春节调休上班"),
            ((4, 7), "清明节调休上班"),
            ((4, 28), "劳动节调休上班"),
            ((5, 11), "劳动节调休上班"),
            ((9, 14), "中秋节调休上班"),
            ((9, 29), "国庆节调休上班"),
            ((10, 12), "国庆节调休上班"),
        ),
    ),
    2025: OfficialYear(
        2025,
        "国办发明电〔2024〕12号（2024年11月12日）",
        (
            ((1, 1), (1, 1), "元旦"),
            ((1, 28), (2, 4), "春节"),
            ((4, 4), (4, 6), "清明节"),
            ((5, 1), (5, 5), "劳动节"),
            ((5, 31), (6, 2), "端午节"),
            ((10, 1), (10, 8), "国庆节、中秋节"),
        ),
        (
            ((1, 26), "春节调休上班"),
            ((2, 8), "春节调休上班"),
            ((4, 27), "劳动节调休上班"),
            ((9, 28), "国庆节调休上班"),
            ((10, 11), "国庆节调休上班"),
        ),
    ),
    2026: OfficialYear(
        2026,
        "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）",
        (
            ((1, 1), (1, 3), "元旦"),
            ((2, 15), (2, 23), "春节"),
            ((4, 4), (4, 6), "清明节"),
            ((5, 1), (5, 5), "劳动节"),
            ((6, 19), (6, 21), "端午节"),
            ((9, 25), (9, 27), "中秋节"),
            ((10, 1), (10, 7), "国庆节"),
        ),
        (
            ((1, 4), "元旦调休上班"),
            ((2, 14), "春节调休上班"),
            ((2, 28), "春节调休上班"),
            ((5, 9), "劳动节调休上班"),
            ((9, 20), "国庆节调休上班"),
            ((10, 10), "国庆节调休上班"),
        ),
    ),
}

# Holidays on fixed Gregorian dates, pre-filled when a new year is started; the lunar ones
# (春节, 清明, 端午, 中秋) and every make-up day must come from that year's notice.
FIXED_HOLIDAYS: tuple[Range, ...] = (
    ((1, 1), (1, 1), "元旦"),
    ((5, 1), (5, 5), "劳动节"),
    ((10, 1), (10, 7), "国庆节"),
)
