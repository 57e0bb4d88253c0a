"""Periodic evaluation (考核) of mediators: a bureau's weighted criteria and the scores they
give each mediator of an area over a period.

Each criterion is first scored 0–100: counted ones (cases ended, training hours) against the
figure that earns full marks, rates as they are, the case-review average as it is (score
sheets total 100), satisfaction as the average rating out of 5. A criterion without data
(no case ended, no file reviewed, no rating) earns 0 points and shows “—”. The total is the
weighted sum. Computed on request and stored; the weights used are kept with the result."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.choices import CaseStatus, Performance
from tiaojie.cases.models import CaseMediator
from tiaojie.core.errors import NotPermitted, ValidationFailed
from tiaojie.mediators import satisfaction, selectors
from tiaojie.mediators.choices import Criterion, MediatorStatus
from tiaojie.mediators.error_codes import MediatorsErrorCode as E
from tiaojie.mediators.models import (
    Attendance,
    Evaluation,
    EvaluationScore,
    EvaluationWeight,
    Mediator,
)
from tiaojie.mediators.rules import may_configure_ladder
from tiaojie.organisations.models import Organisation, path_ids
from tiaojie.reviews.choices import ReviewStatus, RoundStatus
from tiaojie.reviews.models import CaseReview
from tiaojie.reviews.selectors import presiding_mediators

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

COUNTED = (Criterion.CASE_COUNT, Criterion.TRAINING_HOURS)
ENDED = (CaseStatus.AGREED, CaseStatus.FAILED, CaseStatus.TERMINATED)
ONE = Decimal("0.1")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Weight:
    criterion: str
    weight: int
    target: Decimal | None = None

    @property
    def label(self) -> str:
        return str(Criterion(self.criterion).label)


# Used where no bureau above has set weights (docs/mediators.md).
DEFAULT = (
    Weight(Criterion.CASE_COUNT, 20, Decimal(30)),
    Weight(Criterion.SUCCESS_RATE, 25),
    Weight(Criterion.PERFORMANCE_RATE, 15),
    Weight(Criterion.REVIEW_SCORE, 15),
    Weight(Criterion.SATISFACTION, 10),
    Weight(Criterion.TRAINING_HOURS, 15, Decimal(24)),
)


# --- the scheme -----------------------------------------------------------------------------


def weights_bureau(org: Organisation) -> Organisation | None:
    """The nearest bureau at or above ``org`` that has set evaluation weights."""
    ids = path_ids(org.path)
    having = set(
        EvaluationWeight.objects.filter(bureau_id__in=ids)
        .values_list("bureau_id", flat=True)
        .distinct()
    )
    for pk in reversed(ids):
        if pk in having:
            return Organisation.objects.get(pk=pk)
    return None


def weights_in_force(org: Organisation) -> list[Weight]:
    """The scheme that applies at ``org``: the nearest bureau's, else the default."""
    bureau = weights_bureau(org)
    if bureau is None:
        return list(DEFAULT)
    return [
        Weight(w.criterion, w.weight, w.target)
        for w in EvaluationWeight.objects.filter(bureau=bureau)
    ]


def check_weights(rows: Iterable[Weight]) -> list[Weight]:
    """Refuse a scheme whose weights do not total 100 %, name an unknown criterion, or leave a
    counted criterion without the figure for full marks."""
    errors: dict[str, list[str]] = {}
    kept: list[Weight] = []
    seen: set[str] = set()
    for row in rows:
        if row.criterion not in Criterion.values:
            errors.setdefault("weights", []).append(
                _("Unknown criterion: %(code)s.") % {"code": row.criterion}
            )
            continue
        if row.criterion in seen:
            errors.setdefault(row.criterion, []).append(_("Each criterion appears once."))
            continue
        seen.add(row.criterion)
        if not 0 <= row.weight <= 100:
            errors.setdefault(row.criterion, []).append(_("A weight is between 0 and 100."))
            continue
        if row.weight and row.criterion in COUNTED and (row.target is None or row.target <= 0):
            errors.setdefault(f"{row.criterion}_target", []).append(
                _("Enter the figure that earns full marks (more than 0).")
            )
            continue
        if row.weight:
            kept.append(row if row.criterion in COUNTED else Weight(row.criterion, row.weight))
    total = sum(w.weight for w in kept)
    if not errors and total != 100:
        errors["weights"] = [
            _("The weights must total 100 %%; they total %(total)s %%.") % {"total": total}
        ]
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(E.INVALID, first, fields=errors)
    return kept


