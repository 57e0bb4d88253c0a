"""Permission cases for the deadlines pages and API operations."""

from __future__ import annotations

from typing import Any

from tests import personas as p
from tests.permission_kit import ApiCase, PageCase
from tiaojie.accounts.models import User


def case_of_committee_a() -> dict[str, int]:
    from tiaojie.cases.tests.factories import register

    return {"pk": register(User.objects.get(username=p.MEDIATOR_A)).pk}


def api_case_of_committee_a() -> dict[str, Any]:
    return {"case_id": case_of_committee_a()["pk"]}


# Everyone with case rights sees their own near-due list (grid workers an empty one).
CASE_READERS = {
    p.MEDIATOR_A: 200,
    p.MEDIATOR_B: 200,
    p.DIRECTOR_A: 200,
    p.GRID_A: 200,
    p.STREET: 200,
    p.DISTRICT: 200,
    p.CITY: 200,
}
CASE_READERS_A = {
    p.MEDIATOR_A: 200,
    p.DIRECTOR_A: 200,
    p.MEDIATOR_B: 404,
    p.GRID_A: 404,
    p.STREET: 200,
    p.DISTRICT: 200,
    p.CITY: 200,
}
# RULES_CONFIGURE: bureau officers (the justice-office officer has no such capability).
RULE_SETTERS = {p.DISTRICT: 200, p.CITY: 200}
NO_CASE_RIGHTS = {
    p.SYSADMIN: 403,
    p.SECADMIN: 403,
    p.AUDITADMIN: 403,
    p.XISHAN_SYSADMIN: 403,
    p.XISHAN_SECADMIN: 403,
    p.XISHAN_AUDITADMIN: 403,
}

PAGE_CASES: list[PageCase] = [
    PageCase("deadlines:deadline_list", expect=CASE_READERS),
    PageCase("deadlines:org_counts", expect=CASE_READERS),
    PageCase("deadlines:case_panel", case_of_committee_a, CASE_READERS_A),
    PageCase("deadlines:calendar_list", expect=RULE_SETTERS),
    PageCase("deadlines:calendar_year", lambda: {"year": 2026}, RULE_SETTERS),
    PageCase("deadlines:calendar_edit", lambda: {"year": 2027}, RULE_SETTERS),
    PageCase("deadlines:rule_list", expect=RULE_SETTERS),
    # GET of the save URL goes back to the rules page.
    PageCase("deadlines:rule_edit", lambda: {"kind": "accept"}, {p.DISTRICT: 302, p.CITY: 302}),
]

API_CASES: list[ApiCase] = [
    ApiCase("deadlines_list", "get", "/deadlines", expect=NO_CASE_RIGHTS),
    ApiCase(
        "deadlines_organisation_counts", "get", "/deadlines/organisations", expect=NO_CASE_RIGHTS
    ),
    ApiCase(
        "deadlines_case",
        "get",
        "/deadlines/cases/{case_id}",
        api_case_of_committee_a,
        expect={**CASE_READERS_A, **NO_CASE_RIGHTS},
        default=404,
    ),
    ApiCase("deadline_rules_list", "get", "/deadline-rules", expect=RULE_SETTERS, default=403),
    ApiCase(
        "deadline_rules_update",
        "put",
        "/deadline-rules/{kind}",
        lambda: {"kind": "accept"},
        body=lambda: {"value": 4, "unit": "working_days", "near_due_days": 1},
        expect=RULE_SETTERS,
        default=403,
    ),
    ApiCase("calendar_years_list", "get", "/calendar", expect=RULE_SETTERS, default=403),
    ApiCase(
        "calendar_years_read",
        "get",
        "/calendar/{year}",
        lambda: {"year": 2026},
        expect=RULE_SETTERS,
        default=403,
    ),
    ApiCase(
        "calendar_years_update",
        "put",
        "/calendar/{year}",
        lambda: {"year": 2030},
        body=lambda: {"source": "", "days": [{"day": "2030-01-01", "kind": "holiday"}]},
        expect=RULE_SETTERS,
        default=403,
    ),
]
