"""The indicators of the statistics forms and the kinds of prevented escalation
(docs/statistics.md gives each one's written definition)."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Indicator(models.TextChoices):
    """One counted figure. Breakdowns (source, organisation kind, dispute type) are cells of
    ``MEDIATED`` with a key."""

    SCREENING_ROUNDS = "screening_rounds", pgettext_lazy("statistics indicator", "Screening rounds")
    SCREENING_FINDINGS = "screening_findings", _("Disputes found by screening")
    REGISTERED = "registered", _("Registered")
    ACCEPTED = "accepted", _("Accepted")
    MEDIATED = "mediated", _("Mediated")
    SUCCESS = "success", _("Mediated successfully")
    PEOPLE = "people", _("Parties involved")
    AMOUNT = "amount", _("Amount agreed (yuan)")
    COMPLEX = "complex", _("Complex disputes")
    ORAL = "oral", _("Oral agreements")
    WRITTEN = "written", _("Written agreements")
    PERFORMED = "performed", _("Agreements performed")
    CONFIRMED = "confirmed", _("Judicially confirmed")
    PREVENTED_DISPUTES = "prevented_disputes", _("Disputes prevented")
    PREVENTED_CASES = "prevented_cases", _("Escalations prevented (cases)")
    PREVENTED_PEOPLE = "prevented_people", _("Escalations prevented (people)")
    # A stock, not a flow: the cases open now (keys "", "complex", "group"), in the cells of
    # ``STOCK_PERIOD`` only (ADR 0055).
    OPEN = "open", _("Open cases")


class EscalationKind(models.TextChoices):
    """What a committee's intervention prevented (防止…), counted in cases and in people."""

    CRIMINAL = "criminal", _("Civil dispute turning criminal")
    GROUP_PETITION = "group_petition", _("Group petition")
    GROUP_FIGHT = "group_fight", _("Group fight")
    SUICIDE = "suicide", _("Suicide")


# The prefixes of breakdown keys: ``source:court``, ``kind:community``, ``type:neighbours``.
BY_SOURCE = "source"
BY_KIND = "kind"
BY_TYPE = "type"

# The "period" of the stock cells (``Indicator.OPEN``): what is true now, not in a month. A
# date no report, trend or period ever reaches, so every sum over months leaves them out.
STOCK_PERIOD = dt.date(1, 1, 1)
OPEN_COMPLEX = "complex"
OPEN_GROUP = "group"


def period_label(period: dt.date) -> str:
    """A cell's month as ``verify_statistics`` prints it; the stock cells are "now"."""
    return "now (open stock)" if period == STOCK_PERIOD else f"{period:%Y-%m}"


class ReportStatus(models.TextChoices):
    """Where a filed report stands (docs/statistics.md, "Filing up the tree")."""

    DRAFT = "draft", _("Not filed")
    FILED = "filed", _("Filed, awaiting approval")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    REOPENED = "reopened", _("Re-opened")


class ReportAction(models.TextChoices):
    FILE = "file", _("File the report")
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return")
    REOPEN = "reopen", _("Re-open")
    # Made by the system only: a report below was re-opened, so this one's figures are stale.
    REAGGREGATE = "reaggregate", _("Re-opened because a report below was")
