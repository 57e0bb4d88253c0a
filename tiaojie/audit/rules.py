"""The audit administrator sees the events of their organisation and everything below it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from tiaojie.audit.models import AuditEvent
from tiaojie.core.access import ScopePolicy

if TYPE_CHECKING:
    from tiaojie.accounts.models import User
    from tiaojie.accounts.roles import Capability


class AuditEventPolicy(ScopePolicy[AuditEvent]):
    model = AuditEvent

    def scope(self, user: User, capability: Capability) -> Q | None:
        within = Q(organisation_path__startswith=user.organisation.path)
        if user.organisation.parent_id is None:
            # Events tied to no organisation (a failed login with an unknown username, the
            # system's own work) belong to the top of the tree: username guessing must show.
            return within | Q(organisation_path="")
        return within


audit_event_policy = AuditEventPolicy()
