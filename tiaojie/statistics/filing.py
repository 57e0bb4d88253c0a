"""Filing reports up the tree (committee → justice office → district bureau → city bureau) on
the one transition engine (``core.transitions``): file, approve, return with a comment,
re-open with a reason. Re-opening a report re-opens the filed or approved reports above it
for the same period, whose totals include it; they are filed again with fresh figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability, Role
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core import transitions
from tiaojie.core.errors import NotPermitted, field_error
from tiaojie.organisations.choices import OrganisationStatus
from tiaojie.organisations.models import Organisation, path_ids
from tiaojie.statistics import periods, report
from tiaojie.statistics.choices import ReportAction as A
from tiaojie.statistics.choices import ReportStatus as S
from tiaojie.statistics.error_codes import StatisticsErrorCode as E
from tiaojie.statistics.models import StatReport, StatReportStep

# Who files for each kind of organisation: its own director or officers.
FILERS = frozenset({Role.COMMITTEE_DIRECTOR, Role.OFFICE_OFFICER, Role.BUREAU_OFFICER})
# Who checks the reports of the level below: the officers of the parent organisation.
CHECKERS = frozenset({Role.OFFICE_OFFICER, Role.BUREAU_OFFICER})


def filing_days() -> int:
    """Days after the period's end by which a report is due (later filings are flagged)."""
    return int(getattr(settings, "TIAOJIE_STATISTICS_FILING_DAYS", 5))


def due_on(report_row: StatReport) -> dt.date:
    return report_row.period_end + dt.timedelta(days=filing_days())


def report_for(organisation: Organisation, period: periods.Period) -> StatReport:
    """The organisation's report for the period, a draft if nobody has filed it yet."""
    row, _created = StatReport.objects.get_or_create(
        organisation=organisation,
        period=period.code,
        defaults={"org_path": organisation.path, "period_end": period.end},
    )
    return row


def figures_now(report_row: StatReport) -> dict[str, str]:
    """The live totals of the report's organisation and period, by column code."""
    period = periods.parse(report_row.period)
    built = report.build(report_row.organisation, period)
    return {c.code: _figure(built.total.value(c)) for c in built.columns}


def _figure(value: Decimal) -> str:
    """A figure as filed: counts without decimals, amounts and rates to the fen. The same
    text on every database (PostgreSQL sums decimals as 1.00, SQLite as 1)."""
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value:.2f}"


def is_empty(figures: dict[str, str]) -> bool:
    return all(Decimal(v) == 0 for k, v in figures.items() if not report.is_headcount(k))


# --- Who may make each move -------------------------------------------------------------


def has_own_filer(organisation: Organisation) -> bool:
    """Whether the organisation has an active account that may file its report."""
    return User.objects.filter(organisation=organisation, role__in=FILERS, is_active=True).exists()


def files_on_behalf(actor: User, row: StatReport) -> bool:
    """代报: an organisation without an account of its own (many committees have none) is
    filed for by the officers of a level above it."""
    return (
        actor.role in CHECKERS
        and actor.organisation_id != row.organisation_id
        and row.org_path.startswith(actor.organisation.path)
        and not has_own_filer(row.organisation)
    )


def _filer(actor: User, row: StatReport) -> None:
    own = actor.role in FILERS and actor.organisation_id == row.organisation_id
    if not (own or files_on_behalf(actor, row)):
        raise NotPermitted(
            E.NOT_PERMITTED, _("Only the organisation's own director or officers file its report.")
        )


def missing_below(row: StatReport) -> list[Organisation]:
    """The active organisations one level below whose report for the period is neither
    filed nor approved (a nil report is a filed report)."""
    children = [
        child
        for child in report.row_organisations(row.organisation)
        if child.status == OrganisationStatus.ACTIVE
    ]
    done = set(
        StatReport.objects.filter(
            organisation__in=children, period=row.period, status__in=[S.FILED, S.APPROVED]
        ).values_list("organisation_id", flat=True)
    )
    return [child for child in children if child.pk not in done]


