"""API schemas of statistics: ``<Entity>Out`` for output."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from tiaojie.cases.choices import CaseStatus
from tiaojie.core.api import Page, codes


class OrgRef(Schema):
    id: int
    name: str


class ColumnOut(Schema):
    code: str = Field(
        description="indicator, or indicator.key for a breakdown (mediated.source:court); "
        "rate.success and rate.performed are percentages"
    )
    header: str
    group: str


class ReportRowOut(Schema):
    organisation: OrgRef | None = Field(description="none on the total row")
    label: str
    values: dict[str, float | None] = Field(
        description="by column code; null for a rate with no cases to divide by (none "
        "mediated, or none successful), which the page shows as —"
    )


class ReportOut(Schema):
    organisation: OrgRef
    period: str = Field(description="2026-11, 2026-Q4 or 2026")
    label: str
    columns: list[ColumnOut]
    rows: list[ReportRowOut]
    total: ReportRowOut


class FigureCaseOut(Schema):
    id: int
    number: str
    summary: str
    committee: OrgRef
    status: Annotated[str, codes(CaseStatus)]
    registered_at: dt.datetime


FigureCasesOut = Page[FigureCaseOut]


class StatisticsScreenLiveOut(Schema):
    today: int = Field(description="cases registered today in the subtree")
    open: int
    overdue: int = Field(description="time limits past due, as the deadlines list counts them")
    supervised: int = Field(description="open supervised cases (挂牌督办)")
    supervised_overdue: int
    complex_open: int
    group_open: int


class StatisticsScreenOut(Schema):
    organisation: OrgRef
    period: str
    updated_at: dt.datetime
    updated_label: str = Field(description="the time of this reading, as the screen shows it")
    live: StatisticsScreenLiveOut
    data: dict[str, Any] = Field(
        description="what the charts draw: totals, trend (12 months), types, ranking"
    )
