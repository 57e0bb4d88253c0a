"""The vocabularies of case-file review (案卷评查)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundStatus(models.TextChoices):
    """Where a review round stands. Moves only through ``services.rounds.round_transition``."""

    DRAFT = "draft", _("Draft")
    SAMPLED = "sampled", _("Sampling done")
    IN_REVIEW = "in_review", _("In review")
    CLOSED = "closed", _("Closed")


class SampleReason(models.TextChoices):
    """Why a case file is in a round's sample."""

    SAMPLE = "sample", _("Random sample")
    MAJOR = "major", _("Major case")
    FLAGGED_MEDIATOR = "flagged_mediator", _("Flagged mediator")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("To be scored")
    SCORED = "scored", _("Scored")


class RectificationStatus(models.TextChoices):
    """整改: requested (or sent back), reported by the committee, closed once accepted."""

    REQUESTED = "requested", _("Requested")
    REPORTED = "reported", _("Reported")
    CLOSED = "closed", _("Closed")


class RectificationAction(models.TextChoices):
    REQUEST = "request", _("Request rectification")
    REPORT = "report", _("Report what was done")
    ACCEPT = "accept", _("Accept and close")
    SEND_BACK = "send_back", _("Send back")
