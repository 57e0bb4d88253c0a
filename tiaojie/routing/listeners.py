"""What routing does when a case moves (docs/events.md)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tiaojie.core.events import Event, listen
from tiaojie.routing.choices import TransferStatus
from tiaojie.routing.models import Transfer


@listen("case.moved")
def withdraw_transfer_of_a_case_that_left(event: Event) -> None:
    """A case routed to a committee or returned to the centre leaves its holder: a transfer
    that holder asked for is withdrawn (idempotent: only pending ones change)."""
    action = event.payload["action"]
    if action not in {"route", "return"}:
        return
    why = (
        _("Routed by the governance centre")
        if action == "route"
        else _("Returned to the governance centre")
    )
    Transfer.objects.filter(case_id=event.payload["case_id"], status=TransferStatus.PENDING).update(
        status=TransferStatus.WITHDRAWN, decided_at=event.at, decision_reason=why[:200]
    )
