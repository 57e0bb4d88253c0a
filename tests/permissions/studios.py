"""Permission cases for the studios registry (调解工作室).

Committee A's brand room is seen by A's staff and the officers above (B's mediator: 404);
grid workers and the three administrators have no roster (403). Registering, editing and
closing are for directors and officers whose subtree holds the committee; a mediator reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests import personas as p
from tests.permission_kit import ApiCase, PageCase
from tiaojie.accounts.models import User


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _studio_a() -> Any:
    from tiaojie.mediators import studios

    return studios.studio_add(
        actor=_user(p.DIRECTOR_A),
        committee=p.org(p.COMMITTEE_A),
        data=studios.StudioData("老娘舅调解工作室", "brand", None, dt.date(2025, 1, 6)),
    )


def studio_a() -> dict[str, int]:
    return {"pk": _studio_a().pk}


VIEWERS = dict.fromkeys(
    (p.MEDIATOR_A, p.MEDIATOR_B, p.DIRECTOR_A, p.STREET, p.DISTRICT, p.CITY), 200
)
MANAGERS = {p.DIRECTOR_A: 200, p.STREET: 200, p.DISTRICT: 200, p.CITY: 200}


def _redirects(expect: dict[str, int]) -> dict[str, int]:
    return {k: 302 for k in expect}


PAGE_CASES: list[PageCase] = [
    PageCase("mediators:studio_list", expect=VIEWERS),
    PageCase("mediators:studio_add", expect=MANAGERS),
    # An empty form is refused on the page (422).
    PageCase("mediators:studio_add", expect={k: 422 for k in MANAGERS}, method="post"),
    PageCase("mediators:studio_edit", studio_a, MANAGERS),
    # Without a day the close is refused and sends back to the form (302 either way).
    PageCase("mediators:studio_close", studio_a, _redirects(MANAGERS), method="post"),
]


def _ids() -> dict[str, int]:
    return {"studio_id": _studio_a().pk}


API_CASES: list[ApiCase] = [
    ApiCase("mediator_studios_list", "get", "/mediator-studios", expect=VIEWERS, default=403),
    ApiCase(
        "mediator_studios_create",
        "post",
        "/mediator-studios",
        body=lambda: {
            "committee_id": p.org(p.COMMITTEE_A).pk,
            "name": "老娘舅调解工作室",
            "kind": "brand",
            "opened_on": "2025-01-06",
        },
        expect={k: 201 for k in MANAGERS},
        default=403,
    ),
    ApiCase(
        "mediator_studios_update",
        "put",
        "/mediator-studios/{studio_id}",
        _ids,
        lambda: {"name": "老娘舅调解室", "kind": "brand", "opened_on": "2025-01-06"},
        expect=MANAGERS,
        default=403,
    ),
    ApiCase(
        "mediator_studios_close",
        "post",
        "/mediator-studios/{studio_id}/close",
        _ids,
        lambda: {"closed_on": "2026-01-31"},
        expect=MANAGERS,
        default=403,
    ),
]
