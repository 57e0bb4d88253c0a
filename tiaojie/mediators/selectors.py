"""Reads of the registry that depend on the viewer: the roster (one row per person), a
mediator's memberships, the grade ladder that applies to a committee."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet

from tiaojie.accounts.roles import Capability
from tiaojie.core.crypto import blind_index_candidates
from tiaojie.core.validators import normalise_id_number
from tiaojie.mediators.models import Grade, Mediator, Membership
from tiaojie.mediators.rules import BUREAU_KINDS, mediator_policy
from tiaojie.organisations.choices import OrganisationKind
from tiaojie.organisations.models import Organisation, path_ids

if TYPE_CHECKING:
    from tiaojie.accounts.models import User


@dataclass(frozen=True)
class RosterFilters:
    """What the roster page and API filter on; every field optional."""

    q: str = ""
    committee_id: int | None = None
    employment: str = ""
    source: str = ""
    status: str = ""
    grade_id: int | None = None
    certified: bool | None = None


def current_memberships() -> Prefetch[Any]:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(until__isnull=True).select_related("committee"),
        to_attr="current",
    )


def roster(user: User, filters: RosterFilters | None = None) -> QuerySet[Mediator]:
    """The mediators of the viewer's subtree, one row per person, with their current
    committees prefetched (``mediator.current``)."""
    f = filters or RosterFilters()
    qs = mediator_policy.visible(user, Capability.MEDIATOR_VIEW).select_related("grade")
    if f.q.strip():
        q = f.q.strip()
        number = normalise_id_number(q)
        condition = Q(name__contains=q) | Q(certificate_number=q)
        if len(number) == 18:
            indexes = blind_index_candidates(number, purpose="mediator.id_number")
            condition |= Q(id_number_index__in=indexes)
        qs = qs.filter(condition)
    if f.committee_id is not None:
        qs = qs.filter(
            pk__in=Membership.objects.filter(
                committee_id=f.committee_id, until__isnull=True
            ).values("mediator_id")
        )
    if f.employment:
        qs = qs.filter(employment=f.employment)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.grade_id is not None:
        qs = qs.filter(grade_id=f.grade_id)
    if f.certified is not None:
        qs = qs.filter(certified=f.certified)
    return qs.prefetch_related(current_memberships()).order_by("name", "id")


def committees_in_scope(user: User) -> QuerySet[Organisation]:
    """The committees a user may put a mediator in (their subtree's active committees)."""
    return (
        Organisation.objects.active()
        .filter(kind=OrganisationKind.COMMITTEE, path__startswith=user.organisation.path)
        .order_by("path")
    )


def ladder_bureau(committee: Organisation) -> Organisation | None:
    """The nearest bureau above ``committee`` (or itself) that has a grade ladder."""
    ids = path_ids(committee.path)
    with_ladder = set(
        Grade.objects.filter(bureau_id__in=ids).values_list("bureau_id", flat=True).distinct()
    )
    for pk in reversed(ids):
        if pk in with_ladder:
            return Organisation.objects.get(pk=pk)
    return None


def ladder_for(committee: Organisation) -> list[Grade]:
    """The grades a mediator of ``committee`` may hold, lowest first."""
    bureau = ladder_bureau(committee)
    return list(Grade.objects.filter(bureau=bureau)) if bureau is not None else []


def own_bureau(user: User) -> Organisation | None:
    """The bureau whose ladder ``user`` configures: their own organisation if it is one."""
    org = user.organisation
    return org if org.kind in BUREAU_KINDS else None


def grades_visible(user: User) -> QuerySet[Grade]:
    """The grades of the ladders that apply within or above the viewer's place."""
    ids = path_ids(user.organisation.path)
    return Grade.objects.filter(
        Q(bureau_id__in=ids) | Q(bureau__path__startswith=user.organisation.path)
    ).select_related("bureau")


def same_person(mediator: Mediator) -> list[Membership]:
    """Every committee the person served in, current first (the duplicate the public
    directories show, as one person)."""
    return list(mediator.memberships.select_related("committee").order_by("-until", "since", "id"))
