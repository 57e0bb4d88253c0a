"""The ledger: items stay on it until closed out, close-out rules, reopening, the month-end
carry-over, and the page and XLSX export (names only, audited)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import World
from tests.api.schema import call
from tiaojie.accounts.models import User
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.models import Case, DisputeType
from tiaojie.cases.services import aftercare
from tiaojie.cases.tests import factories as f
from tiaojie.cases.workflow import transition
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.supervision import ledger, months
from tiaojie.supervision.models import CloseOut, LedgerPeriod
from tiaojie.supervision.services.ledger import carry_over, close_out, close_out_reopen
from tiaojie.supervision.tests.helpers import flag
from tiaojie.supervision.views.ledger import PAGE_SIZE

LEDGER = reverse("supervision:ledger")


def declined(mediator: User) -> Case:
    return transition(
        actor=mediator,
        case=f.register(mediator),
        action="decline",
        reason="已由法院受理",
        data={"decline_reason": "before_other_body"},
    )


def test_an_open_case_stays_on_the_ledger_until_closed_out(world: World) -> None:
    mediator, director = world.user("demo_mediator"), world.user("demo_director")
    running = f.register(mediator)
    with pytest.raises(Conflict) as still_open:
        close_out(actor=director, case=running, reason="other")
    assert still_open.value.code == "case_not_ended"
    ended = declined(mediator)
    org = world.org("东湖社区人民调解委员会")
    month = months.first_of(timezone.localdate())
    open_now = ledger.items(ledger.of_organisation(org), month, "open")
    assert set(open_now) == {running, ended}
    with pytest.raises(NotPermitted):  # mediators read the ledger but do not close out
        close_out(actor=mediator, case=ended, reason="declined")
    with pytest.raises(ValidationFailed) as no_reason:
        close_out(actor=director, case=ended, reason="")
    assert no_reason.value.fields.keys() == {"reason"}
    close_out(actor=director, case=ended, reason="declined", note="已告知当事人")
    assert set(ledger.items(ledger.of_organisation(org), month, "open")) == {running}
    assert set(ledger.items(ledger.of_organisation(org), month, "closed")) == {ended}
    event = AuditEvent.objects.get(event_type=EventType.LEDGER_CLOSED_OUT)
    assert event.after == {
        "closed_on": timezone.localdate().isoformat(),
        "reason": "declined",
        "case_status": "declined",
    }
    with pytest.raises(Conflict):
        close_out(actor=director, case=ended, reason="declined")


def test_an_agreed_case_leaves_once_performance_is_known(world: World) -> None:
    mediator, director = world.user("demo_mediator"), world.user("demo_director")
    agreed = f.to_agreement(mediator, f.register(mediator))
    with pytest.raises(Conflict) as pending:
        close_out(actor=director, case=agreed, reason="agreement_performed")
    assert "follow-up" in pending.value.message or "回访" in pending.value.message
    aftercare.follow_up_add(
        actor=mediator,
        case=agreed,
        visited_on=timezone.localdate(),
        method="phone",
        party_visited="王建华",
        performance="performed",
        satisfaction="satisfied",
    )
    item = close_out(actor=director, case=agreed, reason="agreement_performed")
    assert item.closed_by == director


def test_officers_close_out_in_their_subtree_and_reopen(world: World) -> None:
    case = declined(world.user("demo_mediator_b"))
    with pytest.raises(NotPermitted):  # another committee's director
        close_out(actor=world.user("demo_director"), case=case, reason="declined")
    street = world.user("demo_street")
    with pytest.raises(ValidationFailed) as future:
        close_out(
            actor=street,
            case=case,
            reason="declined",
            closed_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert future.value.fields.keys() == {"closed_on"}
    close_out(actor=street, case=case, reason="declined")
    with pytest.raises(ValidationFailed):
        close_out_reopen(actor=street, case=case, reason=" ")
    close_out_reopen(actor=world.user("demo_district"), case=case, reason="误销号")
    assert not CloseOut.objects.filter(case=case).exists()
    event = AuditEvent.objects.get(event_type=EventType.LEDGER_REOPENED)
    assert event.before == {"closed_on": timezone.localdate().isoformat(), "reason": "declined"}
    assert event.reason == "误销号"
    with pytest.raises(Conflict):
        close_out_reopen(actor=street, case=case, reason="again")


def _place(case: Case, registered: dt.date, closed_out: dt.date | None) -> None:
    """Test set-up only: move a case's registration and close-out to the given days."""
    at = timezone.make_aware(dt.datetime.combine(registered, dt.time(10)))
    Case.objects.filter(pk=case.pk).update(registered_at=at, closed_on=registered)
    # The close-out's copy of the registration moves with it (ADR 0068).
    CloseOut.objects.filter(case=case).update(registered_at=at)
    if closed_out is not None:
        CloseOut.objects.filter(case=case).update(closed_on=closed_out)


