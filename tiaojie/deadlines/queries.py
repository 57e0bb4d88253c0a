"""The near-due and overdue cases of each kind, as querysets the database answers in one pass.

Every function narrows a queryset of cases (a user's scope, all cases for the scan, one case
for its panel) to those whose deadline of one kind is at one level today. Date thresholds are
worked out in Python from the calendar and the rules (``DeadlineContext``), one per bureau with
its own rule, and ORed by committee path; nothing is computed per case in Python. Each result is
annotated ``dl_start``: the date the due date is computed from (for the mediation period, the
due date itself), so a page can show due dates for the rows it displays (``due_of``).

| kind | open while | due date |
|---|---|---|
| accept | queued or registered | the day the holder received it + N (working days) |
| mediation | accepted or in mediation | ``extended_to`` or ``due_on`` (set at accept) |
| confirmation | agreed, written agreement in effect, no application since | effective + 30 days |
| follow_up | agreed, performance not yet reported, no follow-up visit | performance deadline + N |
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Case as CaseExpr
from django.db.models import (
    Count,
    Exists,
    Expression,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from tiaojie.cases.choices import OPEN_STATUSES, AgreementKind, CaseStatus, Performance
from tiaojie.cases.models import Case, CaseTransition, FollowUp, JudicialConfirmation
from tiaojie.cases.workflow import Action
from tiaojie.deadlines.context import DeadlineContext, any_of, start_of_day
from tiaojie.deadlines.defaults import CASE_KINDS
from tiaojie.deadlines.models import AlertLevel, DeadlineKind

S = CaseStatus
LEVELS = (AlertLevel.OVERDUE, AlertLevel.NEAR_DUE)
# (kind, level) pairs that exist: the confirmation window closes, it is never "overdue" (the
# parties may choose not to apply at all).
PAIRS: tuple[tuple[str, str], ...] = tuple(
    (kind, level)
    for kind in CASE_KINDS
    for level in LEVELS
    if not (kind == DeadlineKind.CONFIRMATION and level == AlertLevel.OVERDUE)
)
# Each kind runs in some of the open statuses (``OPEN_STATUSES``), none in another.
STATUSES: dict[str, tuple[str, ...]] = {
    DeadlineKind.ACCEPT: (S.QUEUED, S.REGISTERED),
    DeadlineKind.MEDIATION: (S.ACCEPTED, S.IN_MEDIATION),
    DeadlineKind.CONFIRMATION: (S.AGREED,),
    DeadlineKind.FOLLOW_UP: (S.AGREED,),
}


def _current_agreement(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.annotate(
        current=FilteredRelation("agreements", condition=Q(agreements__superseded_at__isnull=True))
    )


def _window(ctx: DeadlineContext, kind: str, level: str, field: str, as_time: bool = False) -> Q:
    """The condition on the start field ``field`` for ``kind`` at ``level``, per rule branch."""
    conditions: list[Q] = []
    for branch, rule in ctx.books[kind].branches():
        first_live = ctx.first_start(kind, rule, ctx.today)  # earlier starts are overdue
        bound: Any = start_of_day(first_live) if as_time else first_live
        if level == AlertLevel.OVERDUE:
            conditions.append(branch & Q(**{f"{field}__lt": bound}))
            continue
        limit = ctx.near_limit(rule)
        if limit is None:
            continue
        last = ctx.last_start(kind, rule, limit)
        if last < first_live:
            continue
        upper: Any = start_of_day(last + dt.timedelta(days=1)) if as_time else last
        lookup = "lt" if as_time else "lte"
        conditions.append(
            branch & Q(**{f"{field}__gte": bound}) & Q(**{f"{field}__{lookup}": upper})
        )
    return any_of(conditions)


# The moves that hand a case to another holder: a committee's clock to accept starts when the
# case reaches it, not when the centre registered it; the days it waited in the centre's queue
# counted against the centre's own deadline (issue 9, item 19).
HANDOVERS = (Action.ROUTE.value, Action.RETURN.value)


def received_at() -> Coalesce:
    """When the case's present holder received it: its last handover, else its registration."""
    last = (
        CaseTransition.objects.filter(case=OuterRef("pk"), action__in=HANDOVERS)
        .order_by("-at", "-id")
        .values("at")[:1]
    )
    return Coalesce(Subquery(last), F("registered_at"))


def received_at_of(case: Case) -> dt.datetime:
    """``received_at`` of one case."""
    last = (
        case.transitions.filter(action__in=HANDOVERS)
        .order_by("-at", "-id")
        .values_list("at", flat=True)
        .first()
    )
    return last or case.registered_at


