"""API schemas of triage."""

from __future__ import annotations

from typing import Annotated

from ninja import Schema
from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from tiaojie.cases.choices import CaseSource
from tiaojie.core.api import MAX_TEXT, DisputeTypeCode, InputSchema, codes
from tiaojie.triage.choices import EvidenceSource, Risk, SuggestedTier


class ClassifyIn(InputSchema):
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="the narrative as told")
    channel: Annotated[str, codes(CaseSource)]

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise PydanticCustomError("string_too_short", "blank")
        return value


class EvidenceOut(Schema):
    risk: Annotated[str, codes(Risk)]
    phrase: str = Field(description="the clause of the narrative that triggered the risk")
    # rule: the phrase a rule matched; learned: the clause the risk model weighed most
    source: Annotated[str, codes(EvidenceSource)] = EvidenceSource.RULE.value


class ClassifyOut(Schema):
    dispute_type: DisputeTypeCode
    risks: list[Annotated[str, codes(Risk)]]
    tier: Annotated[str, codes(SuggestedTier)]
    scores: dict[str, dict[str, float]] = Field(
        description="dispute_type: the three best types; tier: every tier (softmax of margins)"
    )
    evidence: list[EvidenceOut]
    model_version: str
