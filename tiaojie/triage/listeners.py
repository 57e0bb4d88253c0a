"""What triage does when a case is registered (docs/events.md)."""

from __future__ import annotations

from tiaojie.cases.models import Case
from tiaojie.core.events import Event, listen
from tiaojie.triage.models import Suggestion
from tiaojie.triage.services import text_hash


@listen("case.registered")
def record_the_choice(event: Event) -> None:
    """The case's dispute type and group flag are what the user chose: kept on the latest
    suggestion shown to them for the same narrative. Idempotent: a suggestion already linked
    to this case is updated the same way."""
    case = Case.objects.select_related("dispute_type").filter(pk=event.payload["case_id"]).first()
    if case is None or not case.narrative.strip():
        return
    suggestion = (
        Suggestion.objects.filter(text_hash=text_hash(case.narrative))
        .filter(created_by_id=case.registered_by_id)
        .filter(case__isnull=True)
        .first()
    ) or Suggestion.objects.filter(case=case).first()
    if suggestion is None:
        return
    suggestion.case = case
    suggestion.chosen_type = case.dispute_type.code
    suggestion.chosen_group = case.is_group
    suggestion.chosen_at = event.at
    suggestion.save(update_fields=["case", "chosen_type", "chosen_group", "chosen_at"])
