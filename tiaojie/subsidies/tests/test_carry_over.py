"""A case performed (or its file completed) after its month was paid counts once, in the month it
qualifies, with the reason on its line; the paid month never changes.

The fixture, by hand (东湖社区, a community committee: 30 / 80 / 150 元):

- two months ago (M): 甲 ordinary and performed → 30 元; 乙 20,000 元 in dispute (疑难, 80 元)
  but not yet performed → excluded; 丙 25 people (重大, 150 元), performed but its file not
  archived → excluded. M's sheet: 30 元, paid.
- last month (N): 乙's performance is recorded on the 5th, 丙's file archived on the 8th. N's
  sheet: 乙 80 + 丙 150 = 230 元, each line saying “补计：…”.
- this month (T): nothing carried again; new rules doubling the amounts from T leave M and N as
  they were paid.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests import personas as p
from tiaojie.cases.models import Case, PerformanceRecord
from tiaojie.subsidies.models import SubsidySheet
from tiaojie.subsidies.services import rulesets, sheets
from tiaojie.subsidies.services.approval import sheet_transition
from tiaojie.subsidies.tests.helpers import (
    D,
    data,
    ended_case,
    months_ago,
    standard_amounts,
    standard_rules,
    user,
)

pytestmark = pytest.mark.django_db


def _compute(month: dt.date) -> SubsidySheet:
    return sheets.sheet_compute(
        actor=user(p.DIRECTOR_A), committee=p.org(p.COMMITTEE_A), month=month
    )


def _pay(sheet: SubsidySheet) -> SubsidySheet:
    for username, action in [
        (p.DIRECTOR_A, "submit"),
        (p.STREET, "office_approve"),
        (p.DISTRICT, "bureau_approve"),
        (p.DISTRICT, "pay"),
    ]:
        sheet = sheet_transition(actor=user(username), sheet=sheet, action=action)
    return sheet


def _performed(case: Case, on: dt.date) -> None:
    PerformanceRecord.objects.create(
        case=case, recorded_on=on, status="performed", created_by=user(p.DIRECTOR_A)
    )
    Case.objects.filter(pk=case.pk).update(performance="performed")


def _month_text(month: dt.date, since: dt.date) -> str:
    return f"{month.month}月" if month.year == since.year else f"{month.year}年{month.month}月"


def test_a_case_performed_after_its_month_was_paid_counts_once_in_a_later_month() -> None:
    standard_rules()
    m, n, t = months_ago(2), months_ago(1), months_ago(0)
    ended_case(m)
    late = ended_case(m, amount=D(20000), performance="pending", status="agreed")
    unfiled = ended_case(m, people_involved=25, archived_on=None, status="agreed")
    sheet_m = _pay(_compute(m))
    assert (sheet_m.total, sheet_m.counted, sheet_m.excluded) == (D(30), 1, 2)

    _performed(late, n.replace(day=5))
    Case.objects.filter(pk=unfiled.pk).update(archived_on=n.replace(day=8), status="archived")
    sheet_n = _compute(n)
    lines = {line.case_id: line for line in sheet_n.lines.all()}
    assert set(lines) == {late.pk, unfiled.pk}
    assert (lines[late.pk].amount, lines[unfiled.pk].amount) == (D(80), D(150))
    assert lines[late.pk].carried_from == m
    ended = f"补计：{m.year}年{m.month}月调解，{_month_text(n, m)}"
    assert lines[late.pk].carry_note == ended + "履行"
    assert lines[unfiled.pk].carry_note == ended + "卷宗完备"
    assert (sheet_n.total, sheet_n.counted, sheet_n.excluded) == (D(230), 2, 0)

    # The paid month is as it was paid, and recomputes to the same amounts.
    sheet_m.refresh_from_db()
    assert (sheet_m.total, sheet_m.counted, sheet_m.excluded) == (D(30), 1, 2)
    assert sheet_m.lines.get(case=late).exclusion == "not_performed"
    assert sheets.verify(sheet_m) == []

    # Once: paid in N, not carried again into T, whatever rules T has.
    sheet_n = _pay(sheet_n)
    rulesets.rule_set_create(
        actor=user(p.DISTRICT),
        bureau=p.org(p.DONGHU_DISTRICT),
        data=data(t, amounts=standard_amounts(scale=2)),
    )
    assert not _compute(t).lines.exists()
    assert sheets.verify(sheet_m) == []
    assert sheets.verify(sheet_n) == []
    assert SubsidySheet.objects.get(pk=sheet_n.pk).total == D(230)


def test_a_case_performed_this_month_waits_for_this_months_sheet() -> None:
    standard_rules()
    m, n, t = months_ago(2), months_ago(1), months_ago(0)
    late = ended_case(m, performance="pending", status="agreed")
    _pay(_compute(m))
    _performed(late, t.replace(day=1))
    assert not _compute(n).lines.exists()  # computed late, but it was performed after N
    (sheet_t,) = sheets.compute_area(p.org(p.DONGHU_DISTRICT), t)
    line = sheet_t.lines.get()
    assert (line.case_id, line.amount) == (late.pk, D(30))
    assert line.carry_note == f"补计：{m.year}年{m.month}月调解，{_month_text(t, m)}履行"


def test_a_draft_month_counts_the_case_itself_and_nothing_is_carried() -> None:
    standard_rules()
    m, n = months_ago(2), months_ago(1)
    late = ended_case(m, performance="pending", status="agreed")
    _compute(m)  # a draft, not paid: computed again, it counts the case in its own month
    _performed(late, n.replace(day=5))
    assert _compute(m).lines.get().amount == D(30)
    assert not _compute(n).lines.exists()


def test_rules_without_carry_over_leave_the_late_case_unpaid() -> None:
    standard_rules(carry_over=False)
    m, n = months_ago(2), months_ago(1)
    late = ended_case(m, performance="pending", status="agreed")
    _pay(_compute(m))
    _performed(late, n.replace(day=5))
    assert not _compute(n).lines.exists()
