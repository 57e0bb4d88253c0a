"""Tables of the shared machinery: the outbox of domain events and their deliveries."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class OutboxEvent(models.Model):
    """A domain event, written in the same transaction as the change it tells of (a
    transactional outbox): if the change commits the event exists, and it is delivered to
    every listener at least once, even if the process dies before delivering it."""

    name = models.CharField(max_length=100, db_index=True)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    # Set once every listener registered when it was delivered has had it.
    delivered_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk}"


class EventDelivery(models.Model):
    """One listener's receipt of one event: a listener that failed is retried alone."""

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    listener = models.CharField(max_length=200)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "listener"], name="one_delivery_per_listener")
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.listener}"
