"""Screening listens to the case's events to keep each case's risk score (early warning).
Each listener judges the case again from its current state: at-least-once delivery is safe."""

from __future__ import annotations

from tiaojie.core.events import Event, listen
from tiaojie.deadlines import sources
from tiaojie.screening import overdue
from tiaojie.screening.services.warning import rescore

# Overdue rounds appear in the deadlines list of the level above (deadlines never names us).
sources.register(overdue.SOURCE)


@listen("case.registered")
def score_registered_case(event: Event) -> None:
    rescore(int(event.payload["case_id"]))


@listen("case.moved")
def score_moved_case(event: Event) -> None:
    rescore(int(event.payload["case_id"]))


@listen("case.extended")
def score_extended_case(event: Event) -> None:
    rescore(int(event.payload["case_id"]))
