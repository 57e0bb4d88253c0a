"""Staffing norms and insurance: the norms a bureau sets for its committees and the
committees below them; accident-insurance policies, who is uninsured today and whose cover
ends soon."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core.errors import NotPermitted, ValidationFailed
from tiaojie.mediators import selectors
from tiaojie.mediators.choices import Employment, MediatorStatus
from tiaojie.mediators.error_codes import MediatorsErrorCode as E
from tiaojie.mediators.models import InsurancePolicy, Mediator, Membership, StaffingNorm
from tiaojie.mediators.rules import may_configure_ladder, mediator_policy
from tiaojie.organisations.choices import CommitteeKind
from tiaojie.organisations.models import Organisation, path_ids

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

EXPIRY_NOTICE_DAYS = 30


# --- staffing norms -------------------------------------------------------------------------


def norm_set(
    *, actor: User, committee_kind: str, min_full_time: int, min_total: int
) -> StaffingNorm | None:
    """Set (or, with both minimums 0, remove) the norm of the actor's bureau for a kind."""
    if not may_configure_ladder(actor):
        raise NotPermitted(E.NOT_PERMITTED, _("Only a bureau's officers set staffing norms."))
    errors: dict[str, list[str]] = {}
    if committee_kind and committee_kind not in CommitteeKind.values:
        errors["committee_kind"] = [_("Choose one of the listed values.")]
    if not 0 <= min_full_time <= 100:
        errors["min_full_time"] = [_("Between 0 and 100.")]
    if not 0 <= min_total <= 100:
        errors["min_total"] = [_("Between 0 and 100.")]
    elif min_total and min_total < min_full_time:
        errors["min_total"] = [_("At least as many in all as full-time.")]
    if errors:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    bureau = actor.organisation
    with transaction.atomic():
        found = StaffingNorm.objects.filter(bureau=bureau, committee_kind=committee_kind).first()
        before = (
            {"min_full_time": found.min_full_time, "min_total": found.min_total} if found else {}
        )
        if not min_full_time and not min_total:
            if found is not None:
                found.delete()
            norm = None
        else:
            norm = found or StaffingNorm(bureau=bureau, committee_kind=committee_kind)
            norm.min_full_time, norm.min_total = min_full_time, min_total
            norm.save()
        audit.record(
            EventType.STAFFING_NORM_CHANGED,
            actor=actor,
            organisation=bureau,
            before=before,
            after={
                "committee_kind": committee_kind,
                "min_full_time": min_full_time,
                "min_total": min_total,
            },
        )
    return norm


def norms_in_force(org: Organisation) -> list[StaffingNorm]:
    """The norms that apply at ``org``: per kind, the nearest bureau's at or above it."""
    ids = path_ids(org.path)
    depth = {pk: i for i, pk in enumerate(ids)}
    chosen: dict[str, StaffingNorm] = {}
    for norm in StaffingNorm.objects.filter(bureau_id__in=ids):
        current = chosen.get(norm.committee_kind)
        if current is None or depth[norm.bureau_id] > depth[current.bureau_id]:
            chosen[norm.committee_kind] = norm
    return sorted(chosen.values(), key=lambda n: n.committee_kind)


@dataclass(frozen=True)
class Shortfall:
    committee: Organisation
    full_time: int
    total: int
    min_full_time: int
    min_total: int


def _norm_for(
    committee: Organisation, cache: dict[int, dict[str, StaffingNorm]]
) -> StaffingNorm | None:
    ids = path_ids(committee.path)
    for pk in reversed(ids):
        by_kind = cache.get(pk, {})
        if committee.committee_kind in by_kind:
            return by_kind[committee.committee_kind]
        if "" in by_kind:
            return by_kind[""]
    return None


