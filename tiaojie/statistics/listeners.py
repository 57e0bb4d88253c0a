"""What statistics does when a case (or a screening round, or a prevented escalation) changes
(docs/events.md). Imported at start-up by ``core`` with every app's ``listeners.py``.

Each listener reads the current rows and applies only the difference, so an event delivered
twice, or late, or out of order, leaves the figures right."""

from __future__ import annotations

import datetime as dt

from tiaojie.core.events import Event, listen
from tiaojie.statistics import moves, rollup
from tiaojie.statistics.choices import EscalationKind


@listen("case.registered")
@listen("case.moved")
@listen("case.updated")
@listen("agreement.in_effect")
def refresh_case_figures(event: Event) -> None:
    """Recompute the case's fact and move the figures by the difference."""
    rollup.refresh_case(int(event.payload["case_id"]))


@listen("escalation.prevented")
def count_prevented_escalation(event: Event) -> None:
    """防止民转刑 / 群体性上访 / 群体性械斗 / 自杀: a case and its people, once per case and kind."""
    payload = event.payload
    kind = EscalationKind(payload["kind"])
    rollup.record_prevention(
        case_id=int(payload["case_id"]),
        committee_id=int(payload["committee_id"]),
        kind=kind.value,
        people=int(payload.get("people") or 0),
        recorded_on=dt.date.fromisoformat(str(payload["recorded_on"])[:10]),
    )


@listen("screening.round_reported")
def count_screening_round(event: Event) -> None:
    """排查次数 and 排查发现纠纷数: one round, its findings (none for a nil report)."""
    payload = event.payload
    rollup.record_screening(
        round_id=int(payload["round_id"]),
        organisation_id=int(payload["organisation_id"]),
        reported_on=dt.date.fromisoformat(str(payload["reported_on"])[:10]),
        findings=int(payload.get("findings") or 0),
        nil=bool(payload.get("nil")),
    )


@listen("organisation.moved")
def follow_organisation_move(event: Event) -> None:
    """A unit moved to another parent: its subtree's cells and facts take the new paths, so
    the sums by path prefix count it under its new parent, and the level cells of the old and
    new ancestors are summed again (approved reports stay as filed)."""
    payload = event.payload
    moves.follow_move(
        int(payload["organisation_id"]), str(payload["old_path"]), str(payload["new_path"])
    )