def test_carry_over_freezes_the_figures_of_a_fixed_set_of_cases(world: World) -> None:
    mediator, director = world.user("demo_mediator"), world.user("demo_director")
    month = months.previous_month(months.first_of(timezone.localdate()))
    before, after = month - dt.timedelta(days=20), months.next_month(month)
    during = month + dt.timedelta(days=5)
    plan = [  # registered, closed out: what the month counts
        (before, None),  # carried in and out
        (before, during),  # carried in, closed out
        (during, None),  # new, carried out
        (during, during + dt.timedelta(days=3)),  # new, closed out
        (during, after),  # new, carried out (closed out later)
        (before - dt.timedelta(days=30), before),  # gone before the month
    ]
    for registered, closed in plan:
        case = declined(mediator)
        if closed is not None:
            close_out(actor=director, case=case, reason="declined")
        _place(case, registered, closed)
    f.register(mediator)  # registered this month: not in last month's figures
    org = world.org("东湖社区人民调解委员会")
    period = carry_over(actor=director, organisation=org, month=month)
    assert (period.carried_in, period.new, period.closed_out, period.carried_out) == (2, 3, 2, 3)
    assert period.carried_in + period.new - period.closed_out == period.carried_out
    with pytest.raises(Conflict) as twice:
        carry_over(actor=director, organisation=org, month=month)
    assert twice.value.code == "already_carried_over"
    with pytest.raises(Conflict) as unfinished:
        carry_over(actor=director, organisation=org, month=months.first_of(timezone.localdate()))
    assert unfinished.value.code == "month_not_ended"
    with pytest.raises(NotPermitted):
        carry_over(actor=director, organisation=world.org("梨园社区人民调解委员会"), month=month)
    # The office above counts the same cases (its committees' ledgers roll up).
    office = carry_over(
        actor=world.user("demo_street"), organisation=world.org("东湖街道司法所"), month=month
    )
    assert office.carried_out == 3
    event = AuditEvent.objects.filter(event_type=EventType.LEDGER_CARRIED_OVER).first()
    assert event is not None and event.after is not None and event.after["new"] == 3
    # A close-out dated into a frozen month is refused.
    late = declined(mediator)
    _place(late, before, None)
    with pytest.raises(ValidationFailed) as frozen:
        close_out(actor=director, case=late, reason="declined", closed_on=during)
    assert frozen.value.code == "month_carried_over"


def test_the_live_figures_are_two_statements_and_add_up(
    world: World, django_assert_num_queries: Callable[..., Any]
) -> None:
    """The page's figures for a month not yet carried over, read in two counts, the cases and
    their close-outs (a ledger of 100,000 carried cases was read four times, ADR 0066): each
    kind of case counted where it belongs."""
    mediator, director = world.user("demo_mediator"), world.user("demo_director")
    month = months.previous_month(months.first_of(timezone.localdate()))
    before, after = month - dt.timedelta(days=20), months.next_month(month)
    during = month + dt.timedelta(days=5)
    for registered, closed in [
        (before, None),  # carried in and out
        (before, during),  # carried in, closed out
        (during, after),  # new, carried out (closed out later)
        (during, during),  # new, closed out
        (after, None),  # registered after the month: in none of its figures
    ]:
        case = declined(mediator)
        if closed is not None:
            close_out(actor=director, case=case, reason="declined")
        _place(case, registered, closed)
    committee = world.org("东湖社区人民调解委员会")
    with django_assert_num_queries(2):
        got = ledger.figures(committee, month)
    assert (got.carried_in, got.new, got.closed_out, got.carried_out) == (2, 2, 2, 2)
    assert ledger.figures(world.org("梨园社区人民调解委员会"), month) == ledger.Figures(0, 0, 0, 0)


