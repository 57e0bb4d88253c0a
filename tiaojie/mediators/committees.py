"""Committees and the network's standards: a bureau's checklists (standardisation — 有名称、
有印章、有场所、有标识、有制度、有台账 — and star-rating criteria), each committee's check for a
year, annual star ratings approved by a bureau on the transition engine, and the villages and
communities no committee covers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core import transitions
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.mediators import selectors
from tiaojie.mediators.choices import CriterionPurpose as P
from tiaojie.mediators.choices import StarStatus as S
from tiaojie.mediators.error_codes import MediatorsErrorCode as E
from tiaojie.mediators.models import (
    CommitteeCheck,
    CommitteeCriterion,
    Locality,
    StarRating,
    StarRatingTransition,
)
from tiaojie.mediators.moves import bureau_decisions, bureau_only
from tiaojie.mediators.rules import may_configure_ladder
from tiaojie.organisations.choices import CommitteeKind, OrganisationKind
from tiaojie.organisations.models import Organisation, path_ids

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

DEFAULTS: dict[str, list[str]] = {
    P.STANDARD: ["有名称", "有印章", "有场所", "有标识", "有制度", "有台账"],
    P.STAR: ["组织机构健全", "调解员队伍稳定", "制度上墙", "台账规范", "调解成功率高", "群众满意"],
}


# --- checklists -----------------------------------------------------------------------------


def criteria_bureau(org: Organisation, purpose: str) -> Organisation | None:
    ids = path_ids(org.path)
    having = set(
        CommitteeCriterion.objects.filter(bureau_id__in=ids, purpose=purpose).values_list(
            "bureau_id", flat=True
        )
    )
    for pk in reversed(ids):
        if pk in having:
            return Organisation.objects.get(pk=pk)
    return None


def criteria_in_force(org: Organisation, purpose: str) -> list[str]:
    """The checklist that applies at ``org``: the nearest bureau's, else the default."""
    bureau = criteria_bureau(org, purpose)
    if bureau is None:
        return list(DEFAULTS[purpose])
    return list(
        CommitteeCriterion.objects.filter(bureau=bureau, purpose=purpose).values_list(
            "label", flat=True
        )
    )


def criteria_set(*, actor: User, purpose: str, labels: list[str]) -> list[str]:
    """Replace the actor's bureau's checklist for ``purpose`` (one item a line)."""
    if not may_configure_ladder(actor):
        raise NotPermitted(E.NOT_PERMITTED, _("Only a bureau's officers set the checklists."))
    cleaned = [label.strip() for label in labels if label.strip()]
    field = f"{purpose}_items"
    if purpose not in P.values:
        raise ValidationFailed(E.INVALID, _("Choose one of the listed values."))
    if not cleaned:
        raise ValidationFailed(
            E.INVALID, _("List at least one item."), fields={field: [_("List at least one item.")]}
        )
    if len(set(cleaned)) != len(cleaned) or any(len(x) > 40 for x in cleaned):
        message = _("Each item appears once and has at most 40 characters.")
        raise ValidationFailed(E.INVALID, message, fields={field: [message]})
    bureau = actor.organisation
    with transaction.atomic():
        before = criteria_in_force(bureau, purpose)
        CommitteeCriterion.objects.filter(bureau=bureau, purpose=purpose).delete()
        CommitteeCriterion.objects.bulk_create(
            CommitteeCriterion(bureau=bureau, purpose=purpose, label=label, rank=i)
            for i, label in enumerate(cleaned, start=1)
        )
        audit.record(
            EventType.COMMITTEE_CRITERIA_CHANGED,
            actor=actor,
            organisation=bureau,
            before={"purpose": purpose, "items": before},
            after={"purpose": purpose, "items": cleaned},
        )
    return cleaned


def _check_met(items: list[str], met: list[str], field: str) -> list[str]:
    unknown = [m for m in met if m not in items]
    if unknown:
        message = _("Not on the checklist: %(items)s.") % {"items": "、".join(unknown)}
        raise ValidationFailed(E.INVALID, message, fields={field: [message]})
    return [i for i in items if i in met]


def _year(year: int | None) -> int:
    this = timezone.localdate().year
    if year is None or not 2000 <= year <= this:
        message = _("A year from 2000 to %(year)s.") % {"year": this}
        raise ValidationFailed(E.INVALID, message, fields={"year": [message]})
    return year


def committee_for(actor: User, committee_id: int) -> Organisation:
    """An active committee of the actor's subtree (404 otherwise, by the caller)."""
    return selectors.committees_in_scope(actor).get(pk=committee_id)


# --- standardisation ------------------------------------------------------------------------


def check_record(
    *, actor: User, committee: Organisation, year: int | None, met: list[str]
) -> CommitteeCheck:
    """Record which standardisation items a committee meets this year (again: replaced)."""
    if not actor.can(Capability.MEDIATOR_MANAGE):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not check committees."))
    checked_year = _year(year)
    items = criteria_in_force(committee, P.STANDARD)
    kept = _check_met(items, met, "met")
    with transaction.atomic():
        check, _created = CommitteeCheck.objects.update_or_create(
            committee=committee,
            year=checked_year,
            defaults={"items": items, "met": kept, "checked_by": actor},
        )
        audit.record(
            EventType.COMMITTEE_CHECKED,
            actor=actor,
            organisation=committee,
            after={
                "year": checked_year,
                "met": kept,
                "missing": [i for i in items if i not in kept],
            },
        )
    return check


@dataclass(frozen=True)
class StandardRow:
    committee: Organisation
    check: CommitteeCheck | None

    @property
    def missing(self) -> list[str]:
        return [i for i in self.check.items if i not in self.check.met] if self.check else []


