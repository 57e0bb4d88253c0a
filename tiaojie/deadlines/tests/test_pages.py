"""The deadline pages as their users see them: lists scoped to the viewer, the calendar editor
refusing bad lines with what was typed kept, the rules page refusing nonsense."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.tests import factories as f
from tiaojie.cases.workflow import transition
from tiaojie.deadlines.calendar import covered_years
from tiaojie.deadlines.models import CalendarDay, DeadlineRule
from tiaojie.deadlines.scan import run_scan
from tiaojie.deadlines.tests.helpers import DIRECTOR, MEDIATOR, set_registered, user

pytestmark = pytest.mark.django_db
ClientAs = Callable[[str], Client]


def _late_registration() -> int:
    """A committee-A case registered two weeks ago and still not accepted: overdue."""
    case = f.register(user(MEDIATOR))
    set_registered(case, timezone.localdate() - dt.timedelta(days=14))
    return case.pk


def test_the_mediator_sees_the_overdue_case_and_the_sibling_committee_does_not(
    client_as: ClientAs,
) -> None:
    pk = _late_registration()
    page = client_as(MEDIATOR).get("/deadlines/").content.decode()
    assert f'data-case="{pk}" data-kind="accept" data-level="overdue"' in page
    assert "Overdue by" in page or "逾期" in page
    other = client_as("demo_mediator_b").get("/deadlines/").content.decode()
    assert f'data-case="{pk}"' not in other
    filtered = client_as(MEDIATOR).get("/deadlines/?kind=mediation").content.decode()
    assert f'data-case="{pk}"' not in filtered


def test_a_mediator_does_not_see_a_case_assigned_to_someone_else(client_as: ClientAs) -> None:
    director = user(DIRECTOR)
    case = f.register(director)
    case = transition(actor=director, case=case, action="accept")
    case = transition(
        actor=director, case=case, action="start_mediation", data={"mediator_ids": [director.pk]}
    )
    set_registered(case, timezone.localdate() - dt.timedelta(days=60))
    from tiaojie.cases.models import Case

    Case.objects.filter(pk=case.pk).update(due_on=timezone.localdate() - dt.timedelta(days=5))
    assert f'data-case="{case.pk}"' in client_as(DIRECTOR).get("/deadlines/").content.decode()
    assert f'data-case="{case.pk}"' not in client_as(MEDIATOR).get("/deadlines/").content.decode()


def test_the_htmx_filter_returns_the_table_only(client_as: ClientAs) -> None:
    _late_registration()
    response = client_as(MEDIATOR).get("/deadlines/?level=overdue", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"<html" not in response.content and b'data-level="overdue"' in response.content


def test_counts_per_organisation_for_the_district(client_as: ClientAs, world: World) -> None:
    _late_registration()
    page = client_as("demo_district").get("/deadlines/organisations/").content.decode()
    office = world.org("东湖街道司法所")
    row = page.split(f'data-organisation="{office.pk}"')[1].split("</tr>")[0]
    assert '<td class="overdue">1</td>' in row
    assert "西山区" not in page  # another district is no child of 东湖区


def test_the_case_panel_shows_the_deadline_and_the_open_alert(client_as: ClientAs) -> None:
    pk = _late_registration()
    run_scan()
    page = client_as(MEDIATOR).get(f"/deadlines/cases/{pk}/panel/").content.decode()
    assert 'data-kind="accept" data-level="overdue"' in page
    assert 'data-level="overdue"' in page.split('class="alerts"')[1]
    assert client_as("demo_mediator_b").get(f"/deadlines/cases/{pk}/panel/").status_code == 404


def test_the_calendar_warns_of_a_missing_year(client_as: ClientAs) -> None:
    this_year = timezone.localdate().year
    page = client_as("demo_district").get("/deadlines/calendar/").content.decode()
    for year in (this_year, this_year + 1):
        assert (f'data-missing="{year}"' in page) == (year not in covered_years())


def test_the_year_grid_colours_make_up_days_and_holidays(client_as: ClientAs) -> None:
    page = client_as("demo_city").get("/deadlines/calendar/2026/").content.decode()
    assert 'class="cal-makeup" title="春节调休上班" data-day="2026-02-14"' in page
    assert 'class="cal-holiday" title="春节" data-day="2026-02-16"' in page
    assert 'class="cal-rest" title="" data-day="2026-03-07"' in page


def test_a_new_year_starts_from_the_fixed_holidays(client_as: ClientAs) -> None:
    page = client_as("demo_district").get("/deadlines/calendar/2031/edit/").content.decode()
    assert "2031-01-01 holiday 元旦" in page and "2031-10-07 holiday 国庆节" in page
    assert "春节" in page  # the note says which to enter from the notice


def test_a_bad_line_is_refused_with_its_number_and_the_text_kept(client_as: ClientAs) -> None:
    typed = "2031-01-01 holiday 元旦\n2031-02-30 holiday 春节"
    response = client_as("demo_district").post(
        "/deadlines/calendar/2031/edit/", {"source": "通知", "lines": typed}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "第 2 行" in page and "2031-02-30" in page
    assert "2031-01-01 holiday 元旦" in page  # what was typed stays
    assert not CalendarDay.objects.filter(day__year=2031).exists()


def test_saving_a_year_goes_to_its_grid(client_as: ClientAs) -> None:
    response = client_as("demo_district").post(
        "/deadlines/calendar/2031/edit/",
        {"source": "通知", "lines": "2031-01-01 holiday 元旦\n2031-01-04 workday 调休"},
    )
    assert response.status_code == 302 and response["Location"] == "/deadlines/calendar/2031/"
    assert CalendarDay.objects.filter(day__year=2031).count() == 2


def test_the_rules_page_refuses_nonsense_and_saves_a_rule(
    client_as: ClientAs, world: World
) -> None:
    client = client_as("demo_district")
    assert "accept" in client.get("/deadlines/rules/").content.decode()
    refused = client.post(
        "/deadlines/rules/accept/",
        {"accept-value": "2", "accept-unit": "working_days", "accept-near_due_days": "2"},
    )
    assert refused.status_code == 422
    assert 'value="2"' in refused.content.decode()
    assert not DeadlineRule.objects.exists()
    zero = client.post(
        "/deadlines/rules/accept/",
        {"accept-value": "0", "accept-unit": "working_days", "accept-near_due_days": "0"},
    )
    assert zero.status_code == 422
    saved = client.post(
        "/deadlines/rules/accept/",
        {"accept-value": "5", "accept-unit": "working_days", "accept-near_due_days": "2"},
    )
    assert saved.status_code == 302
    rule = DeadlineRule.objects.get()
    assert (rule.owner, rule.value) == (world.org("东湖区司法局"), 5)
    event = AuditEvent.objects.filter(event_type=EventType.DEADLINE_RULE_SAVED).latest("id")
    assert event.after == {"kind": "accept", "value": 5, "unit": "working_days", "near_due_days": 2}
    stale = client.post(
        "/deadlines/rules/accept/",
        {
            "accept-value": "6",
            "accept-unit": "working_days",
            "accept-near_due_days": "2",
            "accept-version": "99",
        },
    )
    assert stale.status_code == 422 and DeadlineRule.objects.get().value == 5
    city = client_as("demo_city").get("/deadlines/rules/").content.decode()
    assert city.count("The default.") + city.count("默认") >= 1


def test_the_counts_per_organisation_are_each_organisations_deadline_sets(world: World) -> None:
    """Each row's counts, all taken in one pass, are the deadline sets of that organisation's
    own cases: for the district (rows per street office), the street office (per committee)
    and the city (per district), with cases late and near due in three committees."""
    from tiaojie.cases.models import Case
    from tiaojie.deadlines.context import DeadlineContext
    from tiaojie.deadlines.queries import PAIRS, deadline_set
    from tiaojie.deadlines.selectors import deadline_cases, organisation_counts
    from tiaojie.deadlines.tests.helpers import staff_of

    today = timezone.localdate()
    people = [user(MEDIATOR), user("demo_mediator_b"), staff_of("钢花村社区人民调解委员会")]
    for index, person in enumerate(people):
        for days in (14, 2 + index):
            set_registered(f.register(person), today - dt.timedelta(days=days))
        for due in (-3 - index, 1, 40):
            case = f.to_mediation(person, f.register(person))
            Case.objects.filter(pk=case.pk).update(due_on=today + dt.timedelta(days=due))
    ctx = DeadlineContext.build(today)
    for username in ("demo_district", "demo_street", "demo_city"):
        viewer = user(username)
        rows = organisation_counts(viewer, ctx)
        assert len({row.organisation.pk for row in rows}) == len(rows) > 1
        for row in rows:
            mine = deadline_cases(viewer).filter(committee_path__startswith=row.organisation.path)
            expected = {pair: deadline_set(mine, *pair, ctx).count() for pair in PAIRS}
            assert {pair: row.counts.get(pair, 0) for pair in PAIRS} == expected, (
                username,
                row.organisation.name,
            )
        assert sum(row.total for row in rows) > 0
