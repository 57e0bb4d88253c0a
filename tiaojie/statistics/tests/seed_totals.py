"""Data sets built to the totals the seeds quote (shared/seeds), cheaply:

- Wuhan, January–August 2020 (排查 51,434 次, 调解 38,513 件, 成功 38,509, 履行 38,288, 信访部门
  委托移送 207, 防止群体性事件 47, 防止民转刑 47): months before the system, so imported as
  **historical aggregates** through the import a bureau uses (``historical.import_history``),
  one row per district and month.
- Beijing's 2019 campaign (调解 114,478 件, 成功 71,364, 疑难复杂 3,501, 涉及金额 112 亿元):
  **synthetic per-case facts** (one ``rollup.Fact`` per dispute, no case rows) summed by the
  roll-ups' own ``contributions`` and added to the cells with ``apply_difference``, the path
  every case event takes. No cases stand behind them (the drill-down lists are empty and
  ``verify_statistics`` would report them): a fixture for the arithmetic of the reports."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal

from openpyxl import Workbook

from tiaojie.accounts.models import User
from tiaojie.organisations.models import Organisation
from tiaojie.statistics import historical, rollup
from tiaojie.statistics.choices import Indicator as Ind

WUHAN = {
    "screening_rounds": 51_434,
    "mediated": 38_513,
    "success": 38_509,
    "performed": 38_288,
    "mediated.source:petition": 207,
    "prevented_cases.group_petition": 30,  # 防止群体性事件 47 = 群体性上访 30 + 械斗 17
    "prevented_cases.group_fight": 17,
    "prevented_cases.criminal": 47,
}
BEIJING = {"mediated": 114_478, "success": 71_364, "complex": 3_501, "amount": 11_200_000_000}


def split(total: int, parts: int) -> list[int]:
    """``total`` in ``parts`` whole numbers adding up to it, the larger ones first."""
    base, extra = divmod(total, parts)
    return [base + (1 if n < extra else 0) for n in range(parts)]


def wuhan_file(districts: list[str]) -> bytes:
    """The history file: one row per district and month of 2020-01…08; headers are the
    column codes (a file may use the report's headers or its codes)."""
    rows = [(f"2020-{m:02d}", name) for m in range(1, 9) for name in districts]
    columns = {code: split(total, len(rows)) for code, total in WUHAN.items()}
    mediated = columns["mediated"]
    # By source: referred by the petition office, the rest on the committees' own initiative.
    columns["mediated.source:initiative"] = [
        m - p for m, p in zip(mediated, columns["mediated.source:petition"], strict=True)
    ]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["武汉市2020年1-8月人民调解工作统计（历史数据）"])
    sheet.append([historical.period_header(), historical.organisation_header(), *columns])
    for n, (period, name) in enumerate(rows):
        sheet.append([period, name, *(values[n] for values in columns.values())])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_wuhan(officer: User, districts: list[str]) -> int:
    return historical.import_history(io.BytesIO(wuhan_file(districts)), "wuhan.xlsx", officer)


def beijing_facts(committees: list[Organisation]) -> Iterator[rollup.Fact]:
    """114,478 mediated disputes over January–September 2019: the first 71,364 agreed (their
    amounts adding up to 112亿元 to the fen), every 20th of the first 70,020 complex."""
    total, success = BEIJING["mediated"], BEIJING["success"]
    amounts = split(BEIJING["amount"], success)
    complex_left = BEIJING["complex"]
    for n in range(total):
        org = committees[n % len(committees)]
        day = dt.date(2019, 1 + n % 9, 1 + n % 28)
        agreed = n < success
        is_complex = complex_left > 0 and n % 20 == 0
        complex_left -= int(is_complex)
        yield rollup.Fact(
            organisation_id=org.pk,
            org_path=org.path,
            registered_on=day,
            accepted_on=day,
            closed_on=day,
            confirmed_on=None,
            dispute_type_code="neighbours",
            source="application",
            organisation_kind=org.committee_kind or "",
            accepted=True,
            mediated=True,
            success=agreed,
            oral=False,
            written=agreed,
            performed=False,
            confirmed=False,
            complex=is_complex,
            people=2,
            amount=Decimal(amounts[n]) if agreed else Decimal(0),
        )


def add_beijing(committees: list[Organisation]) -> int:
    """Sum the facts' contributions and add them to the cells (one write per cell)."""
    total: rollup.Contributions = {}
    for fact in beijing_facts(committees):
        for cell, value in rollup.contributions(fact).items():
            total[cell] = total.get(cell, Decimal(0)) + value
    return rollup.apply_difference({}, total)


__all__ = ["BEIJING", "WUHAN", "Ind", "add_beijing", "import_wuhan", "split", "wuhan_file"]