def accept_set(cases: QuerySet[Case], level: str, ctx: DeadlineContext) -> QuerySet[Case]:
    qs = cases.filter(status__in=STATUSES[DeadlineKind.ACCEPT]).annotate(dl_start=received_at())
    return qs.filter(_window(ctx, DeadlineKind.ACCEPT, level, "dl_start", as_time=True))


def mediation_set(cases: QuerySet[Case], level: str, ctx: DeadlineContext) -> QuerySet[Case]:
    qs = cases.filter(status__in=STATUSES[DeadlineKind.MEDIATION]).annotate(
        dl_start=Coalesce("extended_to", "due_on")
    )
    if level == AlertLevel.OVERDUE:
        return qs.filter(dl_start__lt=ctx.today)
    conditions = []
    for branch, rule in ctx.books[DeadlineKind.MEDIATION].branches():
        limit = ctx.near_limit(rule)
        if limit is not None:
            conditions.append(branch & Q(dl_start__gte=ctx.today, dl_start__lte=limit))
    return qs.filter(any_of(conditions))


def confirmation_set(cases: QuerySet[Case], level: str, ctx: DeadlineContext) -> QuerySet[Case]:
    if level == AlertLevel.OVERDUE:
        return cases.none().annotate(dl_start=F("registered_at"))
    applied = JudicialConfirmation.objects.filter(
        case=OuterRef("pk"), applied_on__gte=OuterRef("dl_start")
    )
    qs = (
        _current_agreement(cases.filter(status__in=STATUSES[DeadlineKind.CONFIRMATION]))
        .filter(Q(current__kind=AgreementKind.WRITTEN) & Q(current__effective_on__isnull=False))
        .annotate(dl_start=F("current__effective_on"))
        .filter(~Exists(applied))
    )
    return qs.filter(_window(ctx, DeadlineKind.CONFIRMATION, level, "dl_start"))


def follow_up_set(cases: QuerySet[Case], level: str, ctx: DeadlineContext) -> QuerySet[Case]:
    qs = (
        _current_agreement(
            cases.filter(
                status__in=STATUSES[DeadlineKind.FOLLOW_UP], performance=Performance.PENDING
            )
        )
        .filter(Q(current__performance_deadline__isnull=False))
        .annotate(dl_start=F("current__performance_deadline"))
        .filter(~Exists(FollowUp.objects.filter(case=OuterRef("pk"))))
    )
    return qs.filter(_window(ctx, DeadlineKind.FOLLOW_UP, level, "dl_start"))


SETS: dict[str, Callable[[QuerySet[Case], str, DeadlineContext], QuerySet[Case]]] = {
    DeadlineKind.ACCEPT: accept_set,
    DeadlineKind.MEDIATION: mediation_set,
    DeadlineKind.CONFIRMATION: confirmation_set,
    DeadlineKind.FOLLOW_UP: follow_up_set,
}


def deadline_set(
    cases: QuerySet[Case], kind: str, level: str, ctx: DeadlineContext
) -> QuerySet[Case]:
    """The cases of ``cases`` whose ``kind`` deadline is ``level`` on ``ctx.today``."""
    return SETS[kind](cases, level, ctx)


def start_date(value: dt.date | dt.datetime) -> dt.date:
    """``dl_start`` as a date (registration is a timestamp: its local day)."""
    if isinstance(value, dt.datetime):
        return timezone.localdate(value)
    return value


def due_of(
    kind: str, committee_path: str, start: dt.date | dt.datetime, ctx: DeadlineContext
) -> dt.date:
    """The due date of one row of a ``deadline_set`` (its committee path and ``dl_start``)."""
    day = start_date(start)
    if kind == DeadlineKind.MEDIATION:
        return day
    return ctx.due(kind, day, ctx.books[kind].for_path(committee_path))


# A LIMIT no scope reaches (SQLite's and PostgreSQL's bigint hold it).
UNBOUNDED = 2**62


def pair_counts(cases: QuerySet[Case], ctx: DeadlineContext) -> dict[tuple[str, str], int]:
    """How many of ``cases`` are at each (kind, level) of ``PAIRS`` today, in one statement.

    The same rows as ``deadline_set`` of each pair, counted by conditional aggregates over one
    pass of ``cases``: each kind's start date is null unless the case is in a status where that
    kind runs (and, for the agreement's deadlines, its clock has not stopped), so the handover
    and the agreement's subqueries run only for those cases; each pair counts its window on it.
    Counting ``deadline_set`` per pair would read the scope once per pair."""
    return _counted(_pair_rows(cases), ctx, {0: Q()})[0]


