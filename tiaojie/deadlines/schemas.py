"""API schemas of deadlines."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from tiaojie.core.api import InputSchema


class DeadlineCaseOut(Schema):
    id: int
    number: str
    summary: str
    status: str
    committee_id: int
    committee_name: str


class DeadlineItemOut(Schema):
    case: DeadlineCaseOut
    kind: str
    level: str
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
    kind: str
    due_on: dt.date
    working_days: int
    level: str = Field(description="near_due, overdue, or empty when in time")
    provisional: bool = Field(
        description="the due date lies past the last official holiday table, so next year's "
        "holidays were counted as working days; it is recomputed when the table is entered",
    )


class AlertOut(Schema):
    id: int
    kind: str
    level: str
    due_on: dt.date
    raised_at: dt.datetime


class CaseDeadlinesOut(Schema):
    case_id: int
    deadlines: list[CaseDeadlineOut]
    alerts: list[AlertOut]


class RuleOut(Schema):
    kind: str
    value: int
    unit: str
    near_due_days: int
    source: str = Field(description="own, inherited or default")
    configurable: bool
    version: int | None


class RuleIn(InputSchema):
    value: int
    unit: str
    near_due_days: int
    version: int | None = None


class CalendarDayOut(Schema):
    day: dt.date
    kind: str
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
    kind: str
    name: str = Field("", max_length=40)


class CalendarYearIn(InputSchema):
    source: str = Field("", max_length=200)
    days: list[CalendarDayIn] = Field(max_length=366)
    version: int | None = None
