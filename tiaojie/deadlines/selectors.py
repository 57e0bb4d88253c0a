"""Reads of deadlines that depend on the viewer: the rule in force, the near-due and overdue
lists, per-organisation counts, and one case's deadlines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Case as When_
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from tiaojie.accounts.roles import Capability, Role
from tiaojie.cases.choices import AgreementKind, CaseStatus, Performance
from tiaojie.cases.models import Case, CaseMediator
from tiaojie.cases.rules import case_policy
from tiaojie.cases.workflow import current_agreement
from tiaojie.deadlines.calendar import WorkCalendar
from tiaojie.deadlines.context import DeadlineContext, RuleBook
from tiaojie.deadlines.defaults import RuleValue, default_rule
from tiaojie.deadlines.models import AlertLevel, DeadlineAlert, DeadlineKind, DeadlineRule
from tiaojie.deadlines.queries import (
    PAIRS,
    STATUSES,
    deadline_set,
    due_of,
    pair_counts,
    pair_counts_by,
    received_at_of,
)
from tiaojie.organisations.choices import OrganisationKind, OrganisationStatus
from tiaojie.organisations.models import Organisation
from tiaojie.organisations.rules import organisation_policy

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

Pair = tuple[str, str]


def deadline_rule(org: Organisation, kind: str) -> RuleValue:
    """The rule of ``kind`` in force for ``org``: its nearest bureau's own, else the default.
    The supervision app reads the supervision deadline's length here."""
    return RuleBook.load(kind, org.path).for_path(org.path)


def deadline_cases(user: User) -> QuerySet[Case]:
    """The cases whose deadlines are the user's business: a mediator's assigned cases and their
    committee's cases nobody is assigned to yet; a director's committee; an officer's subtree.
    Grid workers report disputes but answer for no deadline."""
    if user.role == Role.GRID_WORKER:
        return Case.objects.none()
    qs = case_policy.cases(user, Capability.CASE_CONTENT)
    if user.role == Role.MEDIATOR:
        active = CaseMediator.objects.filter(case=OuterRef("pk"), withdrawn_at__isnull=True)
        qs = qs.filter(
            Exists(active.filter(mediator=user))
            | (Q(committee_id=user.organisation_id) & ~Exists(active))
        )
    return qs


def organisation_in_scope(user: User, organisation_id: int | None) -> Organisation | None:
    """The organisation a list is narrowed to; 404 when it is not the user's to see."""
    if organisation_id is None:
        return None
    return organisation_policy.get_or_404(user, Capability.ORGANISATION_VIEW, pk=organisation_id)


@dataclass
class DeadlineItem:
    case: Case
    kind: str
    level: str
    due_on: dt.date
    working_days: int  # left until due (negative: overdue by)
    provisional: bool = False  # due past the last official calendar table

    @property
    def kind_label(self) -> str:
        return str(DeadlineKind(self.kind).label)

    @property
    def overdue_by(self) -> int:
        return -self.working_days


@dataclass
class DeadlineList:
    total: int
    items: list[DeadlineItem]
    counts: dict[Pair, int] = field(default_factory=dict)


def _pairs(kind: str = "", level: str = "") -> list[Pair]:
    return [(k, lv) for k, lv in PAIRS if kind in ("", k) and level in ("", lv)]


def deadline_items(
    user: User,
    *,
    kind: str = "",
    level: str = "",
    organisation: Organisation | None = None,
    offset: int = 0,
    limit: int = 50,
    ctx: DeadlineContext | None = None,
) -> DeadlineList:
    """The user's near-due and overdue deadlines, earliest due first, one page of them.

    The counts are one query (``pair_counts``, as the home page's), or the one pair's count
    when the list is narrowed to it; each (kind, level) with cases is then one query for its
    first ``offset + limit`` rows, merged by due date in Python (at most a few hundred)."""
    ctx = ctx or DeadlineContext.build()
    base = deadline_cases(user)
    if organisation is not None:
        base = base.filter(committee_path__startswith=organisation.path)
    rows: list[DeadlineItem] = []
    pairs = _pairs(kind, level)
    if len(pairs) == 1:
        counts = {pairs[0]: deadline_set(base, *pairs[0], ctx).count()}
    else:
        every = pair_counts(base, ctx)
        counts = {pair: every[pair] for pair in pairs}
    for k, lv in pairs:
        if not counts[(k, lv)]:
            continue
        qs = deadline_set(base, k, lv, ctx)
        page = qs.select_related("committee", "dispute_type").order_by("dl_start", "pk")
        for case in page[: offset + limit]:
            due = due_of(k, case.committee_path, case.dl_start, ctx)  # type: ignore[attr-defined]
            rows.append(
                DeadlineItem(
                    case, k, lv, due, ctx.working_days_left(due), ctx.calendar.is_provisional(due)
                )
            )
    rows.sort(key=lambda item: (item.due_on, item.case.pk))
    return DeadlineList(sum(counts.values()), rows[offset : offset + limit], counts)


