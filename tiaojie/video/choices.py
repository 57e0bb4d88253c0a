from django.db import models
from django.utils.translation import gettext_lazy as _


class RoomStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ParticipantKind(models.TextChoices):
    STAFF = "staff", _("Mediator")
    PARTY = "party", _("Party")


class SignalKind(models.TextChoices):
    """What one browser tells another to set up the call (WebRTC's offer/answer and ICE
    candidates), plus ``hello`` when a participant arrives and ``bye`` when they leave."""

    HELLO = "hello", "hello"
    OFFER = "offer", "offer"
    ANSWER = "answer", "answer"
    CANDIDATE = "candidate", "candidate"
    BYE = "bye", "bye"
