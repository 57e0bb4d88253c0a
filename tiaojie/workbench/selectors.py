"""What waits for the signed-in person, counted: each domain app is asked for its own figures
(through its selectors, so each count is scoped as the list it links to), and every count
carries the address of that list, filtered to the same rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.roles import Capability, Role
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.models import CaseMediator
from tiaojie.cases.selectors import cases_for
from tiaojie.deadlines.models import AlertLevel
from tiaojie.deadlines.selectors import level_totals
from tiaojie.notifications.selectors import unread_count
from tiaojie.organisations.choices import OrganisationKind
from tiaojie.reviews.choices import ReviewStatus
from tiaojie.reviews.selectors import reviews_assigned_to
from tiaojie.routing.selectors import incoming_transfers, queue_for
from tiaojie.supervision.choices import SupervisionStatus
from tiaojie.supervision.selectors import supervisions_for

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

# Statuses a case passes through before its file is archived, in the order of the workflow:
# the home page's tallies. Wider than cases.choices.OPEN_STATUSES (the work on the case is not
# over): a failed, terminated or declined case still has its file to finish and archive.
UNARCHIVED_STATUSES = (
    CaseStatus.QUEUED,
    CaseStatus.REGISTERED,
    CaseStatus.ACCEPTED,
    CaseStatus.IN_MEDIATION,
    CaseStatus.AGREED,
    CaseStatus.FAILED,
    CaseStatus.TERMINATED,
    CaseStatus.DECLINED,
)
# Supervision, deadlines and the ledger are the business of the network's staff; grid workers
# report disputes and answer for no deadline.
STAFF_KINDS = frozenset(
    {
        OrganisationKind.CITY_BUREAU,
        OrganisationKind.DISTRICT_BUREAU,
        OrganisationKind.JUSTICE_OFFICE,
        OrganisationKind.COMMITTEE,
    }
)
OFFICERS = frozenset({Role.BUREAU_OFFICER, Role.OFFICE_OFFICER})


@dataclass(frozen=True)
class Tally:
    """One figure on the home page and the list that shows the rows it counts."""

    key: str
    label: str | Promise
    number: int
    url: str
    # "alert" (overdue), "warn" (needs doing soon) or "" (for information).
    tone: str = ""


@dataclass
class Section:
    key: str
    title: str | Promise
    tallies: list[Tally] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(t.number for t in self.tallies)


def _url(name: str, **params: str | int) -> str:
    base = reverse(name)
    return f"{base}?{urlencode(params)}" if params else base


def case_sections(user: User) -> list[Section]:
    """The user's own cases (for those who mediate) and the cases of their scope (their
    committee, or an officer's subtree), by status: one grouped query."""
    if not user.can(Capability.CASE_CONTENT):
        return []
    handles = user.can(Capability.CASE_HANDLE)
    # The user's cases as a set the database reads once (a hashed subplan), not a join to
    # the mediators: a join would repeat each case per mediator and need counting distinct
    # ids, which read and sorted every case of a district (2.2 s at 1,000,000 cases).
    serving = CaseMediator.objects.filter(mediator=user, withdrawn_at__isnull=True)
    mine = Q(pk__in=serving.values("case_id")) if handles else Q(pk=None)
    rows = (
        cases_for(user)
        .filter(status__in=UNARCHIVED_STATUSES)
        .order_by()
        .values("status")
        .annotate(scope=Count("pk"), mine=Count("pk", filter=mine))
    )
    by_status = {row["status"]: row for row in rows}
    sections: list[Section] = []
    if handles:
        own = Section("mine", _("My cases"))
        for status in UNARCHIVED_STATUSES:
            n = by_status.get(status, {}).get("mine", 0)
            if n:
                url = _url("cases:case_list", mediator=user.pk, status=status.value)
                own.tallies.append(Tally(f"mine-{status.value}", status.label, n, url))
        sections.append(own)
    if user.role in OFFICERS:
        title: str | Promise = _("Cases in your area")
    elif user.organisation.kind == OrganisationKind.COMMITTEE:
        title = _("Cases of your committee")
    else:
        title = _("Cases you may see")
    scope = Section("scope", title)
    for status in UNARCHIVED_STATUSES:
        n = by_status.get(status, {}).get("scope", 0)
        if n:
            url = _url("cases:case_list", status=status.value)
            scope.tallies.append(Tally(f"scope-{status.value}", status.label, n, url))
    sections.append(scope)
    return sections


def to_do(user: User) -> Section:
    """What asks for the user's action: deadlines near due and overdue, the centre's queue,
    transfers to receive, supervisions to report on, files to score, unread notifications."""
    section = Section("todo", _("Waiting for you"))
    add = section.tallies.append
    staff = user.organisation.kind in STAFF_KINDS and user.role != Role.GRID_WORKER
    if staff and user.can(Capability.CASE_CONTENT):
        totals = level_totals(user)
        add(
            Tally(
                "overdue",
                _("Overdue deadlines"),
                totals[AlertLevel.OVERDUE],
                _url("deadlines:deadline_list", level=AlertLevel.OVERDUE.value),
                "alert",
            )
        )
        add(
            Tally(
                "near_due",
                _("Deadlines near due"),
                totals[AlertLevel.NEAR_DUE],
                _url("deadlines:deadline_list", level=AlertLevel.NEAR_DUE.value),
                "warn",
            )
        )
    if user.can(Capability.CASE_ROUTE):
        add(
            Tally(
                "queue",
                _("Awaiting triage in the queue"),
                queue_for(user).count(),
                _url("routing:queue"),
                "warn",
            )
        )
    if user.can(Capability.CASE_ASSIGN):
        n = incoming_transfers(user).count()
        add(Tally("transfers", _("Transfers to receive"), n, _url("routing:transfers"), "warn"))
    if staff and user.can(Capability.CASE_CONTENT):
        today = timezone.localdate()
        open_ = Q(status=SupervisionStatus.OPEN)
        found = supervisions_for(user, state="all").aggregate(
            open=Count("pk", filter=open_),
            overdue=Count("pk", filter=open_ & Q(deadline__lt=today)),
        )
        label = (
            _("Supervised cases open") if user.role in OFFICERS else _("Supervisions to report on")
        )
        url = _url("supervision:supervision_list", state="open")
        add(Tally("supervisions", label, found["open"], url, "warn"))
        url = _url("supervision:supervision_list", state="overdue")
        add(
            Tally(
                "supervisions_overdue",
                _("Supervisions past their deadline"),
                found["overdue"],
                url,
                "alert",
            )
        )
    if user.can(Capability.REVIEW_SCORE):
        n = reviews_assigned_to(user).filter(status=ReviewStatus.PENDING).count()
        add(Tally("reviews", _("Case files to review"), n, _url("reviews:my_reviews"), "warn"))
    add(
        Tally(
            "unread",
            _("Unread notifications"),
            unread_count(user),
            _url("notifications:list", unread=1),
        )
    )
    return section
