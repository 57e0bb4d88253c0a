"""The monthly sheet: tiers, amounts, exclusions with their reason, shares per mediator."""

from __future__ import annotations

import pytest

from tests import personas as p
from tiaojie.cases.models import Case
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.subsidies import selectors
from tiaojie.subsidies.models import SubsidySheet
from tiaojie.subsidies.services import sheets
from tiaojie.subsidies.tests.helpers import D, ended_case, last_month, standard_rules, user

pytestmark = pytest.mark.django_db


def _compute() -> SubsidySheet:
    return sheets.sheet_compute(
        actor=user(p.DIRECTOR_A), committee=p.org(p.COMMITTEE_A), month=last_month()
    )


def test_each_case_gets_its_tier_amount_and_the_criterion_that_decided_it() -> None:
    standard_rules()
    month = last_month()
    ordinary = ended_case(month)
    by_amount = ended_case(month, amount=D(20000))
    by_people = ended_case(month, people_involved=25)
    complex_case = ended_case(month, is_complex=True)
    sheet = _compute()
    lines = {line.case_id: line for line in sheet.lines.all()}
    assert (lines[ordinary.pk].tier, lines[ordinary.pk].amount) == ("general", D(30))
    assert (lines[by_amount.pk].tier, lines[by_amount.pk].basis) == ("difficult", "amount")
    assert lines[by_amount.pk].amount == D(80)
    assert (lines[by_people.pk].tier, lines[by_people.pk].amount) == ("major", D(150))
    assert (lines[complex_case.pk].tier, lines[complex_case.pk].basis) == ("difficult", "complex")
    assert sheet.total == D(340)
    assert (sheet.counted, sheet.excluded) == (4, 0)


def test_excluded_cases_say_why() -> None:
    standard_rules()
    month = last_month()
    pending = ended_case(month, performance="pending")
    oral = ended_case(month, oral=True)
    failed = ended_case(month, ended_as="failed", status="failed")
    unarchived_major = ended_case(month, is_group=True, archived_on=None, status="agreed")
    nobody = ended_case(month, mediators=())
    sheet = _compute()
    reasons = {line.case_id: line.exclusion for line in sheet.lines.all()}
    assert reasons == {
        pending.pk: "not_performed",
        oral.pk: "oral",
        failed.pk: "not_successful",
        unarchived_major.pk: "not_archived",
        nobody.pk: "no_mediator",
    }
    assert sheet.total == 0


def test_oral_agreements_count_when_the_rules_say_so() -> None:
    standard_rules(count_oral=True)
    ended_case(last_month(), oral=True)
    assert _compute().total == D(30)


def test_one_subsidy_per_dispute_however_often_it_ends() -> None:
    standard_rules()
    case = ended_case(last_month())
    sheet = _compute()
    SubsidySheet.objects.filter(pk=sheet.pk).update(status="paid")
    # Mediated again and agreed again this month: the earlier month paid it.
    this_month = last_month().replace(day=1)
    from tiaojie.subsidies.services.sheets import next_month

    this_month = next_month(this_month)
    Case.objects.filter(pk=case.pk).update(closed_on=this_month, archived_on=this_month)
    again = sheets.sheet_compute(
        actor=user(p.DIRECTOR_A), committee=p.org(p.COMMITTEE_A), month=this_month
    )
    line = again.lines.get()
    assert line.exclusion == "already_paid"
    assert line.exclusion_note == f"{last_month().year}年{last_month().month}月"


def test_presiding_only_or_split_equally_to_the_fen() -> None:
    standard_rules(recipient="split")
    # 80 元 / 3 mediators: 26.66 each, the presiding one 26.68.
    ended_case(last_month(), amount=D(20000), mediators=(p.MEDIATOR_A, p.DIRECTOR_A, p.MEDIATOR_B))
    sheet = _compute()
    totals = {row["mediator_id"]: row["total"] for row in selectors.mediator_totals(sheet)}
    assert totals == {
        user(p.MEDIATOR_A).pk: D("26.68"),
        user(p.DIRECTOR_A).pk: D("26.66"),
        user(p.MEDIATOR_B).pk: D("26.66"),
    }
    assert sum(totals.values()) == sheet.total == D(80)


def test_only_the_committees_director_computes_and_only_with_rules_in_force() -> None:
    with pytest.raises(NotPermitted):
        sheets.sheet_compute(
            actor=user(p.MEDIATOR_A), committee=p.org(p.COMMITTEE_A), month=last_month()
        )
    with pytest.raises(ValidationFailed):
        _compute()  # no rules yet
    standard_rules()
    sheet = _compute()
    with pytest.raises(Conflict):
        sheets.sheet_compute(
            actor=user(p.DIRECTOR_A),
            committee=p.org(p.COMMITTEE_A),
            month=last_month(),
            version=sheet.version - 1,
        )