def pair_counts_by(
    cases: QuerySet[Case], ctx: DeadlineContext, bucket: Expression, keys: Iterable[int]
) -> dict[int, dict[tuple[str, str], int]]:
    """``pair_counts`` for each value in ``keys`` of ``bucket``, an integer expression of the
    case (the organisation below the viewer's that holds it), in the same one pass: the same
    figures per organisation as ``deadline_set``, where the page took a grouped pass per pair
    (seven statements; at 1,000,000 generated cases a street office's and a district's page
    now take a fifth less time, a city's about the same, bench/README.md)."""
    rows = _pair_rows(cases).annotate(dl_bucket=bucket)
    return _counted(rows, ctx, {key: Q(dl_bucket=key) for key in keys})


def _pair_rows(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The open cases of ``cases``, each with the start date of every kind (``dl_<kind>``),
    null where that kind does not run."""
    agreed = Q(status=S.AGREED)
    # Deadlines run only on open cases; reading only those lets the database answer from the
    # index of live cases (``case_live_path_idx``) instead of the scope's whole history.
    rows = _current_agreement(cases.filter(status__in=OPEN_STATUSES)).annotate(
        current_effective=F("current__effective_on"),
        current_kind=F("current__kind"),
        current_performance=F("current__performance_deadline"),
    )
    rows = rows.annotate(
        dl_accept=CaseExpr(
            When(Q(status__in=STATUSES[DeadlineKind.ACCEPT]), then=received_at()), default=None
        ),
        dl_mediation=CaseExpr(
            When(
                Q(status__in=STATUSES[DeadlineKind.MEDIATION]),
                then=Coalesce("extended_to", "due_on"),
            ),
            default=None,
        ),
        dl_confirmation=CaseExpr(
            # A test that is false, not null, before the subquery: SQL's AND goes on to the
            # next operand after a null, and most agreed cases have no effective written
            # agreement to look up applications for.
            When(
                agreed
                & Q(current_effective__isnull=False)
                & Q(current_kind=AgreementKind.WRITTEN)
                & ~Exists(
                    JudicialConfirmation.objects.filter(
                        case=OuterRef("pk"), applied_on__gte=OuterRef("current_effective")
                    )
                ),
                then=F("current_effective"),
            ),
            default=None,
        ),
        dl_follow_up=CaseExpr(
            When(
                agreed
                & Q(performance=Performance.PENDING)
                & ~Exists(FollowUp.objects.filter(case=OuterRef("pk"))),
                then=F("current_performance"),
            ),
            default=None,
        ),
    )
    return rows


def _counted(
    rows: QuerySet[Case], ctx: DeadlineContext, groups: dict[int, Q]
) -> dict[int, dict[tuple[str, str], int]]:
    """Count ``_pair_rows`` at each pair's window within each group's condition."""
    windows = {(kind, level): _pair_window(kind, level, ctx, f"dl_{kind}") for kind, level in PAIRS}
    # The slice makes Django count over a derived table, and its LIMIT keeps PostgreSQL from
    # folding that table back in: each start date is worked out once per case, not once per
    # pair that reads it (a street office's 400,000 cases: 2.2 s → 1.2 s). ``order_by()``: a
    # count needs no order, and the default one would sort the whole scope.
    counts = rows.order_by()[:UNBOUNDED].aggregate(
        **{
            f"n{index}__{kind}__{level}": Count("pk", filter=group & window)
            for index, group in enumerate(groups.values())
            for (kind, level), window in windows.items()
        }
    )
    return {
        key: {pair: counts[f"n{index}__{pair[0]}__{pair[1]}"] or 0 for pair in PAIRS}
        for index, key in enumerate(groups)
    }


def _pair_window(kind: str, level: str, ctx: DeadlineContext, field: str) -> Q:
    """The condition of ``deadline_set(…, kind, level, …)`` on the start ``field`` that
    ``pair_counts`` annotates (null where the kind does not run)."""
    if kind == DeadlineKind.MEDIATION:
        if level == AlertLevel.OVERDUE:
            return Q(**{f"{field}__lt": ctx.today})
        conditions = []
        for branch, rule in ctx.books[DeadlineKind.MEDIATION].branches():
            limit = ctx.near_limit(rule)
            if limit is not None:
                conditions.append(
                    branch & Q(**{f"{field}__gte": ctx.today, f"{field}__lte": limit})
                )
        return any_of(conditions)
    return _window(ctx, kind, level, field, as_time=kind == DeadlineKind.ACCEPT)
