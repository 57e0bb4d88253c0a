"""What the subsidy app does when a case moves (docs/events.md): a sheet the case counts (or
counted) for is marked "to be computed again". Idempotent: marking twice marks once; a paid
sheet is never touched (it stays what was paid)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from tiaojie.cases.models import Case
from tiaojie.core.events import Event, listen
from tiaojie.subsidies.choices import SheetStatus
from tiaojie.subsidies.models import SubsidySheet


@listen("case.moved")
@listen("case.updated")
def mark_sheets_stale(event: Event) -> None:
    """The sheets whose lines name the case (it may have left their month: mediated again,
    transferred), and the sheet of the month it now ended in (it may have joined it)."""
    case = (
        Case.objects.filter(pk=event.payload["case_id"])
        .only("committee_id", "closed_on", "ended_as")
        .first()
    )
    if case is None:
        return
    where = Q(lines__case_id=case.pk)
    if case.closed_on is not None and case.ended_as:
        where |= Q(committee_id=case.committee_id, month=case.closed_on.replace(day=1))
    ids = SubsidySheet.objects.filter(where).exclude(status=SheetStatus.PAID).values("pk")
    SubsidySheet.objects.filter(pk__in=ids, stale=False).update(
        stale=True, stale_since=timezone.now()
    )
