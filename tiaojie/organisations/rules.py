"""Who may see and manage which organisations: their own organisation and everything below."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.db.models import Q

from tiaojie.core.access import ScopePolicy
from tiaojie.organisations.models import Organisation, OrganisationQuerySet

if TYPE_CHECKING:
    from tiaojie.accounts.models import User
    from tiaojie.core.capabilities import Capability


class OrganisationPolicy(ScopePolicy[Organisation]):
    model = Organisation

    def scope(self, user: User, capability: Capability) -> Q | None:
        return Q(path__startswith=user.organisation.path)

    def visible_tree(self, user: User, capability: Capability) -> OrganisationQuerySet:
        """``visible`` with the tree queries (``active``, ``subtree_of``) available."""
        return cast(OrganisationQuerySet, self.visible(user, capability))


organisation_policy = OrganisationPolicy()
