"""Screening listens to the case's events to keep each case's risk score (early warning).
Each listener judges the case again from its current state: at-least-once delivery is safe."""

from __future__ import annotations

from tiaojie.core.events import Event, listen
from tiaojie.screening.services.warning import rescore


@listen("case.registered")
def score_registered_case(event: Event) -> None:
    rescore(int(event.payload["case_id"]))


@listen("case.moved")
def score_moved_case(event: Event) -> None:
    rescore(int(event.payload["case_id"]))


@listen("case.extended")
def score_extended_case(event: Event) -> None:
    rescore(int(event.payload["case_id"]))
