"""What routing does when a case moves (docs/events.md)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tiaojie.core.events import Event, listen
from tiaojie.routing.services.transfers import withdraw_transfers_of_a_case_that_left


@listen("case.moved")
def withdraw_transfer_of_a_case_that_left(event: Event) -> None:
    """A case routed to a committee or returned to the centre leaves its holder: a transfer
    that holder asked for is withdrawn, a move of the transfer's table (idempotent: only
    pending ones change)."""
    action = event.payload["action"]
    if action not in {"route", "return"}:
        return
    why = (
        _("Routed by the governance centre")
        if action == "route"
        else _("Returned to the governance centre")
    )
    withdraw_transfers_of_a_case_that_left(case_id=event.payload["case_id"], why=why, at=event.at)
