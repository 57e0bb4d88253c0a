"""Approval up the chain, returns, stale refusals, the listener, and the lock after payment."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests import personas as p
from tiaojie.cases.models import Case
from tiaojie.core import events
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.subsidies.models import SubsidySheet
from tiaojie.subsidies.services import rulesets, sheets
from tiaojie.subsidies.services.approval import allowed_actions, sheet_transition
from tiaojie.subsidies.tests.helpers import (
    D,
    data,
    ended_case,
    last_month,
    standard_amounts,
    standard_rules,
    user,
)

pytestmark = pytest.mark.django_db


def _sheet() -> SubsidySheet:
    standard_rules()
    ended_case(last_month())
    ended_case(last_month(), amount=D(50000))
    return sheets.sheet_compute(
        actor=user(p.DIRECTOR_A), committee=p.org(p.COMMITTEE_A), month=last_month()
    )


def _move(username: str, sheet: SubsidySheet, action: str, reason: str = "") -> SubsidySheet:
    return sheet_transition(actor=user(username), sheet=sheet, action=action, reason=reason)


def test_committee_office_bureau_then_paid_and_locked() -> None:
    sheet = _sheet()
    assert allowed_actions(sheet, user(p.DIRECTOR_A)) == ["submit"]
    sheet = _move(p.DIRECTOR_A, sheet, "submit")
    with pytest.raises(Conflict):
        _move(p.DISTRICT, sheet, "bureau_approve")  # not the bureau's turn yet
    with pytest.raises(NotPermitted):
        _move(p.STREET, sheet, "pay")  # nor ever the office's
    sheet = _move(p.STREET, sheet, "office_approve")
    sheet = _move(p.DISTRICT, sheet, "bureau_approve")
    sheet = _move(p.DISTRICT, sheet, "pay")
    assert sheet.status == "paid" and sheet.paid_on is not None
    assert list(sheet.transitions.values_list("action", flat=True)) == [
        "submit",
        "office_approve",
        "bureau_approve",
        "pay",
    ]
    with pytest.raises(Conflict):
        sheets.sheet_compute(
            actor=user(p.DIRECTOR_A), committee=p.org(p.COMMITTEE_A), month=last_month()
        )


def test_a_return_needs_a_comment_and_goes_back_to_draft() -> None:
    sheet = _move(p.DIRECTOR_A, _sheet(), "submit")
    with pytest.raises(ValidationFailed):
        _move(p.STREET, sheet, "return")
    sheet = _move(p.STREET, sheet, "return", "第二件缺回访记录")
    assert sheet.status == "draft"
    assert sheet.transitions.last().reason == "第二件缺回访记录"  # type: ignore[union-attr]


def test_a_stale_action_is_refused() -> None:
    sheet = _sheet()
    read = sheet.version
    _move(p.DIRECTOR_A, sheet, "submit")
    with pytest.raises(Conflict) as caught:
        sheet_transition(actor=user(p.STREET), sheet=sheet, action="office_approve", version=read)
    assert caught.value.code == "stale_version"


def test_a_case_that_moves_marks_the_draft_to_be_computed_again() -> None:
    sheet = _sheet()
    case = sheet.lines.first().case  # type: ignore[union-attr]
    # The case went back to mediation (as a rejected confirmation sends it): no longer ended.
    Case.objects.filter(pk=case.pk).update(status="in_mediation", ended_as="", closed_on=None)
    with transaction.atomic():
        events.publish("case.moved", {"case_id": case.pk, "action": "resume"})
    sheet.refresh_from_db()
    assert sheet.stale
    with pytest.raises(Conflict) as caught:
        _move(p.DIRECTOR_A, sheet, "submit")
    assert caught.value.code == "stale_sheet"
    sheet = sheets.sheet_compute(
        actor=user(p.DIRECTOR_A), committee=p.org(p.COMMITTEE_A), month=last_month()
    )
    assert not sheet.stale and sheet.lines.count() == 1


def test_a_paid_month_recomputes_to_the_same_amounts_after_new_rules() -> None:
    sheet = _sheet()
    for username, action in [
        (p.DIRECTOR_A, "submit"),
        (p.STREET, "office_approve"),
        (p.DISTRICT, "bureau_approve"),
        (p.DISTRICT, "pay"),
    ]:
        sheet = _move(username, sheet, action)
    paid = dict(sheet.lines.values_list("case_number", "amount"))
    # Doubled amounts from this month on: the paid month keeps its own rules.
    this_month = sheets.next_month(last_month())
    rulesets.rule_set_create(
        actor=user(p.DISTRICT),
        bureau=p.org(p.DONGHU_DISTRICT),
        data=data(this_month, amounts=standard_amounts(scale=2)),
    )
    assert sheets.verify(sheet) == []
    assert dict(sheet.lines.values_list("case_number", "amount")) == paid
    assert sum(paid.values()) == D(110)
