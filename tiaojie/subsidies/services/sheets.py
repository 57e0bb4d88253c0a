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
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.choices import AgreementKind, CaseStatus, Performance
from tiaojie.cases.models import Agreement, Case, CaseMediator, Party
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.organisations.choices import OrganisationKind
from tiaojie.organisations.models import Organisation
from tiaojie.subsidies.choices import SheetStatus
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


def judge_month(
    committees: QuerySet[Organisation], month: dt.date
) -> tuple[dict[int, list[Judged]], dict[int, int | None]]:
    """Each committee's cases of the month judged with the rules in force for it, and the rule
    set used per committee (None: no rules in force, nothing judged)."""
    facts = facts_of(month_cases(committees, month), month)
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
    """Draft sheets of every committee under ``area`` that ended a case in ``month``, computed
    in one pass (the month's batch; the benchmark's subject). Sheets beyond a draft are left
    as they are."""
    committees = Organisation.objects.filter(
        kind=OrganisationKind.COMMITTEE,
        path__startswith=area.path,
        pk__in=month_cases(Organisation.objects.filter(path__startswith=area.path), month)
        .order_by()
        .values("committee_id"),
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
    kept = dict(sheet.lines.values_list("case_number", "amount"))
    return [
        Difference(number, kept.get(number, Decimal("0.00")), now.get(number, Decimal("0.00")))
        for number in sorted(set(now) | set(kept))
        if kept.get(number, Decimal("0.00")) != now.get(number, Decimal("0.00"))
    ]