def _names(orgs: list[Organisation], shown: int = 8) -> str:
    names = "、".join(org.name for org in orgs[:shown])
    if len(orgs) > shown:
        names += _("and %(count)d more") % {"count": len(orgs) - shown}
    return names


def _checker(actor: User, row: StatReport) -> None:
    if not (actor.role in CHECKERS and actor.organisation_id == row.organisation.parent_id):
        raise NotPermitted(
            E.NOT_PERMITTED, _("Only the officers of the level above check this report.")
        )


def _system(actor: User, row: StatReport) -> None:
    return None  # made only by ``report_transition``'s cascade, never offered


WHO = {
    A.FILE: _filer,
    A.APPROVE: _checker,
    A.RETURN: _checker,
    A.REOPEN: _checker,
    A.REAGGREGATE: _system,
}
EVENTS = {
    A.FILE: EventType.STAT_REPORT_FILED,
    A.APPROVE: EventType.STAT_REPORT_APPROVED,
    A.RETURN: EventType.STAT_REPORT_RETURNED,
    A.REOPEN: EventType.STAT_REPORT_REOPENED,
    A.REAGGREGATE: EventType.STAT_REPORT_REOPENED,
}


# --- Guards and effects ----------------------------------------------------------------


def _guard_file(row: StatReport, actor: User, data: dict[str, Any]) -> None:
    today = timezone.localdate()
    if today <= row.period_end:
        raise field_error(
            "period",
            _("The period ends on %(day)s: a report is filed only after its period has ended.")
            % {"day": f"{row.period_end.year}年{row.period_end.month}月{row.period_end.day}日"},
            E.PERIOD_NOT_ENDED,
        )
    missing = missing_below(row)
    if missing:
        raise field_error(
            "below",
            _(
                "Not every organisation below has filed for this period; still missing: "
                "%(names)s. Each files its report (or a nil report) first."
            )
            % {"names": _names(missing)},
            E.BELOW_NOT_FILED,
        )
    figures = figures_now(row)
    nil = bool(data.get("nil"))
    if nil and not is_empty(figures):
        raise field_error(
            "nil", _("There are figures in this period: a nil report is not possible."), E.NOT_NIL
        )
    if not nil and is_empty(figures):
        raise field_error(
            "nil",
            _("Every figure of this period is zero: tick “nil report” to file it as such."),
            E.NIL_REQUIRED,
        )
    data["figures"] = figures


def _apply_file(row: StatReport, actor: User, data: dict[str, Any]) -> None:
    row.figures = data["figures"]
    row.nil = bool(data.get("nil"))
    row.filed_at = timezone.now()
    row.late = timezone.localdate() > due_on(row)
    row.comment = ""
    data["late"] = row.late
    data["on_behalf"] = row.organisation_id != actor.organisation_id


def _apply_return(row: StatReport, actor: User, data: dict[str, Any]) -> None:
    row.comment = str(data.get("comment", "")).strip()


MOVES: dict[str, transitions.Move[StatReport]] = {
    move.action: move
    for move in [
        transitions.Move(
            A.FILE,
            frozenset({S.DRAFT, S.RETURNED, S.REOPENED}),
            S.FILED,
            Capability.CASE_CONTENT,
            guard=_guard_file,
            apply=_apply_file,
            extra=("nil", "late", "on_behalf"),
        ),
        transitions.Move(A.APPROVE, frozenset({S.FILED}), S.APPROVED, Capability.CASE_SUPERVISE),
        transitions.Move(
            A.RETURN,
            frozenset({S.FILED}),
            S.RETURNED,
            Capability.CASE_SUPERVISE,
            apply=_apply_return,
            needs_reason=True,
        ),
        transitions.Move(
            A.REOPEN,
            frozenset({S.APPROVED}),
            S.REOPENED,
            Capability.CASE_SUPERVISE,
            needs_reason=True,
        ),
        transitions.Move(
            A.REAGGREGATE,
            frozenset({S.FILED, S.APPROVED}),
            S.REOPENED,
            None,
            needs_reason=True,
            offered=lambda row: False,
            # The reports above are re-opened for whoever re-opened the one below, whatever
            # their own scope: the totals of those reports include it.
            scoped=False,
        ),
    ]
}


