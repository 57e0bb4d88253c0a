"""The suggestion fragment of the intake form (htmx): fetched as the narrative is typed."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from tiaojie.accounts.roles import Capability
from tiaojie.cases.models import DisputeType
from tiaojie.core.access import access
from tiaojie.core.api import MAX_TEXT
from tiaojie.core.types import AuthedRequest
from tiaojie.triage.choices import Risk, SuggestedTier
from tiaojie.triage.model import Reading
from tiaojie.triage.services import suggest as suggest_service

# Shorter narratives say too little for a useful suggestion.
MIN_CHARACTERS = 8


def dispute_type_names() -> dict[str, str]:
    """Each dispute type's name by code: read once for a page of readings."""
    return dict(DisputeType.objects.values_list("code", "name"))


def presented(reading: Reading, names: dict[str, str] | None = None) -> dict[str, Any]:
    """A reading with names instead of codes, for the templates (intake and queue). A page of
    many readings passes ``names`` (``dispute_type_names``) so as to read them once."""
    names = dispute_type_names() if names is None else names
    return {
        "type_code": reading.dispute_type,
        "type_name": names.get(reading.dispute_type, reading.dispute_type),
        "tier": SuggestedTier(reading.tier).label,
        "risks": [
            {"name": Risk(e.risk).label, "phrase": e.phrase, "learned": e.source == "learned"}
            for e in reading.evidence
        ],
    }


@require_POST
@access(Capability.CASE_REGISTER)
def suggest(request: AuthedRequest) -> HttpResponse:
    text = request.POST.get("narrative", "")
    channel = request.POST.get("source", "")
    context: dict[str, Any] = {"too_long": len(text) > MAX_TEXT, "limit": MAX_TEXT}
    if len(text.strip()) >= MIN_CHARACTERS and not context["too_long"]:
        reading, suggestion = suggest_service(actor=request.user, text=text, channel=channel)
        context["reading"] = presented(reading)
        context["version"] = suggestion.model_version
    return render(request, "triage/partials/suggestion.html", context)
