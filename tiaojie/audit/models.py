"""The audit trail. Rows are only ever inserted: the application refuses to change or delete
them, and on PostgreSQL a trigger refuses UPDATE and DELETE too (migration 0002)."""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The chain reads its models through the app registry, so this import runs one way only.
from tiaojie.audit import chain, syslog
from tiaojie.audit.events import EventType


class AuditTrailIsAppendOnly(RuntimeError):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[AuditEvent]:
        events = list(objs)
        # The chain head's row lock needs a transaction; a caller outside one (a failed
        # login on PostgreSQL) gets its own. Inside the caller's, no savepoint: an audit entry
        # that cannot be written must take the caller's change down with it.
        with transaction.atomic(savepoint=False):
            chain.link(events)
            created = super().bulk_create(events, *args, **kwargs)
        syslog.forward(events)
        return created

    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditTrailIsAppendOnly("audit events cannot be changed")

    def delete(self) -> NoReturn:
        raise AuditTrailIsAppendOnly("audit events cannot be deleted")


class AuditEvent(models.Model):
    """One thing that happened: who did what to which object, from where, and why."""

    # Set when the event is chained (``chain.link``), so that the hash covers it.
    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # No ``choices`` on the column: event types are added with every feature, and the numbers
    # are the stable contract (events.py); the label comes from ``EventType`` when shown.
    event_type = models.PositiveSmallIntegerField(_("event"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Frozen at the time of the event: later renames must not rewrite history.
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    actor_name = models.CharField(_("actor name"), max_length=60, blank=True)
    actor_role = models.CharField(_("actor role"), max_length=24, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Copied so that scoping the trail is one prefix match, like everything else.
    organisation_path = models.CharField(max_length=255, blank=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    # The tamper-evident chain (``chain``): events written before it started have no seq.
    seq = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    chain_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects: ClassVar[AuditEventQuerySet] = AuditEventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(
                fields=["organisation_path"],
                name="audit_org_path_idx",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(fields=["event_type", "occurred_at"], name="audit_type_time_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("audit events cannot be changed")
        with transaction.atomic(savepoint=False):  # as in ``bulk_create``
            chain.link([self])
            super().save(*args, **kwargs)
        syslog.forward([self])

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditTrailIsAppendOnly("audit events cannot be deleted")

    def get_event_type_display(self) -> str:
        try:
            return str(EventType(self.event_type).label)
        except ValueError:
            return str(self.event_type)


class AuditChainHead(models.Model):
    """The last link of the audit chain (one row): its sequence number and hash."""

    seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    algorithm = models.CharField(max_length=16, default="sm3")

    def __str__(self) -> str:
        return f"{self.algorithm}:{self.seq}"
