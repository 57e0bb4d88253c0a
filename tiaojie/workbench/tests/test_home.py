"""The home page counts what waits for each role, and each count leads to a list of exactly
those rows; its queries do not grow with the cases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World
from tiaojie.accounts.demo import DEMO_ACCOUNTS
from tiaojie.cases.services import records
from tiaojie.cases.tests import factories as f
from tiaojie.supervision.services.supervision import supervision_open
from tiaojie.supervision.tests.helpers import working_day
from tiaojie.workbench.selectors import Section

HOME = reverse("workbench:home")


def _sections(client: Client) -> dict[str, Section]:
    response = client.get(HOME)
    assert response.status_code == 200
    found = {s.key: s for s in response.context["case_sections"]}
    found["todo"] = response.context["todo"]
    return found


def _numbers(section: Section) -> dict[str, int]:
    return {t.key: t.number for t in section.tallies}


def _listed(client: Client, url: str) -> int | None:
    """How many rows the list at ``url`` holds (None: the page does not paginate)."""
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.context.get("page") if response.context else None
    return page.paginator.count if page is not None and hasattr(page, "paginator") else None


@pytest.fixture
def busy(world: World) -> None:
    """Two cases in mediation with the mediator, one waiting to be accepted, one supervised by
    the justice office, overdue."""
    mediator = world.user("demo_mediator")
    first = f.to_mediation(mediator, f.register(mediator))
    f.to_mediation(mediator, f.register(mediator))
    f.register(mediator)
    supervision_open(
        actor=world.user("demo_street"),
        case=first,
        deadline=working_day(5),
        instructions="请于五日内报告调解进展。",
    )


def test_the_mediator_sees_their_cases_by_status(
    busy: None, client_as: Callable[[str], Client]
) -> None:
    sections = _sections(client_as("demo_mediator"))
    assert _numbers(sections["mine"]) == {"mine-in_mediation": 2}
    assert _numbers(sections["scope"]) == {"scope-registered": 1, "scope-in_mediation": 2}
    todo = _numbers(sections["todo"])
    assert todo["supervisions"] == 1  # to report on
    assert "queue" not in todo  # a mediator routes nothing


def test_a_case_of_two_mediators_counts_once_and_is_mine_only_while_i_serve(
    world: World, client_as: Callable[[str], Client]
) -> None:
    mediator = world.user("demo_mediator")
    director = world.user("demo_director")
    shared = f.to_mediation(mediator, f.register(mediator))
    records.mediator_add(actor=director, case=shared, mediator=director)
    left = f.to_mediation(mediator, f.register(mediator))
    records.mediator_add(actor=director, case=left, mediator=director)
    records.mediator_withdraw(actor=director, case=left, mediator=mediator, reason="申请回避")

    sections = _sections(client_as("demo_mediator"))
    assert _numbers(sections["mine"]) == {"mine-in_mediation": 1}
    assert _numbers(sections["scope"]) == {"scope-in_mediation": 2}
    sections = _sections(client_as("demo_director"))
    assert _numbers(sections["mine"]) == {"mine-in_mediation": 2}
    assert _numbers(sections["scope"]) == {"scope-in_mediation": 2}
    assert _numbers(_sections(client_as("demo_street"))["scope"]) == {"scope-in_mediation": 2}


def test_the_officer_sees_the_counts_of_their_subtree(
    busy: None, client_as: Callable[[str], Client]
) -> None:
    sections = _sections(client_as("demo_street"))
    assert "mine" not in sections
    assert _numbers(sections["scope"]) == {"scope-registered": 1, "scope-in_mediation": 2}
    todo = _numbers(sections["todo"])
    assert todo["supervisions"] == 1
    assert {"queue", "overdue", "near_due", "reviews", "unread"} <= set(todo)


@pytest.mark.parametrize("username", [a.username for a in DEMO_ACCOUNTS])
def test_every_count_of_every_role_leads_to_a_list_of_as_many_rows(
    busy: None, client_as: Callable[[str], Client], username: str
) -> None:
    client = client_as(username)
    for section in _sections(client).values():
        for tally in section.tallies:
            listed = _listed(client, tally.url)
            if listed is not None:
                assert listed == tally.number, (username, tally.key, tally.url)


def test_the_administrators_get_their_pages_and_no_case_counts(
    world: World, client_as: Callable[[str], Client]
) -> None:
    response = client_as("demo_auditadmin").get(HOME)
    assert response.context["case_sections"] == []
    assert b'data-card="audit:event_list"' in response.content


def test_the_number_of_queries_does_not_grow_with_the_cases(
    world: World, client_as: Callable[[str], Client]
) -> None:
    mediator = world.user("demo_mediator")
    f.to_mediation(mediator, f.register(mediator))
    client = client_as("demo_street")
    client.get(HOME)  # the first request of a session also writes the session

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(HOME).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for _ in range(6):
        f.to_mediation(mediator, f.register(mediator))
    # session, user, the ancestors, the status counts, the deadline context (2) and totals,
    # queue, supervisions, files to review, unread notifications (badge and count).
    assert queries() == few == 12


# Statements one request for the home page sends, by role, whatever the number of cases: the
# session and the user, the organisation's ancestors, then each role's figures (the status
# counts; the deadline context (2) and the near-due and overdue totals (1); the queue, the
# supervisions, the files to review; unread notifications for the badge and the count). A
# committee's staff also read the ids of its joint cases for each of their three case figures
# (ADR 0067: one index probe each, instead of a subquery that kept every count off the index).
HOME_STATEMENTS = {
    "demo_city": 11,
    "demo_district": 12,
    "demo_street": 12,
    "demo_director": 15,
    "demo_mediator": 13,
    "demo_mediator_b": 13,
    "demo_grid": 7,
    "demo_sysadmin": 5,
    "demo_secadmin": 5,
    "demo_auditadmin": 4,
}


@pytest.mark.parametrize("username", [a.username for a in DEMO_ACCOUNTS])
def test_each_role_s_home_page_sends_a_fixed_number_of_statements(
    busy: None,
    client_as: Callable[[str], Client],
    django_assert_num_queries: Callable[[int], AbstractContextManager[object]],
    username: str,
) -> None:
    client = client_as(username)
    client.get(HOME)  # the first request of a session also writes the session
    with django_assert_num_queries(HOME_STATEMENTS[username]):
        assert client.get(HOME).status_code == 200


def test_the_deadline_figures_are_those_of_cases_dated_by_hand(world: World) -> None:
    """On Wednesday 11 March 2026 (no holiday near): accepting takes 3 working days and warns
    1 ahead; mediation warns 5 working days ahead. Each case sits on one side of a boundary."""
    from tiaojie.cases.models import Case
    from tiaojie.deadlines.context import DeadlineContext, start_of_day
    from tiaojie.deadlines.selectors import deadline_items, level_totals

    today = dt.date(2026, 3, 11)
    mediator = world.user("demo_mediator")

    def registered(day: dt.date) -> None:
        case = f.register(mediator)
        at = start_of_day(day) + dt.timedelta(hours=10)
        Case.objects.filter(pk=case.pk).update(registered_at=at)

    def mediating(actor_name: str, due: dt.date, extended: dt.date | None = None) -> None:
        actor = world.user(actor_name)
        case = f.to_mediation(actor, f.register(actor))
        Case.objects.filter(pk=case.pk).update(due_on=due, extended_to=extended)

    registered(dt.date(2026, 3, 5))  # due Tue 10: overdue
    registered(dt.date(2026, 3, 6))  # due today: near due
    registered(dt.date(2026, 3, 9))  # due Thu 12, one working day ahead: near due
    registered(dt.date(2026, 3, 10))  # due Fri 13: neither
    mediating("demo_mediator", dt.date(2026, 3, 10))  # overdue
    mediating("demo_mediator", today)  # due today: near due
    mediating("demo_mediator", dt.date(2026, 3, 18))  # five working days ahead: near due
    mediating("demo_mediator", dt.date(2026, 3, 19))  # six: neither
    mediating("demo_mediator", dt.date(2026, 3, 2), dt.date(2026, 3, 31))  # extended: neither
    mediating("demo_mediator_b", dt.date(2026, 3, 2))  # another committee's, overdue

    ctx = DeadlineContext.build(today)
    expected = {
        # The committee's own cases only; the other committee's are not theirs to answer for.
        "demo_mediator": {"overdue": 2, "near_due": 4},
        "demo_director": {"overdue": 2, "near_due": 4},
        "demo_mediator_b": {"overdue": 1, "near_due": 0},
        # The justice office and the district see both committees.
        "demo_street": {"overdue": 3, "near_due": 4},
        "demo_district": {"overdue": 3, "near_due": 4},
    }
    for username, figures in expected.items():
        user = world.user(username)
        assert level_totals(user, ctx) == figures, username
        listed = deadline_items(user, ctx=ctx).counts
        for level, n in figures.items():
            assert sum(v for (_k, lv), v in listed.items() if lv == level) == n, username
