"""In-app notifications: one row per recipient, read or unread."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    NEAR_DUE = "near_due", _("Deadline near")
    OVERDUE = "overdue", _("Overdue")
    ROUTED = "routed", _("Dispute routed to you")
    TRANSFER = "transfer", _("Transfer")
    SUPERVISION = "supervision", _("Supervision")
    REVIEW = "review", _("Case-file review")
    DIGEST = "digest", _("Daily digest")
    OTHER = "other", _("Other")


class Notification(models.Model):
    """Something a user should look at. ``key`` makes a notification idempotent: sending the
    same key to the same recipient twice (a scan run twice) adds nothing."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("details"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~models.Q(key=""),
                name="notification_key_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                name="notification_unread_idx",
                condition=models.Q(read_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.title
