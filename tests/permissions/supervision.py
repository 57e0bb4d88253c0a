"""Permission cases for the supervision pages and API operations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tests import personas as p
from tests.permission_kit import ApiCase, PageCase
from tiaojie.accounts.models import User


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _case_a() -> Any:
    from tiaojie.cases.tests.factories import register

    return register(_user(p.MEDIATOR_A))


def _declined_a() -> Any:
    from tiaojie.cases.workflow import transition

    return transition(
        actor=_user(p.MEDIATOR_A),
        case=_case_a(),
        action="decline",
        reason="已起诉",
        data={"decline_reason": "before_other_body"},
    )


def _closed_out_a() -> Any:
    from tiaojie.supervision.services.ledger import close_out

    case = _declined_a()
    close_out(actor=_user(p.DIRECTOR_A), case=case, reason="declined")
    return case


def _supervision_a() -> Any:
    from tiaojie.supervision.tests.helpers import flag

    return flag(_user(p.STREET), _case_a())


def case_a() -> dict[str, int]:
    return {"pk": _case_a().pk}


def declined_a() -> dict[str, int]:
    return {"pk": _declined_a().pk}


def closed_out_a() -> dict[str, int]:
    return {"pk": _closed_out_a().pk}


def supervision_a() -> dict[str, int]:
    return {"pk": _supervision_a().pk}


# Committee staff and the officers above read the case; the sibling committee and the grid
# worker find nothing; the administrators' roles read no case contents (403).
CASE_READERS_A = {
    p.MEDIATOR_A: 200,
    p.DIRECTOR_A: 200,
    p.MEDIATOR_B: 404,
    p.GRID_A: 404,
    p.STREET: 200,
    p.DISTRICT: 200,
    p.CITY: 200,
}
# Everyone who reads cases and keeps (or works under) a ledger; a grid keeps none.
LEDGER_READERS = {
    p.MEDIATOR_A: 200,
    p.MEDIATOR_B: 200,
    p.DIRECTOR_A: 200,
    p.STREET: 200,
    p.DISTRICT: 200,
    p.CITY: 200,
}
LEDGER_KEEPERS = {p.DIRECTOR_A: 200, p.STREET: 200, p.DISTRICT: 200, p.CITY: 200}
SUPERVISORS = {p.STREET: 200, p.DISTRICT: 200, p.CITY: 200}

PAGE_CASES: list[PageCase] = [
    PageCase("supervision:supervision_list", expect=LEDGER_READERS),
    PageCase("supervision:supervision_detail", supervision_a, {**CASE_READERS_A, p.GRID_A: 404}),
    PageCase("supervision:supervision_action", supervision_a, CASE_READERS_A),
    PageCase("supervision:supervision_flag", case_a, SUPERVISORS),
    PageCase("supervision:case_panel", case_a, CASE_READERS_A),
    PageCase("supervision:case_trace", case_a, CASE_READERS_A),
    # Closing out needs the capability first (mediators 403), then the case in scope.
    PageCase("supervision:close_out", declined_a, LEDGER_KEEPERS),
    PageCase("supervision:close_out_reopen", closed_out_a, LEDGER_KEEPERS),
    PageCase("supervision:ledger", expect=LEDGER_READERS),
    PageCase("supervision:ledger_export", expect=LEDGER_KEEPERS),
    # An empty POST is refused with a message and sent back to the ledger.
    PageCase(
        "supervision:ledger_carry_over",
        expect={k: 302 for k in LEDGER_KEEPERS},
        method="post",
    ),
    PageCase("supervision:trace_report", expect=LEDGER_KEEPERS),
]


def _last_month() -> str:
    first = timezone.localdate().replace(day=1)
    return f"{first - dt.timedelta(days=1):%Y-%m}"


API_CASES: list[ApiCase] = [
    ApiCase("ledger_list", "get", "/ledger", expect=LEDGER_READERS, default=403),
    ApiCase("ledger_periods_list", "get", "/ledger/periods", expect=LEDGER_READERS, default=403),
    ApiCase(
        "ledger_close_out",
        "post",
        "/cases/{case_id}/close-out",
        lambda: {"case_id": _declined_a().pk},
        lambda: {"reason": "declined"},
        expect={k: 201 for k in LEDGER_KEEPERS},
        default=403,
    ),
    ApiCase(
        "ledger_reopen",
        "post",
        "/cases/{case_id}/close-out/reopen",
        lambda: {"case_id": _closed_out_a().pk},
        lambda: {"reason": "误销号"},
        expect=LEDGER_KEEPERS,
        default=403,
    ),
    ApiCase(
        "ledger_carry_over",
        "post",
        "/ledger/carry-over",
        body=lambda: {"organisation_id": p.org(p.COMMITTEE_A).pk, "month": _last_month()},
        expect={k: 201 for k in LEDGER_KEEPERS},
        default=403,
    ),
    ApiCase("supervisions_list", "get", "/supervisions", expect=LEDGER_READERS, default=403),
    ApiCase(
        "supervisions_read",
        "get",
        "/supervisions/{supervision_id}",
        lambda: {"supervision_id": _supervision_a().pk},
        expect={k: v for k, v in CASE_READERS_A.items() if v == 200},
        default=404,
    ),
    ApiCase(
        "supervisions_create",
        "post",
        "/cases/{case_id}/supervisions",
        lambda: {"case_id": _case_a().pk},
        lambda: {"instructions": "限期化解"},
        expect={k: 201 for k in SUPERVISORS},
        default=403,
    ),
    # Only the case's committee reports: its director; a mediator once assigned (none is yet); the
    # officers who read the case may not (403); outside the case's scope 404.
    ApiCase(
        "supervisions_transition",
        "post",
        "/supervisions/{supervision_id}/transitions",
        lambda: {"supervision_id": _supervision_a().pk},
        lambda: {"action": "report", "reason": "已受理"},
        expect={p.DIRECTOR_A: 200, p.MEDIATOR_A: 403, **{k: 403 for k in SUPERVISORS}},
        default=404,
    ),
    ApiCase(
        "case_trace_read",
        "get",
        "/cases/{case_id}/trace",
        lambda: {"case_id": _case_a().pk},
        expect={k: v for k, v in CASE_READERS_A.items() if v == 200},
        default=404,
    ),
    ApiCase(
        "trace_mediator_report",
        "get",
        "/trace/mediators/{mediator_id}",
        lambda: {"mediator_id": _user(p.MEDIATOR_A).pk},
        expect=LEDGER_KEEPERS,
        default=403,
    ),
    ApiCase(
        "trace_committee_report",
        "get",
        "/trace/organisations/{organisation_id}",
        lambda: {"organisation_id": p.org(p.COMMITTEE_A).pk},
        expect=LEDGER_KEEPERS,
        default=403,
    ),
]