def weights_set(*, actor: User, rows: Iterable[Weight]) -> list[Weight]:
    """Replace the actor's bureau's evaluation scheme."""
    if not may_configure_ladder(actor):
        raise NotPermitted(
            E.NOT_PERMITTED, _("Only a bureau's officers set the evaluation weights.")
        )
    kept = check_weights(rows)
    bureau = actor.organisation
    with transaction.atomic():
        before = [_as_json(w) for w in weights_in_force(bureau)]
        EvaluationWeight.objects.filter(bureau=bureau).delete()
        EvaluationWeight.objects.bulk_create(
            EvaluationWeight(bureau=bureau, criterion=w.criterion, weight=w.weight, target=w.target)
            for w in kept
        )
        audit.record(
            EventType.EVALUATION_WEIGHTS_CHANGED,
            actor=actor,
            organisation=bureau,
            before={"weights": before},
            after={"weights": [_as_json(w) for w in kept]},
        )
    return kept


def _as_json(w: Weight) -> dict[str, Any]:
    return {
        "criterion": str(w.criterion),
        "weight": w.weight,
        "target": str(w.target) if w.target is not None else None,
    }


def _from_json(d: dict[str, Any]) -> Weight:
    target = d.get("target")
    return Weight(d["criterion"], int(d["weight"]), Decimal(target) if target else None)


def weights_of(evaluation: Evaluation) -> list[Weight]:
    return [_from_json(d) for d in evaluation.weights]


# --- the figures ----------------------------------------------------------------------------


def _avg(values: list[Decimal]) -> Decimal | None:
    return (sum(values, Decimal(0)) / len(values)).quantize(ONE) if values else None


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * HUNDRED / whole).quantize(ONE) if whole else None


def figures(
    mediators: list[Mediator], starts_on: dt.date, ends_on: dt.date
) -> dict[int, dict[str, Decimal | None]]:
    """Each mediator's raw figure per criterion over the period (None: no data). Case figures
    need the mediator's account (cases name accounts)."""
    by_user = {m.user_id: m.pk for m in mediators if m.user_id is not None}
    out: dict[int, dict[str, Decimal | None]] = {m.pk: {} for m in mediators}
    ended: dict[int, list[tuple[str, str]]] = defaultdict(list)
    rows = CaseMediator.objects.filter(
        mediator_id__in=by_user,
        case__closed_on__gte=starts_on,
        case__closed_on__lte=ends_on,
        case__ended_as__in=ENDED,
    ).values_list("mediator_id", "case_id", "case__ended_as", "case__performance")
    seen: set[tuple[int, int]] = set()
    for user_id, case_id, ended_as, performance in rows:
        if (user_id, case_id) not in seen:  # withdrawn and re-added: one case
            seen.add((user_id, case_id))
            ended[by_user[user_id]].append((ended_as, performance))
    for pk, cases in ended.items():
        agreed = [p for e, p in cases if e == CaseStatus.AGREED]
        known = [p for p in agreed if p != Performance.PENDING]
        out[pk][Criterion.CASE_COUNT] = Decimal(len(cases))
        out[pk][Criterion.SUCCESS_RATE] = _rate(len(agreed), len(cases))
        out[pk][Criterion.PERFORMANCE_RATE] = _rate(
            sum(1 for p in known if p == Performance.PERFORMED), len(known)
        )
    for pk in out:
        out[pk].setdefault(Criterion.CASE_COUNT, Decimal(0))
    _review_scores(out, by_user, starts_on, ends_on)
    _satisfaction(out, by_user, starts_on, ends_on)
    hours = (
        Attendance.objects.filter(
            mediator__in=[m.pk for m in mediators],
            course__ends_on__gte=starts_on,
            course__ends_on__lte=ends_on,
        )
        .values_list("mediator_id")
        .annotate(h=Sum("hours"))
    )
    for pk in out:
        out[pk][Criterion.TRAINING_HOURS] = Decimal(0)
    for pk, h in hours:
        out[pk][Criterion.TRAINING_HOURS] = Decimal(h)
    return out


def _review_scores(
    out: dict[int, dict[str, Decimal | None]],
    by_user: dict[int, int],
    starts_on: dt.date,
    ends_on: dt.date,
) -> None:
    """Final case-file review totals (closed rounds) of the cases each mediator presided."""
    rows = list(
        CaseReview.objects.filter(
            status=ReviewStatus.SCORED,
            round__status=RoundStatus.CLOSED,
            scored_at__date__gte=starts_on,
            scored_at__date__lte=ends_on,
            total__isnull=False,
        ).values_list("case_id", "total")
    )
    presiding = presiding_mediators([c for c, _ in rows])
    totals: dict[int, list[Decimal]] = defaultdict(list)
    for case_id, total in rows:
        user = presiding.get(case_id)
        if user is not None and user.pk in by_user and total is not None:
            totals[by_user[user.pk]].append(total)
    for pk in out:
        out[pk][Criterion.REVIEW_SCORE] = _avg(totals.get(pk, []))


