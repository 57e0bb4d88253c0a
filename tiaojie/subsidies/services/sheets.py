"""The monthly sheet: every case a committee ended in the month, judged by the rules in force
that month (``judge``), written as lines and shares; totals per committee and per mediator are
SQL aggregates over them.

Computing is for drafts only. A sheet beyond a draft keeps its lines; ``verify`` recomputes a
month in memory with the month's own rules and tells whether the amounts still agree (they do
for a paid month whatever rules come later: rules for a submitted month cannot change).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import (
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.choices import AgreementKind, CaseStatus, Performance
from tiaojie.cases.models import Agreement, Case, CaseMediator, Party, PerformanceRecord
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.organisations.choices import OrganisationKind
from tiaojie.organisations.models import Organisation
from tiaojie.subsidies.choices import ArchiveRule, Exclusion, SheetStatus, Tier
from tiaojie.subsidies.error_codes import SubsidiesErrorCode as E
from tiaojie.subsidies.models import SubsidyLine, SubsidyShare, SubsidySheet
from tiaojie.subsidies.services import rulesets
from tiaojie.subsidies.services.judge import Facts, Outcome, Rules, judge

if TYPE_CHECKING:
    from tiaojie.accounts.models import User


ZERO = Decimal("0.00")


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def previous_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def month_cases(
    committees: QuerySet[Organisation] | Iterable[int], month: dt.date
) -> QuerySet[Case]:
    """The cases the committees ended in ``month`` (closed that month, whatever came after:
    an archived case counts in the month it ended)."""
    return Case.objects.filter(
        committee__in=committees,
        closed_on__gte=month,
        closed_on__lt=next_month(month),
    ).exclude(ended_as="")


def facts_of(cases: QuerySet[Case], month: dt.date) -> dict[int, list[Facts]]:
    """What the rules need of each case, by committee: one query for the cases (with the count
    of parties, the current agreement's kind and an earlier payment as subqueries) and one for
    their mediators."""
    parties = (
        Party.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    agreement = Agreement.objects.filter(case=OuterRef("pk"), superseded_at__isnull=True).values(
        "kind"
    )[:1]
    paid = (
        SubsidyLine.objects.filter(case=OuterRef("pk"), exclusion="", sheet__month__lt=month)
        .exclude(sheet__status=SheetStatus.DRAFT)
        .order_by("sheet__month")
        .values("sheet__month")[:1]
    )
    rows = (
        cases.order_by()
        .values_list(
            "pk",
            "number",
            "closed_on",
            "committee_id",
            "committee__committee_kind",
            "accepted_on",
            "ended_as",
            "performance",
            "archived_on",
            "amount",
            "people_involved",
            "is_complex",
            "is_group",
        )
        .annotate(
            n_parties=Coalesce(Subquery(parties, output_field=IntegerField()), Value(0)),
            agreement_kind=Subquery(agreement),
            paid_in=Subquery(paid),
        )
    )
    mediators: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for case_id, mediator_id, presiding in CaseMediator.objects.filter(
        case__in=cases.order_by().values("pk"), withdrawn_at__isnull=True
    ).values_list("case_id", "mediator_id", "is_presiding"):
        mediators[case_id].append((mediator_id, presiding))
    found: dict[int, list[Facts]] = defaultdict(list)
    for row in rows:
        (pk, number, closed_on, committee_id, kind, accepted_on, ended_as, performance) = row[:8]
        archived_on, amount, people, is_complex, is_group, n_parties, kind_of, paid_in = row[8:]
        found[committee_id].append(
            Facts(
                case_id=pk,
                number=number,
                closed_on=closed_on,
                committee_kind=kind,
                accepted=accepted_on is not None,
                agreed=ended_as == CaseStatus.AGREED,
                oral=kind_of == AgreementKind.ORAL,
                performed=performance == Performance.PERFORMED,
                archived=archived_on is not None,
                archived_on=archived_on,
                amount=amount,
                parties=n_parties,
                people=people,
                is_complex=is_complex,
                is_group=is_group,
                mediators=tuple(mediators.get(pk, ())),
                paid_in=paid_in if not isinstance(paid_in, str) else dt.date.fromisoformat(paid_in),
            )
        )
    return found


@dataclass
class Judged:
    facts: Facts
    outcome: Outcome
    # Carried over from the paid month the case ended in (carry_over): that month and why.
    carried_from: dt.date | None = None
    carry_note: str = ""


# The exclusions a case can outgrow after its month: performed, or its file completed, later.
LATE = (Exclusion.NOT_PERFORMED, Exclusion.NOT_ARCHIVED)


def _month_text(month: dt.date, since: dt.date) -> str:
    """“11月”, or “2027年1月” when the year differs from ``since``'s."""
    if month.year == since.year:
        return f"{month.month}月"
    return f"{month.year}年{month.month}月"


def carried_cases(committees: QuerySet[Organisation], month: dt.date) -> QuerySet[Case]:
    """Cases that ended before ``month``, were excluded as not yet performed or not complete on
    their month's sheet once that sheet was paid (locked), and were never counted since: the
    candidates to count here. Counted on a draft of a later month they still come here, but
    counted on an earlier month's sheet (any state) or on any sheet beyond a draft they do not,
    so a case is paid once."""
    excluded_on_paid = SubsidyLine.objects.filter(
        exclusion__in=LATE, sheet__status=SheetStatus.PAID, sheet__month__lt=month
    ).values("case_id")
    counted_before = SubsidyLine.objects.filter(exclusion="").filter(
        Q(sheet__month__lt=month) | (~Q(sheet__month=month) & ~Q(sheet__status=SheetStatus.DRAFT))
    )
    return (
        Case.objects.filter(committee__in=committees, closed_on__lt=month, pk__in=excluded_on_paid)
        .exclude(ended_as="")
        .exclude(pk__in=counted_before.values("case_id"))
    )


def _qualified_on(rules: Rules, facts: Facts, performed_on: dt.date | None) -> tuple[dt.date, str]:
    """The day the case came to qualify and what completed it last (performance or the file):
    the later of the day its performance was recorded (the day it ended, if none was) and the
    day its file was archived, when the rules ask for them."""
    reasons: list[tuple[dt.date, str]] = []
    if rules.require_performed:
        reasons.append((performed_on or facts.closed_on, "履行"))
    outcome_tier = judge(rules, facts).tier
    archive = rules.archive_rule == ArchiveRule.ALL or (
        rules.archive_rule == ArchiveRule.MAJOR and outcome_tier == Tier.MAJOR
    )
    if archive:
        reasons.append((facts.archived_on or facts.closed_on, "卷宗完备"))
    return max(reasons, default=(facts.closed_on, "履行"))


def judge_carried(
    rules: Rules, committee_facts: list[Facts], month: dt.date, performed: dict[int, dt.date]
) -> list[Judged]:
    """The carried-over cases that qualify by the end of ``month`` under its rules, each with
    the note the sheet shows (“补计：2026年10月调解，11月履行”); the others wait."""
    found: list[Judged] = []
    if not rules.carry_over:
        return found
    for facts in committee_facts:
        outcome = judge(rules, facts)
        if outcome.exclusion:
            continue
        on, what = _qualified_on(rules, facts, performed.get(facts.case_id))
        if on >= next_month(month):
            continue
        ended = facts.closed_on
        note = f"补计：{ended.year}年{ended.month}月调解，{_month_text(on, ended)}{what}"
        found.append(Judged(facts, outcome, ended.replace(day=1), note))
    return found


def performed_dates(cases: QuerySet[Case]) -> dict[int, dt.date]:
    """The last day each case's performance was recorded as performed."""
    return dict(
        PerformanceRecord.objects.filter(
            case__in=cases.order_by().values("pk"), status=Performance.PERFORMED
        )
        .order_by()
        .values("case_id")
        .annotate(on=Max("recorded_on"))
        .values_list("case_id", "on")
    )


def judge_month(
    committees: QuerySet[Organisation], month: dt.date
) -> tuple[dict[int, list[Judged]], dict[int, int | None]]:
    """Each committee's cases of the month judged with the rules in force for it, and the rule
    set used per committee (None: no rules in force, nothing judged)."""
    facts = facts_of(month_cases(committees, month), month)
    carried = carried_cases(committees, month)
    carried_facts = facts_of(carried, month)
    performed = performed_dates(carried) if carried_facts else {}
    judged: dict[int, list[Judged]] = {}
    used: dict[int, int | None] = {}
    rules_by_id: dict[int, Rules] = {}
    in_force = rulesets.InForce(month)
    for committee in committees.only("pk", "path"):
        rule_set = in_force.of(committee.path)
        used[committee.pk] = rule_set.pk if rule_set else None
        if rule_set is None:
            continue
        if rule_set.pk not in rules_by_id:
            rules_by_id[rule_set.pk] = Rules.of(rule_set)
        rules = rules_by_id[rule_set.pk]
        judged[committee.pk] = [Judged(f, judge(rules, f)) for f in facts.get(committee.pk, [])]
        judged[committee.pk] += judge_carried(
            rules, carried_facts.get(committee.pk, []), month, performed
        )
    return judged, used


def _write(pairs: list[tuple[SubsidySheet, list[Judged]]]) -> None:
    """Replace the sheets' lines and shares in bulk, then total them in one SQL aggregate and
    save the sheets (the caller has set their rule set)."""
    ids = [sheet.pk for sheet, _j in pairs]
    SubsidyShare.objects.filter(sheet_id__in=ids).delete()
    # The shares are gone, so nothing refers to the lines: deleted in SQL, not row by row.
    SubsidyLine.objects.filter(sheet_id__in=ids)._raw_delete(SubsidyLine.objects.db)
    rows = [(sheet, j) for sheet, judged in pairs for j in judged]
    lines = SubsidyLine.objects.bulk_create(
        [
            SubsidyLine(
                sheet=sheet,
                case_id=j.facts.case_id,
                case_number=j.facts.number,
                closed_on=j.facts.closed_on,
                tier=j.outcome.tier,
                basis=j.outcome.basis,
                basis_value=j.outcome.basis_value,
                amount=j.outcome.amount,
                exclusion=j.outcome.exclusion,
                exclusion_note=j.outcome.note,
                carried_from=j.carried_from,
                carry_note=j.carry_note,
            )
            for sheet, j in rows
        ],
        batch_size=2000,
    )
    SubsidyShare.objects.bulk_create(
        [
            SubsidyShare(line=line, sheet=sheet, mediator_id=mediator, amount=amount)
            for line, (sheet, j) in zip(lines, rows, strict=True)
            for mediator, amount in j.outcome.shares
        ],
        batch_size=2000,
    )

    # The totals, in one UPDATE whose values are SQL aggregates over the lines just written.
    def lines_of(condition: Q) -> QuerySet[SubsidyLine, Any]:
        return (
            SubsidyLine.objects.filter(condition, sheet=OuterRef("pk")).order_by().values("sheet")
        )

    paid, unpaid = Q(exclusion=""), ~Q(exclusion="")
    by_rules: dict[int | None, list[int]] = defaultdict(list)
    for sheet, _j in pairs:
        by_rules[sheet.rule_set_id].append(sheet.pk)
    for rule_set_id, sheet_ids in by_rules.items():
        SubsidySheet.objects.filter(pk__in=sheet_ids).update(
            rule_set_id=rule_set_id,
            total=Coalesce(Subquery(lines_of(paid).annotate(s=Sum("amount")).values("s")), ZERO),
            counted=Coalesce(Subquery(lines_of(paid).annotate(n=Count("pk")).values("n")), 0),
            excluded=Coalesce(Subquery(lines_of(unpaid).annotate(n=Count("pk")).values("n")), 0),
            computed_at=timezone.now(),
            stale=False,
            stale_since=None,
            version=F("version") + 1,
        )


def require_preparer(actor: User | None, committee: Organisation) -> None:
    if actor is None:
        return
    if not (actor.can("subsidy.prepare") and actor.organisation_id == committee.pk):
        raise NotPermitted(
            E.NOT_PERMITTED, _("The committee's director computes its subsidy sheet.")
        )


def _no_rules(committee: Organisation, month: dt.date) -> ValidationFailed:
    message = _("No subsidy rules are in force for %(committee)s in %(month)s.") % {
        "committee": committee.name,
        "month": f"{month.year}年{month.month}月",
    }
    return ValidationFailed(E.NO_RULES, message, fields={"month": [message]})


@transaction.atomic
def sheet_compute(
    *, actor: User | None, committee: Organisation, month: dt.date, version: int | None = None
) -> SubsidySheet:
    """Compute (or compute again) a committee's draft sheet for ``month``. ``actor`` None: the
    system (the demo, a batch)."""
    require_preparer(actor, committee)
    if not committee.is_committee:
        raise ValidationFailed(E.NOT_COMMITTEE, _("Subsidy sheets are kept per committee."))
    month = month.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        message = _("A month that has not begun has no sheet yet.")
        raise ValidationFailed(E.FUTURE_MONTH, message, fields={"month": [message]})
    sheet, _created = SubsidySheet.objects.select_for_update().get_or_create(
        committee=committee, month=month, defaults={"committee_path": committee.path}
    )
    if version is not None and sheet.version != version:
        raise Conflict(
            E.STALE_VERSION,
            _("Someone else changed this while you were working on it. Reload to see it."),
        )
    if sheet.status != SheetStatus.DRAFT:
        raise Conflict(
            E.NOT_DRAFT,
            _("Only a draft sheet is computed again; this one is “%(status)s”.")
            % {"status": SheetStatus(sheet.status).label},
        )
    committees = Organisation.objects.filter(pk=committee.pk)
    judged, used = judge_month(committees, month)
    if used[committee.pk] is None:
        raise _no_rules(committee, month)
    sheet.rule_set_id = used[committee.pk]
    _write([(sheet, judged[committee.pk])])
    sheet.refresh_from_db()
    audit.record(
        EventType.SUBSIDY_SHEET_COMPUTED,
        actor=actor,
        organisation=committee,
        obj=sheet,
        after={"month": month, "total": sheet.total, "counted": sheet.counted},
    )
    return sheet


def compute_area(area: Organisation, month: dt.date) -> list[SubsidySheet]:
    """Draft sheets of every committee under ``area`` that ended a case in ``month`` (or has one
    to carry over into it), computed
    in one pass (the month's batch; the benchmark's subject). Sheets beyond a draft are left
    as they are."""
    under = Organisation.objects.filter(path__startswith=area.path)
    committees = Organisation.objects.filter(
        Q(pk__in=month_cases(under, month).order_by().values("committee_id"))
        | Q(pk__in=carried_cases(under, month).order_by().values("committee_id")),
        kind=OrganisationKind.COMMITTEE,
        path__startswith=area.path,
    )
    locked = set(
        SubsidySheet.objects.filter(committee__in=committees, month=month)
        .exclude(status=SheetStatus.DRAFT)
        .values_list("committee_id", flat=True)
    )
    # Ids read once: the nested subqueries would otherwise be re-run inside every query below.
    ids = [pk for pk in committees.values_list("pk", flat=True) if pk not in locked]
    committees = Organisation.objects.filter(pk__in=ids)
    judged, used = judge_month(committees, month)
    paths = dict(committees.values_list("pk", "path"))
    wanted = [pk for pk, rule_set in used.items() if rule_set is not None]
    with transaction.atomic():
        existing = set(
            SubsidySheet.objects.filter(committee_id__in=wanted, month=month).values_list(
                "committee_id", flat=True
            )
        )
        SubsidySheet.objects.bulk_create(
            [
                SubsidySheet(committee_id=pk, committee_path=paths[pk], month=month)
                for pk in wanted
                if pk not in existing
            ],
            batch_size=500,
        )
        sheets = list(
            SubsidySheet.objects.select_for_update().filter(committee_id__in=wanted, month=month)
        )
        for sheet in sheets:
            sheet.rule_set_id = used[sheet.committee_id]
        _write([(sheet, judged[sheet.committee_id]) for sheet in sheets])
    return list(SubsidySheet.objects.filter(committee_id__in=wanted, month=month))


@dataclass(frozen=True)
class Difference:
    case_number: str
    kept: Decimal
    now: Decimal


def verify(sheet: SubsidySheet) -> list[Difference]:
    """Recompute the sheet's month in memory with the rules in force that month (looked up
    afresh, not read off the sheet) and list the cases whose amount differs: none for a sheet
    whose cases did not change, whatever rules were added since."""
    rule_set = rulesets.in_force(sheet.committee, sheet.month)
    if rule_set is None:
        return []
    rules = Rules.of(rule_set)
    facts = facts_of(month_cases([sheet.committee_id], sheet.month), sheet.month)
    now = {f.number: judge(rules, f).amount for f in facts.get(sheet.committee_id, [])}
    kept = dict(sheet.lines.filter(carried_from__isnull=True).values_list("case_number", "amount"))
    # A paid month judged a case not yet performed (or complete) as it stood when paid; if it
    # qualified later, a later month's sheet counts it (carried over), not this one.
    if sheet.is_locked:
        late = sheet.lines.filter(exclusion__in=LATE, carried_from__isnull=True)
        for number in late.values_list("case_number", flat=True):
            now[number] = kept.get(number, ZERO)
    # Carried-over lines of this sheet are judged again with this month's rules.
    if rules.carry_over:
        here = facts_of(
            Case.objects.filter(
                pk__in=sheet.lines.filter(carried_from__isnull=False).values("case_id")
            ),
            sheet.month,
        )
        for f in here.get(sheet.committee_id, []):
            now[f.number] = judge(rules, f).amount
    kept |= dict(
        sheet.lines.filter(carried_from__isnull=False).values_list("case_number", "amount")
    )
    return [
        Difference(number, kept.get(number, Decimal("0.00")), now.get(number, Decimal("0.00")))
        for number in sorted(set(now) | set(kept))
        if kept.get(number, Decimal("0.00")) != now.get(number, Decimal("0.00"))
    ]
