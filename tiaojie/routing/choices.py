"""Choices of routing: tiers a rule routes to, how far apart the parties live, transfers."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The kind of a transfer belongs to the case's own move table; routing uses it from there.
from tiaojie.cases.choices import TransferKind

__all__ = ["TransferKind"]


class Tier(models.TextChoices):
    """Where a routing rule sends a dispute (分级负责): a level of the tree, a sector, or one
    named committee."""

    COMMUNITY = "community", _("Community committee of the applicant")
    STREET = "street", _("Street committee")
    DISTRICT = "district", _("District-level committee")
    SECTOR = "sector", _("Sectoral committee")
    COMMITTEE = "committee", _("A named committee")


class Spread(models.TextChoices):
    """A rule's condition on where the parties live (from ``Party.residence``)."""

    ANY = "any", _("Anywhere")
    SAME_COMMUNITY = "same_community", _("All in one community")
    CROSS_COMMUNITY = "cross_community", _("In different communities")
    CROSS_STREET = "cross_street", _("In different streets")


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the receiver")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class TransferAction(models.TextChoices):
    """What may happen to a pending transfer (``services.transfers.transfer_transition``)."""

    ACCEPT = "accept", _("Accept")
    RETURN = "return", _("Return")
    WITHDRAW = "withdraw", _("Withdraw")
