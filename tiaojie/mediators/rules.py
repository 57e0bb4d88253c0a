"""Who sees which mediators: anyone with the roster capability sees the mediators who serve
(or served) in a committee of their subtree; a committee's own mediators see their roster.
A mediator outside the viewer's subtree answers 404, as if there were none."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from tiaojie.accounts.roles import Capability
from tiaojie.core.access import ScopePolicy
from tiaojie.mediators.models import Mediator, Membership
from tiaojie.organisations.choices import OrganisationKind

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

BUREAU_KINDS = (OrganisationKind.CITY_BUREAU, OrganisationKind.DISTRICT_BUREAU)


class MediatorPolicy(ScopePolicy[Mediator]):
    model = Mediator

    def scope(self, user: User, capability: Capability) -> Q | None:
        served = Membership.objects.filter(committee__path__startswith=user.organisation.path)
        return Q(pk__in=served.values("mediator_id"))


def may_configure_ladder(user: User) -> bool:
    """A bureau's officers configure its own grade ladder."""
    return (
        user.is_authenticated
        and user.can(Capability.RULES_CONFIGURE)
        and user.organisation.kind in BUREAU_KINDS
    )


mediator_policy = MediatorPolicy()
