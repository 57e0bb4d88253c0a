"""What is on an organisation's ledger in a month: one definition of "open", "new" and
"closed out" for the page, the export, the API and the month-end carry-over."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from tiaojie.cases.models import Case
from tiaojie.organisations.models import Organisation
from tiaojie.supervision import months
from tiaojie.supervision.choices import LedgerShow
from tiaojie.supervision.models import CloseOut


@dataclass(frozen=True)
class Figures:
    """A month of one ledger: carried_in + new − closed_out = carried_out."""

    carried_in: int
    new: int
    closed_out: int
    carried_out: int


def open_at(start: dt.date) -> Q:
    """Cases registered before ``start`` and not closed out before it: open at that moment.

    Not closed out is asked of each case as an anti-join on the close-out's key, not as a
    join whose ``IS NULL OR`` the planner cannot estimate: a street's ledger holds hundreds
    of thousands of cases, most of them long closed out, and joined, the planner expected one
    open case, read every one of them and sorted them for a page of 25 (ADR 0066)."""
    closed_before = CloseOut.objects.filter(case=OuterRef("pk"), closed_on__lt=start)
    return Q(registered_at__lt=months.start_of(start)) & ~Q(Exists(closed_before))


def of_organisation(org: Organisation, base: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """The cases held at or below ``org`` (its committees, and its centre's queue)."""
    qs = base if base is not None else Case.objects.all()
    return qs.filter(committee_path__startswith=org.path)


def items(qs: QuerySet[Case], month: dt.date, show: str) -> QuerySet[Case]:
    """The ledger's rows for ``month``: open at its end, closed out in it, or everything that
    was on the ledger during it (carried in or new)."""
    end = months.next_month(month)
    if show == LedgerShow.CLOSED:
        return qs.filter(close_out__closed_on__gte=month, close_out__closed_on__lt=end)
    if show == LedgerShow.ALL:
        closed_before = CloseOut.objects.filter(case=OuterRef("pk"), closed_on__lt=month)
        return qs.filter(registered_at__lt=months.start_of(end)).exclude(Exists(closed_before))
    return qs.filter(open_at(end))


def overdue(qs: QuerySet[Case], reference: dt.date) -> QuerySet[Case]:
    """Cases past their mediation deadline on ``reference`` that had not ended by it."""
    return (
        qs.annotate(time_limit=Coalesce("extended_to", "due_on"))
        .filter(time_limit__lt=reference)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=reference))
    )


@dataclass(frozen=True)
class Counted:
    """A month's live figures and how many rows each list of ``items`` holds (``LedgerShow``
    value → rows), from the same two counts."""

    figures: Figures
    rows: dict[str, int]


def figures(org: Organisation, month: dt.date) -> Figures:
    """The month's figures computed from the cases as they stand (``counted``)."""
    return counted(org, month).figures


def counted(org: Organisation, month: dt.date) -> Counted:
    """The month's figures, and the rows of each list, in two counts: the cases of the
    subtree registered before the month's start and before its end (read from the path
    index alone, ADR 0066), and their close-outs (read from the close-outs' path index
    alone, ADR 0068), each counted with the registration its figure asks for. Each figure is then a difference over the same cases:

    - carried in: registered before the month, less those of them closed out before it;
    - new: registered in the month;
    - closed out: closed out in the month (of the cases registered before its end);
    - carried out: registered before the month's end, less those of them closed out before
      the next month.

    A close-out may be dated before its case's registration (an agreement recorded after the
    fact takes effect on the day it was reached), so no count assumes the order of the two.

    A ledger that carries many cases was read four times, once per figure, before stop 25,
    and then once with every case joined to its close-out (bench/README.md, the load test)."""
    nxt = months.next_month(month)
    start, end = months.start_of(month), months.start_of(nxt)
    registered = of_organisation(org).aggregate(
        # A column of the index (never null), so that the count needs nothing else.
        before_start=Count("registered_at", filter=Q(registered_at__lt=start)),
        before_end=Count("registered_at", filter=Q(registered_at__lt=end)),
    )
    early, late = Q(registered_at__lt=start), Q(registered_at__lt=end)
    before, during = Q(closed_on__lt=month), Q(closed_on__gte=month)
    # The close-out's own copies of its case's path and registration: one range of its path
    # index, not a join to every case the subtree ever held (ADR 0068).
    closed = CloseOut.objects.filter(
        committee_path__startswith=org.path, closed_on__lt=nxt
    ).aggregate(
        before_of_early=Count("closed_on", filter=before & early),
        before_of_late=Count("closed_on", filter=before & late),
        during_of_late=Count("closed_on", filter=during & late),
        during=Count("closed_on", filter=during),
    )
    carried_out = registered["before_end"] - closed["before_of_late"] - closed["during_of_late"]
    return Counted(
        figures=Figures(
            carried_in=registered["before_start"] - closed["before_of_early"],
            new=registered["before_end"] - registered["before_start"],
            closed_out=closed["during_of_late"],
            carried_out=carried_out,
        ),
        rows={
            LedgerShow.OPEN: carried_out,
            LedgerShow.CLOSED: closed["during"],
            LedgerShow.ALL: registered["before_end"] - closed["before_of_late"],
        },
    )


def close_out_of(case: Case) -> CloseOut | None:
    """The case's close-out, or None while it is on the ledger."""
    try:
        return case.close_out
    except ObjectDoesNotExist:
        return None
