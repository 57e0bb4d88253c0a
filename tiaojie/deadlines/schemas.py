"""API schemas of deadlines."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field

from tiaojie.cases.choices import CaseStatus
from tiaojie.core.api import InputSchema, codes
from tiaojie.deadlines.models import AlertLevel, DayKind, DeadlineKind, RuleUnit


class DeadlineCaseOut(Schema):
    id: int
    number: str
    summary: str
    status: Annotated[str, codes(CaseStatus)]
    committee_id: int
    committee_name: str


class DeadlineItemOut(Schema):
    case: DeadlineCaseOut
    kind: Annotated[str, codes(DeadlineKind)]
    level: Annotated[str, codes(AlertLevel, blank=True)]
    due_on: dt.date
    working_days: int = Field(description="working days left until due; negative: overdue by")
    provisional: bool = Field(
        description="the due date lies past the last official holiday table, so next year's "
        "holidays were counted as working days; it is recomputed when the table is entered",
    )


class DeadlinePageOut(Schema):
    count: int
    page: int
    page_size: int
    counts: dict[str, dict[str, int]] = Field(description="kind → level → count")
    results: list[DeadlineItemOut]


class OrganisationCountsOut(Schema):
    organisation_id: int
    organisation_name: str
    counts: dict[str, dict[str, int]]
    total: int


class CaseDeadlineOut(Schema):
    kind: Annotated[str, codes(DeadlineKind)]
    due_on: dt.date
    working_days: int
    level: Annotated[str, codes(AlertLevel, blank=True, note="Empty when in time.")]
    provisional: bool = Field(
        description="the due date lies past the last official holiday table, so next year's "
        "holidays were counted as working days; it is recomputed when the table is entered",
    )


class AlertOut(Schema):
    id: int
    kind: Annotated[str, codes(DeadlineKind)]
    level: Annotated[str, codes(AlertLevel)]
    due_on: dt.date
    raised_at: dt.datetime


class CaseDeadlinesOut(Schema):
    case_id: int
    deadlines: list[CaseDeadlineOut]
    alerts: list[AlertOut]


class RuleOut(Schema):
    kind: Annotated[str, codes(DeadlineKind)]
    value: int
    unit: Annotated[str, codes(RuleUnit)]
    near_due_days: int
    source: str = Field(description="own, inherited or default")
    configurable: bool
    version: int | None


class RuleIn(InputSchema):
    value: int
    unit: Annotated[str, codes(RuleUnit)]
    near_due_days: int
    version: int | None = None


class CalendarDayOut(Schema):
    day: dt.date
    kind: Annotated[str, codes(DayKind)]
    name: str


class CalendarYearOut(Schema):
    year: int
    source: str
    version: int
    days: list[CalendarDayOut]


class CalendarYearSummaryOut(Schema):
    year: int
    source: str
    version: int
    holidays: int
    workdays: int


class CalendarDayIn(InputSchema):
    day: dt.date
    kind: Annotated[str, codes(DayKind)]
    name: str = Field("", max_length=40)


class CalendarYearIn(InputSchema):
    source: str = Field("", max_length=200)
    days: list[CalendarDayIn] = Field(max_length=366)
    version: int | None = None
