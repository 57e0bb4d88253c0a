"""What the deadlines app does when a case changes (docs/events.md), and the rule it lends
the case workflow. Imported at start-up by ``core`` (every app's ``listeners.py``)."""

from __future__ import annotations

from tiaojie.cases.models import Case
from tiaojie.cases.workflow import use_mediation_deadline
from tiaojie.core.events import Event, listen
from tiaojie.deadlines.scan import refresh_if_alerted
from tiaojie.deadlines.selectors import mediation_due_on, mediation_due_on_many


@listen("case.moved")
@listen("case.extended")
def refresh_alerts(event: Event) -> None:
    """Re-judge the case's deadline alerts at once: an overdue alert clears when the case moves
    on or its deadline is extended, without waiting for the nightly scan."""
    case = Case.objects.filter(pk=event.payload["case_id"]).first()
    if case is not None:
        refresh_if_alerted(case)


# The mediation deadline of an accepted case follows the bureau's deadline rule.
use_mediation_deadline(mediation_due_on, mediation_due_on_many)
