"""API schemas of triage."""

from __future__ import annotations

from typing import Annotated

from ninja import Schema
from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from tiaojie.cases.choices import CaseSource
from tiaojie.core.api import MAX_TEXT, InputSchema, codes
from tiaojie.triage.rules import RISK_CODES


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
    risk: str = Field(description="one of: " + ", ".join(RISK_CODES))
    phrase: str = Field(description="the clause of the narrative that triggered the risk")


class ClassifyOut(Schema):
    dispute_type: str = Field(description="a code of GET /dispute-types")
    risks: list[str] = Field(description="codes: " + ", ".join(RISK_CODES))
    tier: str = Field(description="community, street, district or sectoral")
    scores: dict[str, dict[str, float]] = Field(
        description="dispute_type: the three best types; tier: every tier (softmax of margins)"
    )
    evidence: list[EvidenceOut]
    model_version: str
