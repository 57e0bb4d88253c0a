"""Filing up the tree: file, return with a comment, file again, approve (locked), re-open with
a reason (the reports above re-open too); refusals change nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from conftest import World
from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Role
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.models import Case
from tiaojie.cases.tests import factories as f
from tiaojie.cases.workflow import transition
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.statistics import filing, periods, rollup
from tiaojie.statistics.choices import ReportStatus as S
from tiaojie.statistics.models import StatReport

pytestmark = pytest.mark.django_db

COMMITTEE = "东湖社区人民调解委员会"
OFFICE = "东湖街道司法所"


def last_month() -> periods.Period:
    first = timezone.localdate().replace(day=1)
    return periods.month_of(first - dt.timedelta(days=1))


def case_last_month(world: World) -> Case:
    """A case registered (and accepted) last month, as the figures see it."""
    mediator = world.user("demo_mediator")
    case = transition(actor=mediator, case=f.register(mediator), action="accept")
    when = timezone.make_aware(
        dt.datetime.combine(last_month().first + dt.timedelta(days=9), dt.time(10))
    )
    Case.objects.filter(pk=case.pk).update(registered_at=when, accepted_on=when.date())
    rollup.refresh_case(case.pk)
    return case


def file_the_others(world: World, parent: str, officer: User) -> None:
    """File last month's report of every organisation under ``parent`` that has none: by its
    own director, or by ``officer`` for it (代报) when it has none."""
    row = filing.report_for(world.org(parent), last_month())
    for org in filing.missing_below(row):
        child = filing.report_for(org, last_month())
        nil = filing.is_empty(filing.figures_now(child))
        own = User.objects.filter(organisation=org, role=Role.COMMITTEE_DIRECTOR, is_active=True)
        actor = own.first() or officer
        filing.report_transition(actor=actor, report_row=child, action="file", nil=nil)


def test_a_level_files_only_after_every_organisation_below(world: World) -> None:
    officer = world.user("demo_street")
    office = filing.report_for(world.org(OFFICE), last_month())
    with pytest.raises(ValidationFailed) as refused:
        filing.report_transition(actor=officer, report_row=office, action="file", nil=True)
    assert refused.value.code == "below_not_filed"
    assert "梨园社区人民调解委员会" in refused.value.message
    assert "仍未上报" in refused.value.message
    office.refresh_from_db()
    assert office.status == S.DRAFT and not office.steps.exists()
    # A committee with a director of its own files for itself; the office may not.
    own = filing.report_for(world.org(COMMITTEE), last_month())
    with pytest.raises(NotPermitted):
        filing.report_transition(actor=officer, report_row=own, action="file", nil=True)
    nil = filing.is_empty(filing.figures_now(own))
    filing.report_transition(
        actor=world.user("demo_director"), report_row=own, action="file", nil=nil
    )
    # 梨园's director has left and nobody files for it: the office files for it (代报),
    # recorded as such.
    User.objects.filter(organisation=world.org("梨园社区人民调解委员会")).filter(
        role=Role.COMMITTEE_DIRECTOR
    ).update(is_active=False)
    file_the_others(world, OFFICE, officer)
    lishui = StatReport.objects.get(organisation=world.org("梨园社区人民调解委员会"))
    assert lishui.status == S.FILED
    event = AuditEvent.objects.filter(object_id=str(lishui.pk)).order_by("-id").first()
    assert event is not None and (event.after or {}).get("on_behalf") is True
    nil = filing.is_empty(filing.figures_now(office))
    office = filing.report_transition(actor=officer, report_row=office, action="file", nil=nil)
    assert office.status == S.FILED


def test_returning_a_report_reopens_the_filed_report_above(world: World) -> None:
    officer = world.user("demo_street")
    own = filing.report_for(world.org(COMMITTEE), last_month())
    filing.report_transition(
        actor=world.user("demo_director"),
        report_row=own,
        action="file",
        nil=filing.is_empty(filing.figures_now(own)),
    )
    file_the_others(world, OFFICE, officer)
    office = filing.report_for(world.org(OFFICE), last_month())
    filing.report_transition(
        actor=officer,
        report_row=office,
        action="file",
        nil=filing.is_empty(filing.figures_now(office)),
    )
    filing.report_transition(actor=officer, report_row=own, action="return", reason="请补报")
    office.refresh_from_db()
    assert office.status == S.REOPENED
    step = office.steps.order_by("-at", "-id").first()
    assert step is not None and "退回" in step.reason and "请补报" in step.reason


def test_a_period_not_yet_ended_is_refused(world: World) -> None:
    row = filing.report_for(world.org(COMMITTEE), periods.month_of(timezone.localdate()))
    with pytest.raises(ValidationFailed) as refused:
        filing.report_transition(actor=world.user("demo_director"), report_row=row, action="file")
    assert refused.value.code == "period_not_ended"
    assert "期间结束后才能上报" in refused.value.message
    row.refresh_from_db()
    assert row.status == S.DRAFT and not row.steps.exists()


def test_a_nil_report_is_explicit(world: World) -> None:
    director = world.user("demo_director")
    row = filing.report_for(world.org(COMMITTEE), last_month())
    if filing.is_empty(filing.figures_now(row)):
        with pytest.raises(ValidationFailed) as refused:
            filing.report_transition(actor=director, report_row=row, action="file")
        assert refused.value.code == "nil_required"
        filed = filing.report_transition(actor=director, report_row=row, action="file", nil=True)
        assert filed.status == S.FILED and filed.nil
    case_last_month(world)
    other = filing.report_for(world.org(COMMITTEE), last_month())
    other.status = S.REOPENED
    other.save()
    with pytest.raises(ValidationFailed) as refused:
        filing.report_transition(actor=director, report_row=other, action="file", nil=True)
    assert refused.value.code == "not_nil"


def test_file_return_refile_approve_reopen(world: World, settings: object) -> None:
    # On time whatever today's date: the default (the 5th of the next month) would make
    # this filing late from the 6th on.
    settings.TIAOJIE_STATISTICS_FILING_DAYS = 31  # type: ignore[attr-defined]
    case_last_month(world)
    director, officer = world.user("demo_director"), world.user("demo_street")
    district = world.user("demo_district")
    row = filing.report_for(world.org(COMMITTEE), last_month())
    with pytest.raises(NotPermitted):  # a mediator does not file
        filing.report_transition(actor=world.user("demo_mediator"), report_row=row, action="file")
    row = filing.report_transition(actor=director, report_row=row, action="file")
    assert row.status == S.FILED and not row.late
    assert row.figures["accepted"] == "1"  # the case accepted last month
    with pytest.raises(ValidationFailed):  # a return needs its comment
        filing.report_transition(actor=officer, report_row=row, action="return", reason=" ")
    with pytest.raises(NotPermitted):  # the district is not the level above a committee
        filing.report_transition(actor=district, report_row=row, action="approve")
    row = filing.report_transition(
        actor=officer, report_row=row, action="return", reason="来源分类有误"
    )
    assert row.status == S.RETURNED and row.comment == "来源分类有误"
    row = filing.report_transition(actor=director, report_row=row, action="file")
    row = filing.report_transition(actor=officer, report_row=row, action="approve")
    assert row.status == S.APPROVED and row.locked
    with pytest.raises(Conflict):  # approved is locked
        filing.report_transition(actor=director, report_row=row, action="file")

    # The office files its own report (its total includes the committee) once every
    # committee below it has filed …
    file_the_others(world, OFFICE, officer)
    office = filing.report_for(world.org(OFFICE), last_month())
    office = filing.report_transition(actor=officer, report_row=office, action="file")
    # … then re-opening the committee's report re-opens the office's, with who and why.
    with pytest.raises(ValidationFailed):
        filing.report_transition(actor=officer, report_row=row, action="reopen")
    row = filing.report_transition(
        actor=officer, report_row=row, action="reopen", reason="补录一件漏报案件"
    )
    office.refresh_from_db()
    assert row.status == S.REOPENED and office.status == S.REOPENED
    step = office.steps.order_by("-at", "-id").first()
    assert step is not None and "补录一件漏报案件" in step.reason and step.actor == officer
    assert [s.to_status for s in row.steps.order_by("at", "id")] == [
        S.FILED,
        S.RETURNED,
        S.FILED,
        S.APPROVED,
        S.REOPENED,
    ]


def test_late_filing_is_flagged(world: World, settings: object) -> None:
    settings.TIAOJIE_STATISTICS_FILING_DAYS = -1  # type: ignore[attr-defined]
    row = filing.report_for(world.org(COMMITTEE), last_month())
    nil = filing.is_empty(filing.figures_now(row))
    row = filing.report_transition(
        actor=world.user("demo_director"), report_row=row, action="file", nil=nil
    )
    assert row.late


def test_the_page_files_with_htmx_and_shows_the_refusal(
    world: World, client_as: Callable[[str], Client]
) -> None:
    case_last_month(world)
    code = last_month().code
    client = client_as("demo_director")
    page = client.get("/statistics/filing/", {"period": code})
    assert page.status_code == 200 and 'id="do-file"' in page.content.decode()
    row = StatReport.objects.get(organisation=world.org(COMMITTEE), period=code)
    refused = client.post(
        f"/statistics/filing/{row.pk}/act/",
        {"action": "file", "nil": "on", "version": row.version},
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 200 and 'id="filing-error"' in refused.content.decode()
    done = client.post(
        f"/statistics/filing/{row.pk}/act/",
        {"action": "file", "version": row.version},
        headers={"HX-Request": "true"},
    )
    assert StatReport.objects.get(pk=row.pk).status == S.FILED
    assert 'id="do-file"' not in done.content.decode()
    street = client_as("demo_street")
    assert (
        'id="do-approve"'
        in street.get(
            "/statistics/filing/", {"organisation": str(world.org(COMMITTEE).pk), "period": code}
        ).content.decode()
    )
