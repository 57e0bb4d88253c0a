"""Reads of the organisation tree for pages and API, always starting from what the user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q

from tiaojie.accounts.roles import Capability
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
