"""Reads of the organisation tree for pages and API, always starting from what the user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q

from tiaojie.core.capabilities import Capability
from tiaojie.organisations import path_copies
from tiaojie.organisations.choices import ALLOWED_PARENTS, OrganisationKind, OrganisationStatus
from tiaojie.organisations.models import Organisation, OrganisationQuerySet
from tiaojie.organisations.rules import organisation_policy

if TYPE_CHECKING:
    from tiaojie.accounts.models import User


def organisations_for(
    user: User,
    *,
    parent: int | None = None,
    kind: str = "",
    status: str = "",
    q: str = "",
) -> OrganisationQuerySet:
    """The organisations ``user`` may see, filtered the same way for page, API and export."""
    qs = organisation_policy.visible_tree(user, Capability.ORGANISATION_VIEW)
    if parent is not None:
        qs = qs.filter(parent_id=parent)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(short_name__icontains=q)
            | Q(division_code__startswith=q)
            | Q(brand_name__icontains=q)
        )
    return qs


def with_child_counts(qs: OrganisationQuerySet) -> OrganisationQuerySet:
    return qs.annotate(
        child_count=Count("children", distinct=True), staff_count=Count("staff", distinct=True)
    )


def visible_ancestors(user: User, org: Organisation) -> list[tuple[Organisation, bool]]:
    """The breadcrumb above ``org``: each ancestor and whether the user may open it."""
    ancestors = list(Organisation.objects.ancestors_of(org).only("id", "name", "path"))
    root_path = user.organisation.path
    return [(a, a.path.startswith(root_path)) for a in ancestors]


def district_of(org: Organisation) -> Organisation:
    """The district bureau whose subtree holds ``org`` (``org`` itself when it is one), or the
    tree's root when ``org`` sits above the districts. A district is the reach of routing and
    transfers: 属地管理 — a dispute moves between committees of one district."""

    if org.kind == OrganisationKind.DISTRICT_BUREAU:
        return org
    chain = list(Organisation.objects.ancestors_of(org))
    for ancestor in reversed(chain):
        if ancestor.kind == OrganisationKind.DISTRICT_BUREAU:
            return ancestor
    return chain[0] if chain else org


def centre_for(org: Organisation, source: str) -> Organisation | None:
    """The nearest governance centre at or above ``org`` whose queue receives disputes from
    ``source``; ``None`` when they go straight to the committee."""
    chain: list[Organisation] = [*Organisation.objects.ancestors_of(org), org]
    for node in reversed(chain):
        if node.is_governance_centre and source in (node.centre_channels or []):
            return node
    return None


def committees_in_district(org: Organisation) -> OrganisationQuerySet:
    """Active committees within the district of ``org``: where a dispute may be routed or
    transferred (属地管理)."""

    return (
        Organisation.objects.subtree_of(district_of(org))
        .filter(kind=OrganisationKind.COMMITTEE, status=OrganisationStatus.ACTIVE)
        .order_by("path")
    )


def move_preview(org: Organisation) -> dict[str, object]:
    """What moves with ``org``: its units below, their active staff and the other apps' rows
    that follow it (cases and the like, counted through the path-copy declarations)."""
    subtree = Organisation.objects.subtree_of(org)
    return {
        "units_below": subtree.exclude(pk=org.pk).count(),
        "staff_moving": subtree.aggregate(
            n=Count("staff", filter=Q(staff__is_active=True), distinct=True)
        )["n"],
        "rows_moving": path_copies.rows_under(org),
    }


def move_parents(user: User, org: Organisation) -> OrganisationQuerySet:
    """Where ``user`` may move ``org``: active units of a kind that may hold it, that the user
    manages, outside its own subtree and other than where it is now."""
    return (
        organisation_policy.visible_tree(user, Capability.ORGANISATION_MANAGE)
        .active()
        .filter(kind__in=[k for k in ALLOWED_PARENTS[org.kind] if k is not None])
        .exclude(path__startswith=org.path)
        .exclude(pk=org.parent_id or 0)
    )
