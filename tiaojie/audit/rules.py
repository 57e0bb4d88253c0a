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
        return Q(organisation_path__startswith=user.organisation.path)


audit_event_policy = AuditEventPolicy()
