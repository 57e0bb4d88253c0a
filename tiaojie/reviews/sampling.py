"""Drawing a round's sample (抽样): pure rules over the quarter's closed cases.

Per committee of the bureau's subtree, from the cases it closed in the quarter:

* every major case (重大: complex, group, or an amount at or above the round's threshold);
* every case of a flagged mediator (presiding, or any mediator still on the case);
* then ``ceil(share × the committee's closed cases)`` drawn at random from the rest.

The draw is deterministic: the round's seed and the committee's id seed the generator, and the
candidates are taken in id order, so drawing again gives the same sample.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from tiaojie.cases.choices import CLOSED_STATUSES
from tiaojie.cases.models import Case, CaseMediator
from tiaojie.organisations.choices import OrganisationKind
from tiaojie.reviews.choices import SampleReason


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of the quarter."""
    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, end - dt.timedelta(days=1)


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def seed_for(round_id: int) -> int:
    """A stable seed from the round's id (not Python's salted hash: same on every run)."""
    digest = hashlib.sha256(f"tiaojie-review-round:{round_id}".encode()).hexdigest()
    return int(digest[:15], 16)


def population(owner_path: str, year: int, quarter: int) -> QuerySet[Case]:
    """The case files a round over ``owner_path`` reviews: closed in the quarter by one of its
    committees. A declined case (archived or not) had no mediation to review."""
    start, end = quarter_bounds(year, quarter)
    return (
        Case.objects.filter(
            committee_path__startswith=owner_path,
            committee__kind=OrganisationKind.COMMITTEE,
            status__in=CLOSED_STATUSES,
            closed_on__gte=start,
            closed_on__lte=end,
        )
        .exclude(~Q(decline_reason=""))
        .order_by("id")
    )


def is_major(case: Case, threshold: Decimal) -> bool:
    return bool(
        case.is_complex or case.is_group or (case.amount is not None and case.amount >= threshold)
    )


def share_count(share: int, size: int) -> int:
    """ceil(share% × size) in integers (no float rounding: 10% of 30 is 3, not 4)."""
    return (share * size + 99) // 100


@dataclass(frozen=True)
class Drawn:
    case: Case
    reason: SampleReason


def draw(
    cases: list[Case], *, seed: int, share: int, threshold: Decimal, flagged: set[int]
) -> list[Drawn]:
    """The sample of ``cases`` (all closed in the quarter), committee by committee."""
    mediators: dict[int, set[int]] = defaultdict(set)
    rows = CaseMediator.objects.filter(case__in=[c.pk for c in cases]).filter(
        Q(withdrawn_at__isnull=True) | Q(is_presiding=True)
    )
    for case_id, mediator_id in rows.values_list("case_id", "mediator_id"):
        mediators[case_id].add(mediator_id)
    by_committee: dict[int, list[Case]] = defaultdict(list)
    for case in sorted(cases, key=lambda c: c.pk):
        by_committee[case.committee_id].append(case)
    drawn: list[Drawn] = []
    for committee_id in sorted(by_committee):
        own = by_committee[committee_id]
        rest: list[Case] = []
        for case in own:
            if is_major(case, threshold):
                drawn.append(Drawn(case, SampleReason.MAJOR))
            elif mediators[case.pk] & flagged:
                drawn.append(Drawn(case, SampleReason.FLAGGED_MEDIATOR))
            else:
                rest.append(case)
        rng = random.Random(seed * 1_000_003 + committee_id)  # noqa: S311 - sampling, not security
        wanted = min(share_count(share, len(own)), len(rest))
        drawn.extend(Drawn(c, SampleReason.SAMPLE) for c in rng.sample(rest, wanted))
    return drawn