def _satisfaction(
    out: dict[int, dict[str, Decimal | None]],
    by_user: dict[int, int],
    starts_on: dt.date,
    ends_on: dt.date,
) -> None:
    """Applicants' ratings (1–5) given in the period, for every mediator of the case."""
    ratings = satisfaction.ratings(starts_on, ends_on)
    scores: dict[int, list[Decimal]] = defaultdict(list)
    pairs = set(
        CaseMediator.objects.filter(case_id__in=ratings, mediator_id__in=by_user).values_list(
            "case_id", "mediator_id"
        )
    )
    for case_id, user_id in pairs:
        scores[by_user[user_id]].append(Decimal(ratings[case_id]))
    for pk in out:
        out[pk][Criterion.SATISFACTION] = _avg(scores.get(pk, []))


def points(weight: Weight, value: Decimal | None) -> Decimal:
    """A criterion's 0–100 points from its figure."""
    if value is None:
        return Decimal(0)
    if weight.criterion in COUNTED:
        target = weight.target or Decimal(1)
        return min(value / target, Decimal(1)) * HUNDRED
    if weight.criterion == Criterion.SATISFACTION:
        return value * HUNDRED / 5
    return min(value, HUNDRED)


def score(
    weights: list[Weight], values: dict[str, Decimal | None]
) -> tuple[Decimal, dict[str, Any]]:
    """The weighted total and each criterion's figure and points."""
    total = Decimal(0)
    parts: dict[str, Any] = {}
    for w in weights:
        value = values.get(w.criterion)
        p = points(w, value)
        total += p * w.weight / HUNDRED
        parts[w.criterion] = {
            "value": str(value) if value is not None else None,
            "points": str(p.quantize(ONE)),
        }
    return total.quantize(ONE), parts


# --- running an evaluation ------------------------------------------------------------------


def evaluated(actor: User, starts_on: dt.date, ends_on: dt.date) -> QuerySet[Mediator]:
    """The mediators an evaluation of the actor's area covers: visible to the actor, and not
    gone before the period began."""
    return (
        selectors.roster(actor)
        .exclude(status=MediatorStatus.LEFT, left_on__lt=starts_on)
        .filter(Q(joined_on__lte=ends_on))
    )


def evaluation_run(
    *, actor: User, title: str, starts_on: dt.date | None, ends_on: dt.date | None
) -> Evaluation:
    """Score the mediators of the actor's area over a period. Running the same period again
    recomputes it (with the weights in force now)."""
    if not actor.can(Capability.MEDIATOR_MANAGE):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not run evaluations."))
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Enter a title, e.g. 2026 年度考核.")]
    if starts_on is None:
        errors["starts_on"] = [_("Enter the first day of the period.")]
    if ends_on is None:
        errors["ends_on"] = [_("Enter the last day of the period.")]
    elif starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("The period cannot end before it starts.")]
    if errors or starts_on is None or ends_on is None:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    org = actor.organisation
    weights = weights_in_force(org)
    mediators = list(evaluated(actor, starts_on, ends_on))
    values = figures(mediators, starts_on, ends_on)
    results = sorted(
        ((m, *score(weights, values[m.pk])) for m in mediators),
        key=lambda r: (-r[1], r[0].name, r[0].pk),
    )
    with transaction.atomic():
        evaluation, created = Evaluation.objects.update_or_create(
            owner=org,
            starts_on=starts_on,
            ends_on=ends_on,
            defaults={
                "owner_path": org.path,
                "title": title.strip()[:80],
                "weights": [_as_json(w) for w in weights],
                "computed_by": actor,
            },
        )
        evaluation.scores.all().delete()
        rank, last = 0, None
        rows = []
        for i, (mediator, total, parts) in enumerate(results, start=1):
            if total != last:  # equal totals share a rank
                rank, last = i, total
            rows.append(
                EvaluationScore(
                    evaluation=evaluation, mediator=mediator, total=total, rank=rank, parts=parts
                )
            )
        EvaluationScore.objects.bulk_create(rows)
        audit.record(
            EventType.EVALUATION_COMPUTED,
            actor=actor,
            obj=evaluation,
            organisation=org,
            after={
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat(),
                "mediators": len(rows),
                "recomputed": not created,
            },
        )
    return evaluation


def evaluations_for(user: User) -> QuerySet[Evaluation]:
    """Evaluations of the viewer's subtree (their own area's and those below)."""
    return Evaluation.objects.filter(owner_path__startswith=user.organisation.path).select_related(
        "owner"
    )


def scores_of(evaluation: Evaluation) -> QuerySet[EvaluationScore]:
    return evaluation.scores.select_related("mediator", "mediator__grade")
