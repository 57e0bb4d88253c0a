"""The periodic deadline scan: raise alerts for cases that became near due or overdue, clear
those whose condition no longer holds, and notify the people answerable for new ones.

Everything is set-based: per (kind, level) one UPDATE clears stale alerts, one SELECT finds
cases without an open alert, one bulk INSERT raises them (ignoring any a concurrent run made).
The partial unique constraint on open alerts and the notification key ``deadline:<alert id>``
make a second run the same day change nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Role
from tiaojie.accounts.selectors import HEAD_ROLES, staff_of
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.models import Case, CaseMediator
from tiaojie.deadlines.calendar_notice import calendar_missing_notify
from tiaojie.deadlines.context import DeadlineContext
from tiaojie.deadlines.models import AlertLevel, DeadlineAlert, DeadlineKind
from tiaojie.deadlines.queries import PAIRS, STATUSES, deadline_set, due_of
from tiaojie.notifications.models import Notification, NotificationKind
from tiaojie.notifications.services import notify_rows
from tiaojie.organisations.models import Organisation

BATCH = 5000
# Raising more alerts than this in one run refreshes the table's statistics afterwards.
ANALYSE_AFTER = 10_000


@dataclass(frozen=True)
class ScanResult:
    today: dt.date
    raised: int
    cleared: int
    notified: int
    open_alerts: int


def _sync(
    base: QuerySet[Case],
    ctx: DeadlineContext,
    now: dt.datetime,
    whole: bool,
    pairs: tuple[tuple[str, str], ...] = PAIRS,
) -> tuple[int, int]:
    """Bring the open alerts of the cases in ``base`` in line with today for ``pairs``;
    (raised, cleared)."""
    open_alerts = DeadlineAlert.objects.filter(cleared_at__isnull=True)
    if not whole:
        open_alerts = open_alerts.filter(case__in=base.values("pk"))
    cleared = raised = 0
    for kind, level in pairs:
        holding = deadline_set(base, kind, level, ctx)
        mine = open_alerts.filter(kind=kind, level=level)
        cleared += mine.exclude(case_id__in=holding.values("pk")).update(cleared_at=now)
        if kind == DeadlineKind.MEDIATION:
            # Still due, but extended: the alert of the old due date goes, a new one comes.
            cleared += mine.exclude(
                due_on=Coalesce(F("case__extended_to"), F("case__due_on"))
            ).update(cleared_at=now)
        already = DeadlineAlert.objects.filter(
            case=OuterRef("pk"), kind=kind, level=level, cleared_at__isnull=True
        )
        columns = ("pk", "committee_path", "dl_start")  # dl_start: annotated by deadline_set
        fresh = holding.filter(~Exists(already)).order_by().values_list(*columns)
        batch: list[DeadlineAlert] = []
        # A plain fetch, not .iterator(): PostgreSQL plans a server-side cursor for its first
        # rows (nested loops), which made an idempotent run 40× slower than this hash anti-join.
        for case_id, path, start in fresh:
            batch.append(
                DeadlineAlert(
                    case_id=case_id,
                    kind=kind,
                    level=level,
                    due_on=due_of(kind, path, start, ctx),
                    raised_at=now,
                )
            )
            if len(batch) >= BATCH:
                DeadlineAlert.objects.bulk_create(batch, ignore_conflicts=True)
                raised += len(batch)
                batch = []
        DeadlineAlert.objects.bulk_create(batch, ignore_conflicts=True)
        raised += len(batch)
    return raised, cleared


def _recipients(new: QuerySet[DeadlineAlert]) -> dict[int, set[int]]:
    """Case id → the users answerable for it: its active mediators and its committee's
    directors; for a dispute still queued at a governance centre, the centre's officers."""
    case_ids = new.values("case_id")
    people: dict[int, set[int]] = defaultdict(set)
    for case_id, user_id in CaseMediator.objects.filter(
        case_id__in=case_ids, withdrawn_at__isnull=True, mediator__is_active=True
    ).values_list("case_id", "mediator_id"):
        people[case_id].add(user_id)
    holders = Case.objects.filter(pk__in=case_ids).values_list("pk", "committee_id", "status")
    by_org: dict[int, list[int]] = defaultdict(list)
    staff = staff_of(
        Case.objects.filter(pk__in=case_ids).values("committee_id"), HEAD_ROLES
    ).values_list("organisation_id", "pk", "role")
    roles: dict[int, str] = {}
    for org_id, user_id, role in staff:
        by_org[org_id].append(user_id)
        roles[user_id] = role
    for case_id, committee_id, status in holders:
        wanted = Role.COMMITTEE_DIRECTOR if status != CaseStatus.QUEUED else None
        for user_id in by_org.get(committee_id, []):
            if (wanted and roles[user_id] == wanted) or (
                wanted is None and roles[user_id] != Role.COMMITTEE_DIRECTOR
            ):
                people[case_id].add(user_id)
    return people


