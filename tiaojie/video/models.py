"""A video room, who may be in it, the signals their browsers exchange, and the recordings.

The room belongs to a case (and, when the mediator names it, to one of its mediation
sessions). Staff enter with their own session and scope; a party enters through a link whose
unguessable token is the credential (only its hash is stored, as for the respondent's link).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.cases.models import Attachment, Case, Party
from tiaojie.video.choices import ParticipantKind, RoomStatus, SignalKind


class Room(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"), max_length=8, choices=RoomStatus.choices, default=RoomStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("video room")

    def __str__(self) -> str:
        return f"{self.case_id}/{self.pk}"


class Participant(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField(max_length=8, choices=ParticipantKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # What the others see: a role and a masked name (张*), never an ID number or a phone.
    label = models.CharField(max_length=60)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    invited_at = models.DateTimeField(auto_now_add=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    last_seen = models.DateTimeField(null=True, blank=True)
    consented_at = models.DateTimeField(_("consented to recording at"), null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "user"],
                condition=models.Q(user__isnull=False),
                name="video_one_seat_per_user",
            ),
            models.UniqueConstraint(
                fields=["room", "party"],
                condition=models.Q(party__isnull=False),
                name="video_one_seat_per_party",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Signal(models.Model):
    """One message between two browsers; read in id order by its recipient (or by everyone
    when ``recipient`` is empty) and deleted with the room's end."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="+")
    sender = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=SignalKind.choices)
    payload = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["room", "id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.sender_id}→{self.recipient_id or '*'}"


class Recording(models.Model):
    """A recording kept with the case file, and whose consent it was made with."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="recordings")
    attachment = models.OneToOneField(Attachment, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    consents = models.JSONField(default=list)
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["saved_at", "id"]

    def __str__(self) -> str:
        return f"{self.room_id}: {self.attachment_id}"
