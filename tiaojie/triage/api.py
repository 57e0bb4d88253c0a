"""API of triage: reading a narrative. Its own router on the ``/screening/`` prefix (the
screening rounds have theirs)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from tiaojie.accounts.roles import Capability
from tiaojie.core.api import ERRORS, caller
from tiaojie.triage.model import reader
from tiaojie.triage.schemas import ClassifyIn, ClassifyOut, EvidenceOut
from tiaojie.triage.services import classify

router = Router(tags=["Screening"])


@router.post("/classify", response={200: ClassifyOut, **ERRORS}, operation_id="screening_classify")
def screening_classify(request: HttpRequest, payload: ClassifyIn) -> ClassifyOut:
    """Read a narrative: the suggested dispute type, the risks with the phrase that triggered
    each, and the tier where it should be mediated. Nothing is stored."""
    caller(request, Capability.CASE_REGISTER)
    reading = classify(payload.text, payload.channel)
    return ClassifyOut(
        dispute_type=reading.dispute_type,
        risks=reading.risks,
        tier=reading.tier,
        scores=reading.scores,
        evidence=[
            EvidenceOut(risk=e.risk, phrase=e.phrase, source=e.source) for e in reading.evidence
        ],
        model_version=reader().version,
    )
