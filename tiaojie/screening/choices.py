"""The vocabularies of screening (排查)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.TextChoices):
    """Which level of the network screens: a community (its committee), a street (its justice
    office), a district (its bureau)."""

    COMMUNITY = "community", _("Community")
    STREET = "street", _("Street")
    DISTRICT = "district", _("District")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


# The practice every seed describes: communities weekly, streets monthly, districts quarterly.
DEFAULT_FREQUENCY: dict[str, str] = {
    Level.COMMUNITY: Frequency.WEEKLY,
    Level.STREET: Frequency.MONTHLY,
    Level.DISTRICT: Frequency.QUARTERLY,
}


class RoundStatus(models.TextChoices):
    """Where a round stands. Moves only through ``services.rounds.round_transition``."""

    OPEN = "open", pgettext_lazy("screening round", "Open")
    OVERDUE = "overdue", pgettext_lazy("screening round", "Overdue")
    REPORTED = "reported", pgettext_lazy("screening round", "Reported")


class RoundAction(models.TextChoices):
    REPORT = "report", _("Report")
    MARK_OVERDUE = "mark_overdue", _("Mark overdue")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class FindingStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("screening finding", "Open")
    CASE = "case", _("Became a case")
    CLOSED = "closed", pgettext_lazy("screening finding", "Closed")


class EscalationKind(models.TextChoices):
    """What the mediation prevented (the statistics forms count each, in cases and people)."""

    CRIMINAL = "criminal", _("Civil dispute turning criminal prevented")
    GROUP_PETITION = "group_petition", _("Group petition prevented")
    GROUP_FIGHT = "group_fight", _("Group fight prevented")
    SUICIDE = "suicide", _("Suicide prevented")


class RiskFactor(models.TextChoices):
    """What raises a case's risk score (each with its weight in ``services.warning``)."""

    GROUP = "group", _("Group dispute")
    COMPLEX = "complex", _("Complex dispute")
    RISK_NOTES = "risk_notes", _("Risk noted")
    MISSED_DEADLINE = "missed_deadline", _("Group dispute past its deadline")
    HIGH_RISK_FINDING = "high_risk_finding", _("High-risk screening finding")


class MatchedBy(models.TextChoices):
    ID_NUMBER = "id_number", _("Same ID number")
    PHONE = "phone", _("Same phone")


class Decision(models.TextChoices):
    PENDING = "pending", _("To review")
    SAME = "same", _("Same dispute: handle together")
    DIFFERENT = "different", _("Different disputes")