def below_norms(user: User) -> list[Shortfall]:
    """The active committees of the viewer's subtree with fewer active mediators (full-time or
    in all) than the norm in force for their kind."""
    committees = list(selectors.committees_in_scope(user))
    all_ids = {pk for c in committees for pk in path_ids(c.path)}
    cache: dict[int, dict[str, StaffingNorm]] = {}
    for norm in StaffingNorm.objects.filter(bureau_id__in=all_ids):
        cache.setdefault(norm.bureau_id, {})[norm.committee_kind] = norm
    if not cache:
        return []
    counts = {
        row["committee_id"]: row
        for row in Membership.objects.filter(
            committee__in=committees, until__isnull=True, mediator__status=MediatorStatus.ACTIVE
        )
        .values("committee_id")
        .annotate(
            total=Count("id"),
            full_time=Count("id", filter=Q(mediator__employment=Employment.FULL_TIME)),
        )
    }
    found = []
    for committee in committees:
        rule = _norm_for(committee, cache)
        if rule is None:
            continue
        row = counts.get(committee.pk, {"total": 0, "full_time": 0})
        if row["full_time"] < rule.min_full_time or row["total"] < rule.min_total:
            found.append(
                Shortfall(
                    committee, row["full_time"], row["total"], rule.min_full_time, rule.min_total
                )
            )
    return found


# --- insurance ------------------------------------------------------------------------------


@dataclass
class PolicyData:
    insurer: str
    number: str
    cover: Decimal | None
    starts_on: dt.date | None
    ends_on: dt.date | None


def policy_add(*, actor: User, mediator: Mediator, data: PolicyData) -> InsurancePolicy:
    """Record an accident-insurance policy of a mediator in the actor's scope."""
    if not actor.can(Capability.MEDIATOR_MANAGE):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not change the mediator roster."))
    if not mediator_policy.allows(actor, Capability.MEDIATOR_VIEW, mediator):
        raise NotPermitted(E.NOT_PERMITTED, _("This mediator is not within your organisation."))
    errors: dict[str, list[str]] = {}
    if not data.insurer.strip():
        errors["insurer"] = [_("Enter the insurer.")]
    if not data.number.strip():
        errors["number"] = [_("Enter the policy number.")]
    if data.cover is None or not Decimal(0) < data.cover < Decimal("1e10"):
        errors["cover"] = [_("Enter the cover in 元, more than 0.")]
    if data.starts_on is None:
        errors["starts_on"] = [_("Enter the first day.")]
    if data.ends_on is None:
        errors["ends_on"] = [_("Enter the last day.")]
    elif data.starts_on is not None and data.ends_on < data.starts_on:
        errors["ends_on"] = [_("The last day cannot be before the first.")]
    if errors or data.cover is None or data.starts_on is None or data.ends_on is None:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    with transaction.atomic():
        policy = InsurancePolicy.objects.create(
            mediator=mediator,
            insurer=data.insurer.strip(),
            number=data.number.strip(),
            cover=data.cover,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            recorded_by=actor,
        )
        audit.record(
            EventType.INSURANCE_RECORDED,
            actor=actor,
            obj=mediator,
            after={"policy": policy.pk, "starts_on": data.starts_on, "ends_on": data.ends_on},
        )
    return policy


@dataclass(frozen=True)
class InsuranceReport:
    uninsured: Sequence[Mediator]
    expiring: Sequence[tuple[Mediator, dt.date]]  # covered today, cover ends within the notice


def insurance(user: User, today: dt.date | None = None) -> InsuranceReport:
    """Active mediators of the viewer's subtree without cover today, and those whose cover
    ends within ``EXPIRY_NOTICE_DAYS`` with no later policy to follow."""
    today = today or timezone.localdate()
    covering = InsurancePolicy.objects.filter(
        mediator=OuterRef("pk"), starts_on__lte=today, ends_on__gte=today
    )
    mediators = (
        mediator_policy.visible(user, Capability.MEDIATOR_VIEW)
        .filter(status=MediatorStatus.ACTIVE)
        .annotate(covered=Exists(covering))
        .order_by("name", "id")
    )
    uninsured = [m for m in mediators if not m.covered]
    horizon = today + dt.timedelta(days=EXPIRY_NOTICE_DAYS)
    expiring = []
    covered = [m for m in mediators if m.covered]
    last_end = {
        row["mediator_id"]: row["last"]
        for row in InsurancePolicy.objects.filter(mediator__in=covered)
        .values("mediator_id")
        .annotate(last=Max("ends_on"))
    }
    for m in covered:
        end = last_end.get(m.pk)
        if end is not None and end <= horizon:
            expiring.append((m, end))
    return InsuranceReport(uninsured, sorted(expiring, key=lambda pair: pair[1]))