def test_the_ledger_page_lists_open_items_and_closes_them_out(
    world: World, client_as: Callable[[str], Client]
) -> None:
    mediator = world.user("demo_mediator")
    running = f.register(mediator)
    ended = declined(mediator)
    flag(world.user("demo_street"), running)
    director = client_as("demo_director")
    page = director.get(LEDGER).content.decode()
    assert running.number in page and ended.number in page
    assert "王建华" in page and f.WANG_ID not in page and "13812345678" not in page
    assert "东湖街" in page  # the supervision column
    refused = director.post(
        reverse("supervision:close_out", args=[running.pk]),
        {"reason": "other", "closed_on": timezone.localdate().isoformat()},
    )
    assert refused.status_code == 409
    assert not CloseOut.objects.exists()
    done = director.post(
        reverse("supervision:close_out", args=[ended.pk]),
        {"reason": "declined", "closed_on": timezone.localdate().isoformat()},
        headers={"HX-Request": "true"},
    )
    assert done.status_code == 200 and done.headers["HX-Refresh"] == "true"
    page = director.get(LEDGER).content.decode()
    assert f'id="ledger-row-{ended.pk}"' not in page and f'id="ledger-row-{running.pk}"' in page
    closed = director.get(f"{LEDGER}?show=closed").content.decode()
    assert f'id="ledger-row-{ended.pk}"' in closed and running.number not in closed
    mediator_page = client_as("demo_mediator").get(LEDGER).content.decode()
    assert running.number in mediator_page
    assert reverse("supervision:close_out", args=[running.pk]) not in mediator_page
    assert (
        client_as("demo_mediator")
        .post(reverse("supervision:close_out", args=[ended.pk]), {"reason": "declined"})
        .status_code
        == 403
    )


