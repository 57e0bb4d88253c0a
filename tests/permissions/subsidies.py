"""Permission cases for the per-case subsidy pages and API operations.

A sheet of 东湖社区 (committee A) for last month, computed with the rules of 东湖区: its
director, the street office and the bureaus above read it; roles without ``subsidy.view``
get 403 on pages and 404 from the API's object endpoints. A director of another committee
finds nothing (404): ``tiaojie/subsidies/tests/test_pages.py``."""

from __future__ import annotations

from typing import Any

from tests import personas as p
from tests.permission_kit import ApiCase, PageCase
from tiaojie.accounts.models import User


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _rules() -> Any:
    from tiaojie.subsidies.models import SubsidyRuleSet
    from tiaojie.subsidies.tests.helpers import months_ago, standard_rules

    existing = SubsidyRuleSet.objects.filter(valid_from=months_ago(6)).first()
    return existing or standard_rules(months_ago(6))


def _sheet() -> Any:
    from tiaojie.subsidies.services import sheets
    from tiaojie.subsidies.tests.helpers import ended_case, last_month

    _rules()
    ended_case(last_month())
    return sheets.sheet_compute(
        actor=_user(p.DIRECTOR_A), committee=p.org(p.COMMITTEE_A), month=last_month()
    )


def sheet() -> dict[str, int]:
    return {"pk": _sheet().pk}


def rules() -> dict[str, int]:
    return {"pk": _rules().pk}


def _last_month() -> str:
    from tiaojie.subsidies.tests.helpers import last_month

    return f"{last_month():%Y-%m}"


def _rule_body() -> dict[str, Any]:
    from tiaojie.subsidies.tests.helpers import months_ago

    return {
        "name": "以案定补标准",
        "valid_from": f"{months_ago(2):%Y-%m-%d}",
        "bands": [
            {"dimension": "amount", "tier": "general", "lower": "0", "upper": "10000"},
            {"dimension": "amount", "tier": "difficult", "lower": "10000", "upper": "100000"},
            {"dimension": "amount", "tier": "major", "lower": "100000"},
        ],
        "amounts": [
            {"committee_kind": "community", "tier": "general", "amount": "30"},
            {"committee_kind": "community", "tier": "difficult", "amount": "80"},
            {"committee_kind": "community", "tier": "major", "amount": "150"},
        ],
    }


READERS = {p.DIRECTOR_A: 200, p.STREET: 200, p.DISTRICT: 200, p.CITY: 200}
CONFIGURERS = {p.DISTRICT: 200, p.CITY: 200}

PAGE_CASES: list[PageCase] = [
    PageCase("subsidies:sheet_list", expect=READERS),
    PageCase("subsidies:sheet_detail", sheet, READERS),
    # A GET of the action or compute URL goes back to the sheet or the list.
    PageCase("subsidies:sheet_action", sheet, {k: 302 for k in READERS}),
    PageCase("subsidies:sheet_compute", expect={p.DIRECTOR_A: 302}),
    PageCase("subsidies:sheet_export", sheet, READERS),
    PageCase("subsidies:rule_list", expect=CONFIGURERS),
    PageCase("subsidies:rule_create", expect=CONFIGURERS),
    PageCase("subsidies:rule_detail", rules, READERS),
]

API_CASES: list[ApiCase] = [
    ApiCase("subsidy_rule_sets_list", "get", "/subsidies/rule-sets", expect=READERS, default=403),
    ApiCase(
        "subsidy_rule_sets_read",
        "get",
        "/subsidies/rule-sets/{rule_set_id}",
        lambda: {"rule_set_id": _rules().pk},
        expect=READERS,
        default=404,
    ),
    ApiCase(
        "subsidy_rule_sets_create",
        "post",
        "/subsidies/rule-sets",
        body=_rule_body,
        expect={k: 201 for k in CONFIGURERS},
        default=403,
    ),
    ApiCase(
        "subsidy_rule_sets_update",
        "put",
        "/subsidies/rule-sets/{rule_set_id}",
        lambda: {"rule_set_id": _rules().pk},
        lambda: {**_rule_body(), "valid_from": f"{_rules().valid_from:%Y-%m-%d}"},
        expect=CONFIGURERS,
        default=403,
    ),
    ApiCase("subsidy_sheets_list", "get", "/subsidies/sheets", expect=READERS, default=403),
    ApiCase(
        "subsidy_mediators_list",
        "get",
        "/subsidies/mediators",
        expect=READERS,
        default=403,
    ),
    ApiCase(
        "subsidy_sheets_read",
        "get",
        "/subsidies/sheets/{sheet_id}",
        lambda: {"sheet_id": _sheet().pk},
        expect=READERS,
        default=404,
    ),
    ApiCase(
        "subsidy_sheets_compute",
        "post",
        "/subsidies/sheets",
        body=lambda: (_rules(), {"month": _last_month()})[1],
        expect={p.DIRECTOR_A: 200},
        default=403,
    ),
    # Only the committee's director submits; the officers above read it but may not (403).
    ApiCase(
        "subsidy_sheets_transition",
        "post",
        "/subsidies/sheets/{sheet_id}/transitions",
        lambda: {"sheet_id": _sheet().pk},
        lambda: {"action": "submit"},
        expect={p.DIRECTOR_A: 200, p.STREET: 403, p.DISTRICT: 403, p.CITY: 403},
        default=404,
    ),
]
