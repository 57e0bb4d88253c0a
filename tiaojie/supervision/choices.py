"""The vocabularies of the ledger and of supervised cases."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CloseOutReason(models.TextChoices):
    """Why an item leaves the ledger (销号原因)."""

    AGREEMENT_PERFORMED = "agreement_performed", _("Resolved by agreement and performed")
    REFERRED_ON = "referred_on", _("Mediation failed and referred on")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    RESOLVED_OTHERWISE = "resolved_otherwise", _("Resolved otherwise")
    OTHER = "other", _("Other reason")


class SupervisionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    ESCALATED = "escalated", _("Escalated")


class SupervisionAction(models.TextChoices):
    """What can happen to a supervision; each is one entry of its history."""

    OPEN = "open", _("Flagged for supervision")
    REPORT = "report", _("Report progress")
    EXTEND = "extend", _("Extend the deadline")
    CLOSE = "close", _("Close the supervision")
    ESCALATE = "escalate", _("Escalate to the next level")


class LedgerShow(models.TextChoices):
    """Which items of a month the ledger lists."""

    OPEN = "open", _("Open items")
    CLOSED = "closed", _("Closed out this month")
    ALL = "all", _("All items of the month")
