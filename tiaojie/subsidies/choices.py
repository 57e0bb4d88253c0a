"""The vocabularies of the per-case subsidy (以案定补)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    """How hard a case was: decides its amount (一般 / 疑难 / 重大)."""

    GENERAL = "general", _("Ordinary")
    DIFFICULT = "difficult", _("Difficult")
    MAJOR = "major", _("Major")


# The order of the tiers: a case takes the highest any of its criteria reaches.
TIER_RANK = {Tier.GENERAL: 0, Tier.DIFFICULT: 1, Tier.MAJOR: 2}
RANK_TIER = {rank: tier for tier, rank in TIER_RANK.items()}


class Dimension(models.TextChoices):
    """A measured criterion whose ranges decide a tier."""

    AMOUNT = "amount", _("Amount in dispute (yuan)")
    PARTIES = "parties", _("Number of parties")
    PEOPLE = "people", _("People involved")


class ArchiveRule(models.TextChoices):
    """Which cases need an archived (complete) file to be subsidised."""

    NONE = "none", _("No case")
    MAJOR = "major", _("Major cases only")
    ALL = "all", _("Every case")


class Recipient(models.TextChoices):
    """Who receives the subsidy when several mediators worked on a case."""

    PRESIDING = "presiding", _("The presiding mediator alone")
    SPLIT = "split", _("Shared equally among the case's mediators")


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the justice office")
    OFFICE_APPROVED = "office_ok", _("Approved by the justice office")
    BUREAU_APPROVED = "bureau_ok", _("Approved by the bureau")
    PAID = "paid", _("Paid (locked)")


class SheetAction(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    OFFICE_APPROVE = "office_approve", _("Approve (justice office)")
    BUREAU_APPROVE = "bureau_approve", _("Approve (bureau)")
    PAY = "pay", _("Record payment")
    RETURN = "return", _("Return for correction")


class Exclusion(models.TextChoices):
    """Why a case that ended in the month receives no subsidy."""

    NOT_REGISTERED = "not_registered", _("No registered file: the case was never accepted")
    NOT_SUCCESSFUL = "not_successful", _("Mediation did not end in an agreement")
    NOT_PERFORMED = "not_performed", _("The agreement has not been performed")
    ORAL = "oral", _("Oral agreements are not subsidised")
    NOT_ARCHIVED = "not_archived", _("The file is not archived (complete)")
    ALREADY_PAID = "already_paid", _("The dispute was already subsidised in an earlier month")
    NO_MEDIATOR = "no_mediator", _("No mediator is on the case")
    NO_PRESIDING = "no_presiding", _("No presiding mediator is on the case")
    KIND_NOT_COVERED = "kind_not_covered", _("The rules pay no subsidy to this kind of committee")
