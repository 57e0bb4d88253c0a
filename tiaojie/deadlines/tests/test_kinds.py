"""Each kind of deadline judged near due or overdue on fixed days, the rule in force per
district, and the per-case panel agreeing with the scan's querysets."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tiaojie.cases.services import aftercare, records
from tiaojie.cases.tests import factories as f
from tiaojie.deadlines.context import DeadlineContext
from tiaojie.deadlines.models import DeadlineRule
from tiaojie.deadlines.selectors import case_deadlines, deadline_rule
from tiaojie.deadlines.tests.helpers import (
    DIRECTOR,
    MEDIATOR,
    D,
    levels,
    set_registered,
    staff_of,
    user,
)
from tiaojie.organisations.models import Organisation

pytestmark = pytest.mark.django_db
ACCEPT_OVER = ("accept", "overdue")
ACCEPT_NEAR = ("accept", "near_due")


def test_accept_within_three_working_days_counts_spring_festival() -> None:
    # Registered Thursday 2026-02-12: +3 working days = Fri 13, Sat 14 (调休), Tue 24.
    case = set_registered(f.register(user(MEDIATOR)), D(2026, 2, 12))
    ctx = DeadlineContext.build(D(2026, 2, 13))
    assert [d.due_on for d in case_deadlines(case, ctx)] == [D(2026, 2, 24)]
    assert levels(case, D(2026, 2, 13)) == set()  # 2 working days left; the warning is 1
    assert levels(case, D(2026, 2, 14)) == {ACCEPT_NEAR}  # the make-up Saturday: 1 left
    assert levels(case, D(2026, 2, 23)) == {ACCEPT_NEAR}  # still a holiday
    assert levels(case, D(2026, 2, 24)) == {ACCEPT_NEAR}  # due today
    assert levels(case, D(2026, 2, 25)) == {ACCEPT_OVER}


def test_accepting_ends_the_accept_deadline_and_starts_the_mediation_one() -> None:
    mediator = user(MEDIATOR)
    case = f.register(mediator)
    registered = case.registered_at.date()
    late = registered + dt.timedelta(days=10)
    assert ACCEPT_OVER in levels(case, late)
    case = f.to_mediation(mediator, case)
    assert case.due_on is not None
    assert levels(case, late) == set()
    due = case.due_on
    assert levels(case, due - dt.timedelta(days=30)) == set()
    assert levels(case, due) == {("mediation", "near_due")}
    assert levels(case, due + dt.timedelta(days=1)) == {("mediation", "overdue")}


def test_an_extension_moves_the_mediation_deadline() -> None:
    mediator = user(MEDIATOR)
    case = f.to_mediation(mediator, f.register(mediator))
    assert case.due_on is not None
    after = case.due_on + dt.timedelta(days=3)
    assert levels(case, after) == {("mediation", "overdue")}
    case = records.case_extend(
        actor=user(DIRECTOR),
        case=case,
        until=case.due_on + dt.timedelta(days=30),
        reason="双方同意延长",
        parties_consent=True,
    )
    assert levels(case, after) == set()


def test_confirmation_window_closing_and_follow_up_after_performance() -> None:
    mediator = user(MEDIATOR)
    case = f.to_agreement(mediator, f.register(mediator))
    agreement = case.agreements.get()
    assert agreement.effective_on is not None and agreement.performance_deadline is not None
    closes = agreement.effective_on + dt.timedelta(days=30)
    assert ("confirmation", "near_due") in levels(case, closes)
    assert ("confirmation", "near_due") not in levels(case, closes + dt.timedelta(days=1))
    assert ("confirmation", "near_due") not in levels(case, agreement.effective_on)
    ctx = DeadlineContext.build(agreement.effective_on)
    follow = {d.kind: d.due_on for d in case_deadlines(case, ctx)}["follow_up"]
    assert follow >= agreement.performance_deadline + dt.timedelta(days=15)
    assert (follow - agreement.performance_deadline).days <= 17  # rolled over a weekend at most
    assert levels(case, follow + dt.timedelta(days=1)) >= {("follow_up", "overdue")}
    aftercare.follow_up_add(
        actor=mediator,
        case=case,
        visited_on=agreement.effective_on,
        method="phone",
        party_visited="王建华",
        performance="pending",
        satisfaction="satisfied",
    )
    assert ("follow_up", "overdue") not in levels(case, follow + dt.timedelta(days=1))


def test_applying_for_confirmation_ends_the_window() -> None:
    mediator = user(MEDIATOR)
    case = f.to_agreement(mediator, f.register(mediator))
    effective = case.agreements.get().effective_on
    assert effective is not None
    closes = effective + dt.timedelta(days=30)
    aftercare.confirmation_apply(
        actor=mediator, case=case, applied_on=effective, court="东湖区人民法院", joint=True
    )
    assert ("confirmation", "near_due") not in levels(case, closes)


def test_a_district_rule_overrides_the_city_rule() -> None:
    city = Organisation.objects.get(name="临江市司法局")
    donghu = Organisation.objects.get(name="东湖区司法局")
    DeadlineRule.objects.create(
        owner=city, kind="accept", value=5, unit="working_days", near_due_days=2
    )
    DeadlineRule.objects.create(
        owner=donghu, kind="accept", value=1, unit="working_days", near_due_days=0
    )
    committee_a = Organisation.objects.get(name="东湖社区人民调解委员会")
    ganghua = Organisation.objects.get(name="钢花村社区人民调解委员会")
    assert deadline_rule(committee_a, "accept").value == 1
    assert deadline_rule(ganghua, "accept").value == 5
    assert deadline_rule(city, "follow_up").value == 15  # the default

    # Both registered Monday 2026-03-02: 东湖 due Tue 3rd, 西山 due Mon 9th.
    here = set_registered(f.register(user(MEDIATOR)), D(2026, 3, 2))
    there = set_registered(f.register(staff_of("钢花村社区人民调解委员会")), D(2026, 3, 2))
    assert levels(here, D(2026, 3, 4)) == {ACCEPT_OVER}
    assert levels(there, D(2026, 3, 4)) == set()
    assert levels(there, D(2026, 3, 6)) == {ACCEPT_NEAR}  # 2 working days before
    assert levels(there, D(2026, 3, 10)) == {ACCEPT_OVER}


def test_the_panel_agrees_with_the_querysets_on_every_kind() -> None:
    mediator = user(MEDIATOR)
    cases = [
        f.register(mediator),
        f.to_mediation(mediator, f.register(mediator)),
        f.to_agreement(mediator, f.register(mediator)),
    ]
    start = cases[0].registered_at.date()
    for offset in range(0, 70, 3):
        today = start + dt.timedelta(days=offset)
        ctx = DeadlineContext.build(today)
        for case in cases:
            from_panel = {(d.kind, d.level) for d in case_deadlines(case, ctx) if d.level}
            assert from_panel == levels(case, today), (case.status, today)


def test_the_mediation_due_date_under_a_bureau_rule() -> None:
    from tiaojie.deadlines.selectors import mediation_due_on

    committee_a = Organisation.objects.get(name="东湖社区人民调解委员会")
    # The default: one month, a rest day moved to the next working day (2026-10-01 → 10-08).
    assert mediation_due_on(committee_a, D(2026, 9, 1)) == D(2026, 10, 8)
    DeadlineRule.objects.create(
        owner=Organisation.objects.get(name="东湖区司法局"),
        kind="mediation",
        value=2,
        unit="months",
        near_due_days=5,
    )
    assert mediation_due_on(committee_a, D(2026, 3, 2)) == D(2026, 5, 6)  # 5/2 → after 劳动节


def test_the_mediation_due_date_reads_only_the_committees_rule_and_calendar(
    django_assert_num_queries: Any,
) -> None:
    """Every acceptance computes it: one query for the rules above the committee, one for the
    calendar, whatever other bureaus configured."""
    from tiaojie.deadlines.selectors import mediation_due_on

    committee_a = Organisation.objects.get(name="东湖社区人民调解委员会")
    other = Organisation.objects.filter(kind="district_bureau").exclude(name="东湖区司法局")[0]
    DeadlineRule.objects.create(
        owner=other, kind="mediation", value=6, unit="months", near_due_days=5
    )
    with django_assert_num_queries(2):
        assert mediation_due_on(committee_a, D(2026, 9, 1)) == D(2026, 10, 8)
