"""Reading a narrative and keeping what was suggested."""

from __future__ import annotations

import hashlib

from tiaojie.accounts.models import User
from tiaojie.triage.model import Reading, reader
from tiaojie.triage.models import Suggestion


def text_hash(text: str) -> str:
    """The narrative's fingerprint: the same text typed on the form and saved on the case
    (whitespace at the ends and line endings do not count)."""
    normal = text.replace("\r\n", "\n").strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def classify(text: str, channel: str) -> Reading:
    return reader().read(text, channel)


def suggest(*, actor: User, text: str, channel: str) -> tuple[Reading, Suggestion]:
    """Read the narrative and keep the suggestion (one per narrative and user: retyping the
    same text does not add rows)."""
    reading = classify(text, channel)
    suggestion, _ = Suggestion.objects.update_or_create(
        text_hash=text_hash(text),
        created_by=actor,
        case__isnull=True,
        defaults={
            "channel": channel,
            "suggested_type": reading.dispute_type,
            "suggested_risks": reading.risks,
            "suggested_tier": reading.tier,
            "evidence": [
                {"risk": e.risk, "phrase": e.phrase, "source": e.source} for e in reading.evidence
            ],
            "model_version": reader().version,
        },
    )
    return reading, suggestion