def _record(
    actor: User,
    row: StatReport,
    move: transitions.Move[StatReport],
    before: str,
    reason: str,
    recorded: dict[str, Any],
) -> None:
    audit.record(
        EVENTS[move.action],
        actor=actor,
        organisation=row.organisation,
        obj=row,
        reason=reason,
        before={"status": before},
        after={"status": move.target, "action": str(move.action), **recorded},
    )


def _in_scope(actor: User, row: StatReport) -> bool:
    return row.org_path.startswith(actor.organisation.path)


WORKFLOW: transitions.Workflow[StatReport] = transitions.Workflow(
    name="stat_report",
    model=StatReport,
    moves=MOVES,
    log=StatReportStep,
    log_field="report",
    scope=_in_scope,
    messages=transitions.Messages(
        out_of_scope=gettext_lazy("This report is not in your organisation's subtree."),
        not_allowed=gettext_lazy("Your role may not do this to a report."),
        illegal=lambda status, move: (
            _("A report that is “%(status)s” cannot be moved by “%(action)s”.")
            % {"status": S(status).label, "action": A(move.action).label}
        ),
        reason_required=gettext_lazy("Write the comment or the reason."),
    ),
    record=_record,
    subject=lambda row: {
        "report_id": row.pk,
        "organisation_id": row.organisation_id,
        "period": row.period,
    },
    lock=lambda pk: (
        StatReport.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=pk)
    ),
    permit=lambda actor, row, move: WHO[move.action](actor, row),
)

# What users may ask for; the cascade is the system's.
USER_ACTIONS = frozenset({A.FILE, A.APPROVE, A.RETURN, A.REOPEN})


@transaction.atomic
def report_transition(
    *,
    actor: User,
    report_row: StatReport,
    action: str,
    reason: str = "",
    nil: bool = False,
    version: int | None = None,
) -> StatReport:
    """File, approve, return (comment required) or re-open (reason required) a report, or
    refuse and change nothing. Re-opening re-opens the reports above for the same period."""
    if action not in USER_ACTIONS:
        raise field_error("action", str(transitions.UNKNOWN_ACTION), E.UNKNOWN_ACTION)
    moved = WORKFLOW.move(
        actor=actor,
        obj=report_row,
        action=action,
        reason=reason.strip(),
        version=version,
        data={"nil": nil, "comment": reason},
    )
    # A report returned or re-opened changes the totals of the filed reports above it.
    if action in (A.REOPEN, A.RETURN):
        ancestors = path_ids(moved.org_path)[:-1]
        above = StatReport.objects.filter(
            organisation_id__in=ancestors, period=moved.period, status__in=[S.FILED, S.APPROVED]
        ).order_by("-org_path")
        why = (
            _("The report of %(name)s was re-opened: %(reason)s")
            if action == A.REOPEN
            else _("The report of %(name)s was returned: %(reason)s")
        )
        for row in above:
            WORKFLOW.move(
                actor=actor,
                obj=row,
                action=A.REAGGREGATE,
                reason=why % {"name": moved.organisation.name, "reason": reason.strip()},
            )
    return moved


def offered(actor: User, row: StatReport) -> list[str]:
    """The moves ``actor`` may try on the report now (the page's buttons)."""
    out = []
    for action in (A.FILE, A.APPROVE, A.RETURN, A.REOPEN):
        move = MOVES[action]
        if row.status not in move.sources or not actor.can(str(move.capability)):
            continue
        try:
            WHO[action](actor, row)
        except NotPermitted:
            continue
        out.append(str(action))
    return out