def _notify_new(now: dt.datetime) -> int:
    """One notification per new alert and answerable person, keyed ``deadline:<alert id>``."""
    new = DeadlineAlert.objects.filter(raised_at=now, cleared_at__isnull=True)
    people = _recipients(new)
    rows: list[Notification] = []
    sent = 0
    with translation.override("zh-hans"):
        for alert_id, case_id, number, kind, level, due in new.values_list(
            "pk", "case_id", "case__number", "kind", "level", "due_on"
        ):
            label = DeadlineKind(kind).label
            if level == AlertLevel.OVERDUE:
                title = _("Overdue: %(deadline)s of case %(number)s") % {
                    "deadline": label,
                    "number": number,
                }
                notification_kind = NotificationKind.OVERDUE
            else:
                title = _("Near due: %(deadline)s of case %(number)s") % {
                    "deadline": label,
                    "number": number,
                }
                notification_kind = NotificationKind.NEAR_DUE
            body = _("Due on %(day)s.") % {"day": f"{due.year}年{due.month}月{due.day}日"}
            url = reverse("cases:case_detail", args=[case_id])
            for user_id in people.get(case_id, ()):
                rows.append(
                    Notification(
                        recipient_id=user_id,
                        kind=notification_kind,
                        title=title[:200],
                        body=body,
                        url=url,
                        case_id=case_id,
                        key=f"deadline:{alert_id}",
                    )
                )
            if len(rows) >= BATCH:
                sent += notify_rows(rows)
                rows = []
    return sent + notify_rows(rows)


def installation_root() -> Organisation | None:
    """The one top organisation the nightly jobs' audit entries are filed under (None when
    the installation has several roots)."""
    roots = list(Organisation.objects.filter(parent__isnull=True)[:2])
    return roots[0] if len(roots) == 1 else None


def _analyse_alerts() -> None:
    """Fresh planner statistics for the alert table on PostgreSQL. Its size jumps with a scan
    (hundreds of thousands of rows on the first one); with the old estimate of a near-empty
    table the planner chose a nested loop for "no open alert yet" that took seconds instead of
    a hash anti-join (bench/overdue_scan.py). ANALYZE samples a fixed number of rows: cheap."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE deadlines_deadlinealert")


@transaction.atomic
def run_scan(today: dt.date | None = None) -> ScanResult:
    """Scan every case's deadlines as of ``today`` (default: the local date). Safe to run twice:
    the second run raises, clears and notifies nothing more."""
    ctx = DeadlineContext.build(today)
    now = timezone.now()
    _analyse_alerts()
    raised, cleared = _sync(Case.objects.all(), ctx, now, whole=True)
    if raised > ANALYSE_AFTER:
        _analyse_alerts()
    notified = _notify_new(now)
    result = ScanResult(
        ctx.today,
        raised=DeadlineAlert.objects.filter(raised_at=now).count() if raised else 0,
        cleared=cleared,
        notified=notified,
        open_alerts=DeadlineAlert.objects.filter(cleared_at__isnull=True).count(),
    )
    audit.record(
        EventType.DEADLINE_SCAN_RUN,
        actor=None,
        organisation=installation_root(),
        after={
            "date": ctx.today,
            "raised": result.raised,
            "cleared": result.cleared,
            "notified": result.notified,
            "open": result.open_alerts,
        },
    )
    return result


@transaction.atomic
def refresh_case_alerts(case: Case, today: dt.date | None = None) -> ScanResult:
    """Re-judge one case's alerts now, e.g. right after a move or an extension, so an alert
    clears (or a new one is raised) without waiting for the nightly scan. Not audited: it
    changes only derived state, like the scan's per-case work."""
    ctx = DeadlineContext.build(today)
    now = timezone.now()
    # Only the kinds running in the case's status can hold; the others' alerts simply clear
    # (one UPDATE instead of two queries per pair: this runs after moves).
    status = Case.objects.values_list("status", flat=True).get(pk=case.pk)
    live = tuple((kind, level) for kind, level in PAIRS if status in STATUSES[kind])
    cleared = DeadlineAlert.objects.filter(
        case=case,
        cleared_at__isnull=True,
        kind__in={kind for kind, _level in PAIRS} - {kind for kind, _level in live},
    ).update(cleared_at=now)
    raised, still = _sync(Case.objects.filter(pk=case.pk), ctx, now, whole=False, pairs=live)
    cleared += still
    notified = _notify_new(now) if raised else 0
    return ScanResult(
        ctx.today,
        raised=raised,
        cleared=cleared,
        notified=notified,
        open_alerts=DeadlineAlert.objects.filter(case=case, cleared_at__isnull=True).count(),
    )


# Jobs of the apps above (supervision's escalation of overdue supervisions) that run before
# the nightly scan; each returns how many things it moved. They register at start-up
# (``SupervisionConfig.ready``), so the deadlines app does not import them.
_before_scan: dict[str, Callable[[dt.date | None], int]] = {}


def run_before_scan(name: str, job: Callable[[dt.date | None], int]) -> None:
    """Run ``job`` every night before the deadline scan (safe to run twice, as the scan)."""
    _before_scan[name] = job


def run_daily(today: dt.date | None = None) -> tuple[ScanResult, int]:
    """The nightly job: the registered jobs (overdue supervisions rise a level, 挂牌督办
    escalation), then the deadline scan, then (from November) the notice that next
    year's calendar is missing. All are safe to run twice. Returns the scan's result
    and how many things the jobs moved (supervisions escalated)."""
    moved = sum(job(today) for job in _before_scan.values())
    result = run_scan(today)
    calendar_missing_notify(today)
    return result, moved


def refresh_if_alerted(case: Case) -> None:
    """After a move or an extension: re-judge the case's alerts when it has open ones, so they
    clear at once. A case without open alerts costs one query; new alerts wait for the nightly
    scan (imports and busy clerks make many moves)."""
    if DeadlineAlert.objects.filter(case=case, cleared_at__isnull=True).exists():
        refresh_case_alerts(case)
