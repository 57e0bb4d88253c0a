"""What documents do when a case changes (docs/events.md). Imported at start-up by ``core``."""

from __future__ import annotations

from tiaojie.core.events import Event, listen
from tiaojie.documents.signing import seal_signed_agreement


@listen("agreement.in_effect")
def seal_agreement_signed_on_phone(event: Event) -> None:
    """An agreement signed on the phone took effect: keep its signed PDF and hash it.
    Idempotent (a second delivery finds the kept document)."""
    seal_signed_agreement(int(event.payload["agreement_id"]))
