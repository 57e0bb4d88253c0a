"""Screening listens to the case's events to keep each case's risk score (early warning).
Each listener judges the case again from its current state: at-least-once delivery is safe."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tiaojie.core import case_page
from tiaojie.core.events import Event, listen
from tiaojie.deadlines import sources
from tiaojie.screening import overdue
from tiaojie.screening.services import escalations
from tiaojie.screening.services.warning import rescore

# Overdue rounds appear in the deadlines list of the level above (deadlines never names us).
sources.register(overdue.SOURCE)
# On the case page (cases never names us): the finding it came from, prevented escalations.
case_page.register_panel(case_page.CasePanel("screening", "screening:case_panel"))
case_page.register_action(
    case_page.CaseAction(
        "screening.escalation",
        _("Record a prevented escalation"),
        "screening:case_escalations",
        capability=escalations.RECORD.value,
        when=escalations.may_record,
    )
)


@listen("case.registered")
def score_registered_case(event: Event) -> None:
    rescore(int(event.payload["case_id"]))


@listen("case.moved")
def score_moved_case(event: Event) -> None:
    rescore(int(event.payload["case_id"]))


@listen("case.extended")
def score_extended_case(event: Event) -> None:
    rescore(int(event.payload["case_id"]))
