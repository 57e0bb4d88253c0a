"""Who may see and manage which staff accounts: those in the actor's organisation subtree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from tiaojie.accounts.models import User
from tiaojie.core.access import ScopePolicy

if TYPE_CHECKING:
    from tiaojie.accounts.roles import Capability


class AccountPolicy(ScopePolicy[User]):
    model = User

    def scope(self, user: User, capability: Capability) -> Q | None:
        return Q(organisation__path__startswith=user.organisation.path)


account_policy = AccountPolicy()