@dataclass
class OrganisationCounts:
    organisation: Organisation
    counts: dict[Pair, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def cells(self) -> list[tuple[int, str]]:
        """The counts in the order of ``PAIRS``, each with its level."""
        return [(self.counts.get(pair, 0), pair[1]) for pair in PAIRS]


def child_organisations(user: User) -> list[Organisation]:
    """The organisations one level below the user's that hold cases (or the user's own when
    none does, as for a committee)."""
    children = list(
        Organisation.objects.filter(
            parent=user.organisation,
            status=OrganisationStatus.ACTIVE,
            kind__in=[
                OrganisationKind.DISTRICT_BUREAU,
                OrganisationKind.JUSTICE_OFFICE,
                OrganisationKind.COMMITTEE,
            ],
        ).order_by("path")
    )
    return children or [user.organisation]


def organisation_counts(user: User, ctx: DeadlineContext | None = None) -> list[OrganisationCounts]:
    """Near-due and overdue counts per kind for each organisation below the user's, all in one
    statement (``pair_counts_by``). Cases held by the user's own organisation directly (a
    governance centre's queue) are counted on a row of their own."""
    ctx = ctx or DeadlineContext.build()
    children = child_organisations(user)
    own = user.organisation
    rows = {org.pk: OrganisationCounts(org, {}) for org in children}
    if own.pk not in rows:
        rows[own.pk] = OrganisationCounts(own, {})
    bucket = When_(
        *[When(committee_path__startswith=org.path, then=Value(org.pk)) for org in children],
        default=Value(own.pk),
        output_field=IntegerField(),
    )
    for key, counts in pair_counts_by(deadline_cases(user), ctx, bucket, rows).items():
        # Only the pairs that have cases, as the API has always listed them.
        rows[key].counts = {pair: n for pair, n in counts.items() if n}
    result = [rows[org.pk] for org in children]
    if own.pk not in {org.pk for org in children} and rows[own.pk].total:
        result.append(rows[own.pk])
    return result


@dataclass
class CaseDeadline:
    kind: str
    due_on: dt.date
    working_days: int
    level: str  # near_due, overdue, or "" (in time)
    provisional: bool = False  # due past the last official calendar table

    @property
    def kind_label(self) -> str:
        return str(DeadlineKind(self.kind).label)

    @property
    def overdue_by(self) -> int:
        return -self.working_days


def case_deadlines(case: Case, ctx: DeadlineContext | None = None) -> list[CaseDeadline]:
    """The deadlines running on one case, as the scan would judge them today."""
    ctx = ctx or DeadlineContext.build()
    found: list[tuple[str, dt.date]] = []
    status = case.status
    if status in STATUSES[DeadlineKind.ACCEPT]:
        found.append(
            (DeadlineKind.ACCEPT, due_of("accept", case.committee_path, received_at_of(case), ctx))
        )
    if status in STATUSES[DeadlineKind.MEDIATION] and (case.extended_to or case.due_on):
        found.append((DeadlineKind.MEDIATION, case.extended_to or case.due_on))  # type: ignore[arg-type]
    if status == CaseStatus.AGREED:
        agreement = current_agreement(case)
        if agreement is not None and agreement.effective_on is not None:
            effective = agreement.effective_on
            applied = case.confirmations.filter(applied_on__gte=effective).exists()
            if agreement.kind == AgreementKind.WRITTEN and not applied:
                due = due_of(DeadlineKind.CONFIRMATION, case.committee_path, effective, ctx)
                if due >= ctx.today:
                    found.append((DeadlineKind.CONFIRMATION, due))
        if (
            agreement is not None
            and agreement.performance_deadline is not None
            and case.performance == Performance.PENDING
            and not case.follow_ups.exists()
        ):
            found.append(
                (
                    DeadlineKind.FOLLOW_UP,
                    due_of("follow_up", case.committee_path, agreement.performance_deadline, ctx),
                )
            )
    result = []
    for kind, due in found:
        rule = ctx.books[kind].for_path(case.committee_path)
        limit = ctx.near_limit(rule)
        level = ""
        if due < ctx.today:
            level = AlertLevel.OVERDUE
        elif limit is not None and due <= limit:
            level = AlertLevel.NEAR_DUE
        result.append(
            CaseDeadline(
                kind, due, ctx.working_days_left(due), level, ctx.calendar.is_provisional(due)
            )
        )
    return result


def open_alerts(case: Case) -> QuerySet[DeadlineAlert]:
    return DeadlineAlert.objects.filter(case=case, cleared_at__isnull=True).order_by("due_on")


def alert_counts(user: User) -> dict[Pair, int]:
    """Open alerts in the user's scope by (kind, level): one grouped query, for the digest,
    which runs after the scan has brought the alerts up to date."""
    grouped = (
        DeadlineAlert.objects.filter(cleared_at__isnull=True, case__in=deadline_cases(user))
        .order_by()
        .values("kind", "level")
        .annotate(n=Count("pk"))
    )
    return {(row["kind"], row["level"]): row["n"] for row in grouped}


@dataclass
class RuleRow:
    """One kind's rule as a bureau sees it: what is in force and where it comes from."""

    kind: str
    rule: RuleValue
    own: DeadlineRule | None
    inherited_from: Organisation | None

    @property
    def kind_label(self) -> str:
        return str(DeadlineKind(self.kind).label)


def rule_rows(bureau: Organisation) -> list[RuleRow]:
    """For each kind: the bureau's own rule, else the nearest ancestor's, else the default."""

    chain = [*Organisation.objects.ancestors_of(bureau), bureau]
    rules = {
        (r.owner_id, r.kind): r
        for r in DeadlineRule.objects.filter(owner__in=chain).select_related("owner")
    }
    rows = []
    for kind in DeadlineKind.values:
        own = rules.get((bureau.pk, kind))
        inherited = next(
            (rules[(o.pk, kind)] for o in reversed(chain[:-1]) if (o.pk, kind) in rules), None
        )
        source = own or inherited
        rule = (
            RuleValue(source.value, source.unit, source.near_due_days)
            if source
            else default_rule(kind)
        )
        rows.append(RuleRow(kind, rule, own, inherited.owner if inherited and not own else None))
    return rows


def mediation_due_on(committee: Organisation, accepted_on: dt.date) -> dt.date:
    """The mediation deadline of a case accepted on ``accepted_on`` by ``committee`` under the
    rule in force (lent to ``cases.workflow``'s accept move at start-up, ``listeners.py``;
    without it cases keep ``TIAOJIE_MEDIATION_MONTHS``). A rest day at the end moves to the next working day only
    for rules in days or months, as for every other deadline."""
    ctx = DeadlineContext.for_one(DeadlineKind.MEDIATION, accepted_on, committee.path)
    rule = ctx.books[DeadlineKind.MEDIATION].for_path(committee.path)
    return ctx.due(DeadlineKind.MEDIATION, accepted_on, rule)


def mediation_due_on_many(
    committee: Organisation, days: Iterable[dt.date]
) -> dict[dt.date, dt.date]:
    """``mediation_due_on`` for many acceptance days at once (a historical ledger's): one
    calendar covering them all and the committee's rules, two queries instead of two a day."""
    wanted = sorted(set(days))
    if not wanted:
        return {}
    calendar = WorkCalendar.load(wanted[0].year, wanted[-1].year + 1)
    ctx = DeadlineContext(
        wanted[0], calendar, RuleBook.load_many([DeadlineKind.MEDIATION], committee.path)
    )
    rule = ctx.books[DeadlineKind.MEDIATION].for_path(committee.path)
    return {day: ctx.due(DeadlineKind.MEDIATION, day, rule) for day in wanted}


def level_totals(user: User, ctx: DeadlineContext | None = None) -> dict[str, int]:
    """How many of the user's deadlines are near due and how many overdue (each the total the
    list shows for that level): one statement (``pair_counts``) besides the context's."""
    ctx = ctx or DeadlineContext.build()
    totals = {AlertLevel.NEAR_DUE.value: 0, AlertLevel.OVERDUE.value: 0}
    for (_kind, level), n in pair_counts(deadline_cases(user), ctx).items():
        totals[level] += n
    return totals
