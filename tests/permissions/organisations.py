"""Permission cases for moving an organisation (迁移), page and API.

Committee A moves to its district bureau (a place a committee may sit). The street, district
and city officers and the city's system administrator manage committee A; the other district's
administrator does not see it (404); anyone else's role may not manage organisations (403). On
the API the street officer reaches committee A but not the district above (404)."""

from __future__ import annotations

from typing import Any

from tests import personas as p
from tests.permission_kit import ApiCase, PageCase

MANAGERS = {p.STREET: 200, p.DISTRICT: 200, p.CITY: 200, p.SYSADMIN: 200}


def committee_a() -> dict[str, int]:
    return {"pk": p.org(p.COMMITTEE_A).pk}


PAGE_CASES: list[PageCase] = [
    PageCase("organisations:move", committee_a, {**MANAGERS, p.XISHAN_SYSADMIN: 404}),
]


def _ids() -> dict[str, int]:
    return {"org_id": p.org(p.COMMITTEE_A).pk}


def _to_district() -> dict[str, Any]:
    return {
        "parent_id": p.org(p.DONGHU_DISTRICT).pk,
        "reason": "由区局直管",
        "version": p.org(p.COMMITTEE_A).version,
    }


API_CASES: list[ApiCase] = [
    ApiCase(
        "organisations_move",
        "post",
        "/organisations/{org_id}/move",
        _ids,
        _to_district,
        expect={**MANAGERS, p.STREET: 404, p.XISHAN_SYSADMIN: 404},
        default=404,
    ),
]