def test_the_ledger_exports_to_xlsx_masked_and_audited(
    world: World, client_as: Callable[[str], Client]
) -> None:
    case = f.register(world.user("demo_mediator"))
    org = world.org("东湖街道司法所")
    response = client_as("demo_street").get(
        reverse("supervision:ledger_export"), {"organisation": org.pk}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    today = timezone.localdate()
    assert org.name in str(rows[0][0]) and str(today.year) in str(rows[0][0])
    assert len(rows[1]) == 13 and rows[1][2] in ("Case number", "案件编号")
    assert rows[2][0] == "1" and rows[2][2] == case.number
    assert rows[2][4] == "王建华、李秀英"
    text = str(rows)
    assert f.WANG_ID not in text and "13812345678" not in text and "3栋201室" not in text
    event = AuditEvent.objects.get(event_type=EventType.LEDGER_EXPORTED)
    assert event.after is not None and event.after["rows"] == 1
    assert event.organisation == org
    assert client_as("demo_mediator").get(reverse("supervision:ledger_export")).status_code == 403


def test_the_page_shows_frozen_figures_and_carries_over(
    world: World, client_as: Callable[[str], Client]
) -> None:
    org = world.org("东湖社区人民调解委员会")
    month = months.previous_month(months.first_of(timezone.localdate()))
    director = client_as("demo_director")
    url = f"{LEDGER}?organisation={org.pk}&month={month:%Y-%m}"
    assert 'data-frozen="no"' in director.get(url).content.decode()
    response = director.post(
        reverse("supervision:ledger_carry_over"),
        {"organisation": org.pk, "month": f"{month:%Y-%m}"},
    )
    assert response.status_code == 302
    assert LedgerPeriod.objects.filter(organisation=org, month=month).exists()
    assert 'data-frozen="yes"' in director.get(url).content.decode()
    # Another organisation's ledger is not found; a grid keeps none.
    other = world.org("翠柳社区人民调解委员会")
    assert director.get(f"{LEDGER}?organisation={other.pk}").status_code == 404
    assert client_as("demo_grid").get(LEDGER).status_code == 403


def test_the_ledger_page_comes_in_pages_and_keeps_each_name_whole(
    world: World, client_as: Callable[[str], Client]
) -> None:
    mediator = world.user("demo_mediator")
    for _ in range(PAGE_SIZE + 1):
        f.register(mediator)
    director = client_as("demo_director")
    first = director.get(LEDGER)
    assert len(first.context["page"]) == PAGE_SIZE
    html = first.content.decode()
    assert "page=2" in html  # a link to the rest
    assert "{#" not in html and "#}" not in html  # no template comment printed on the page
    assert '<span class="party-name">王建华、</span><span class="party-name">李秀英</span>' in html
    second = director.get(f"{LEDGER}?page=2")
    assert len(second.context["page"]) == 1


def test_the_rows_and_the_count_of_each_list_agree_with_the_figures(
    world: World, client_as: Callable[[str], Client], api_as: Callable[[str], Client]
) -> None:
    """A month not carried over: the page and the API count each list (open at the month's
    end, closed out in it, all of it) from the month's figures instead of counting the rows
    again (ADR 0066), so the count must be the rows' own; a filtered list is still counted."""
    mediator, director = world.user("demo_mediator"), world.user("demo_director")
    month = months.previous_month(months.first_of(timezone.localdate()))
    before, after = month - dt.timedelta(days=20), months.next_month(month)
    during = month + dt.timedelta(days=5)
    placed: dict[str, Case] = {}
    for name, registered, closed in [
        ("carried", before, None),
        ("closed_in_month", before, during),
        ("new_closed_later", during, after),
        ("new_closed", during, during),
        ("gone_before", before - dt.timedelta(days=30), before),
        ("registered_after", after, None),
        # Registered in the month, closed out on an earlier day (an agreement recorded after
        # the fact takes effect when it was reached): new, and on none of the lists.
        ("closed_before_registered", during, before),
    ]:
        case = declined(mediator)
        if closed is not None:
            close_out(actor=director, case=case, reason="declined")
        _place(case, registered, closed)
        placed[name] = case
    expected = {
        "open": {"carried", "new_closed_later"},
        "closed": {"closed_in_month", "new_closed"},
        "all": {"carried", "closed_in_month", "new_closed_later", "new_closed"},
    }
    got = ledger.figures(world.org("东湖社区人民调解委员会"), month)
    assert (got.carried_in, got.new, got.closed_out, got.carried_out) == (2, 3, 2, 2)
    client, api = client_as("demo_director"), api_as("demo_director")
    for show, names in expected.items():
        url = f"{LEDGER}?month={month:%Y-%m}&show={show}"
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url).context["page"]
        assert {c.pk for c in page} == {placed[n].pk for n in names}, show
        assert page.paginator.count == len(names), show
        sql = [q["sql"] for q in ctx.captured_queries]
        # The figures' two counts (the cases, their close-outs); the rows are not counted
        # again (the paginator's own count of them).
        assert sum('COUNT("cases_case"."registered_at")' in q for q in sql) == 1, sql
        assert not [
            q for q in sql if q.startswith('SELECT COUNT(*) AS "__count" FROM "cases_case"')
        ]
        answer = call(api, "get", "/ledger", query={"month": f"{month:%Y-%m}", "show": show})
        assert answer.json()["count"] == len(names), show
        assert {r["id"] for r in answer.json()["results"]} == {placed[n].pk for n in names}
    # Filtered by a dispute type none of them has: counted, and none.
    other = DisputeType.objects.exclude(pk=placed["carried"].dispute_type_id).first()
    assert other is not None
    page = client.get(f"{LEDGER}?month={month:%Y-%m}&show=all&dispute_type={other.pk}")
    assert page.context["page"].paginator.count == 0
    assert 'data-figure="new">3<' in page.content.decode()  # the month's figures, unfiltered


def test_a_close_out_follows_its_committee_when_the_street_office_moves(world: World) -> None:
    """The figures count close-outs by the path they carry (ADR 0068): when an office moves to
    another district, its closed-out cases leave the old district's figures and join the new
    one's, as its cases do."""
    mediator, director = world.user("demo_mediator"), world.user("demo_director")
    case = declined(mediator)
    close_out(actor=director, case=case, reason="declined")
    month = months.first_of(timezone.localdate())
    old, new = world.org("东湖区司法局"), world.org("西山区司法局")
    before = {org.pk: ledger.figures(org, month) for org in (old, new)}
    world.move("东湖街道司法所", "西山区司法局")
    item = CloseOut.objects.get(case=case)
    case.refresh_from_db()
    assert item.committee_path == case.committee_path
    assert item.committee_path.startswith(world.org("西山区司法局").path)
    after = {org.pk: ledger.figures(org, month) for org in (old, new)}
    assert after[old.pk].closed_out == before[old.pk].closed_out - 1
    assert after[new.pk].closed_out == before[new.pk].closed_out + 1
    for figures in after.values():
        assert figures.carried_in + figures.new - figures.closed_out == figures.carried_out