def standardisation(user: User, year: int) -> list[StandardRow]:
    """Every active committee of the viewer's subtree with its check for the year (or none)."""
    committees = list(selectors.committees_in_scope(user))
    checks = {
        c.committee_id: c
        for c in CommitteeCheck.objects.filter(committee__in=[c.pk for c in committees], year=year)
    }
    return [StandardRow(c, checks.get(c.pk)) for c in committees]


# --- coverage of villages and communities ---------------------------------------------------

LINE = re.compile(r"^\s*(\d{12})\s+(\S.{0,59}?)\s*$")


def localities_set(*, actor: User, text: str) -> list[Locality]:
    """Replace the bureau's list of villages and communities: one a line, “code name” with a
    12-digit division code, e.g. “420106001001 东湖社区”."""
    if not may_configure_ladder(actor):
        raise NotPermitted(E.NOT_PERMITTED, _("Only a bureau's officers list the localities."))
    rows: dict[str, str] = {}
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        found = LINE.match(line)
        if found is None:
            errors.append(
                _("Line %(n)s: write a 12-digit division code, a space, then the name.")
                % {"n": number}
            )
        elif found.group(1) in rows:
            errors.append(_("Line %(n)s: this code is listed twice.") % {"n": number})
        else:
            rows[found.group(1)] = found.group(2)
    if errors:
        raise ValidationFailed(E.INVALID, errors[0], fields={"localities": errors})
    bureau = actor.organisation
    with transaction.atomic():
        Locality.objects.filter(bureau=bureau).delete()
        made = Locality.objects.bulk_create(
            Locality(bureau=bureau, code=code, name=name) for code, name in rows.items()
        )
        audit.record(
            EventType.LOCALITIES_CHANGED,
            actor=actor,
            organisation=bureau,
            after={"count": len(made)},
        )
    return made


def uncovered(user: User) -> list[Locality]:
    """The villages and communities listed by bureaus at or below the viewer (or the nearest
    above) with no active village/community committee of the same division code."""
    ids = path_ids(user.organisation.path)
    listed = Locality.objects.filter(bureau__path__startswith=user.organisation.path)
    if not listed.exists():
        listed = Locality.objects.filter(bureau_id__in=ids)
    covered = set(
        Organisation.objects.active()
        .filter(kind=OrganisationKind.COMMITTEE, committee_kind=CommitteeKind.COMMUNITY)
        .exclude(division_code="")
        .values_list("division_code", flat=True)
    )
    return [loc for loc in listed.order_by("code") if loc.code not in covered]


# --- star ratings ---------------------------------------------------------------------------


def star_propose(
    *,
    actor: User,
    committee: Organisation,
    year: int | None,
    stars: int | None,
    met: list[str],
    grounds: str = "",
) -> StarRating:
    """Propose a committee's stars for a year with the criteria it meets (a bureau decides)."""
    if not actor.can(Capability.MEDIATOR_MANAGE):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not propose star ratings."))
    rated_year = _year(year)
    if stars is None or not 1 <= stars <= 5:
        message = _("From one to five stars.")
        raise ValidationFailed(E.INVALID, message, fields={"stars": [message]})
    items = criteria_in_force(committee, P.STAR)
    kept = _check_met(items, met, "met")
    try:
        with transaction.atomic():
            rating = StarRating.objects.create(
                committee=committee,
                committee_path=committee.path,
                year=rated_year,
                stars=stars,
                items=items,
                met=kept,
                grounds=grounds.strip(),
                proposed_by=actor,
            )
            audit.record(
                EventType.STAR_RATING_PROPOSED,
                actor=actor,
                obj=rating,
                organisation=committee,
                after={"year": rated_year, "stars": stars, "met": kept},
            )
    except IntegrityError as exc:
        raise Conflict(
            E.STAR_RATING_EXISTS,
            _("This committee already has a star rating for that year (proposed or approved)."),
        ) from exc
    return rating


def _record(
    actor: User,
    rating: StarRating,
    move: transitions.Move[StarRating],
    before: str,
    reason: str,
    recorded: dict[str, Any],
) -> None:
    audit.record(
        EventType.STAR_RATING_DECIDED,
        actor=actor,
        obj=rating,
        organisation=rating.committee,
        reason=reason,
        before={"status": before},
        after={"status": rating.status, "stars": rating.stars, "year": rating.year},
    )


STAR_WORKFLOW: transitions.Workflow[StarRating] = transitions.Workflow(
    name="star_rating",
    model=StarRating,
    moves=bureau_decisions(),
    log=StarRatingTransition,
    log_field="rating",
    scope=lambda actor, r: r.committee_path.startswith(actor.organisation.path),
    permit=bureau_only(gettext_lazy("Only a bureau decides on star ratings.")),
    messages=transitions.Messages(
        out_of_scope=gettext_lazy("This committee is not within your organisation."),
        not_allowed=gettext_lazy("Only a bureau decides on star ratings."),
        illegal=lambda status, move: (
            _("This star rating is already “%(status)s”.") % {"status": S(status).label}
        ),
    ),
    record=_record,
    subject=lambda r: {"rating_id": r.pk, "committee_id": r.committee_id},
)


def star_decide(
    *, actor: User, rating: StarRating, action: str, reason: str = "", version: int | None = None
) -> StarRating:
    """Approve or reject (with a reason) a proposed star rating."""
    return STAR_WORKFLOW.move(
        actor=actor, obj=rating, action=action, reason=reason, version=version
    )


def ratings_for(user: User) -> QuerySet[StarRating]:
    return StarRating.objects.filter(
        committee_path__startswith=user.organisation.path
    ).select_related("committee")
