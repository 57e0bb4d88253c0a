"""The roll-ups: one fact row per counted thing (a case, a prevented escalation, a screening
round) holding what it contributes now, and the aggregate cells summed from them.

A fact's contributions are a pure function of its row (``rollup.contributions``); when the
thing changes, the new row is diffed against the stored one and only the difference is added
to the cells, in the same transaction (docs/decisions/0015-statistics-rollups.md)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.core.transitions import TransitionLog
from tiaojie.statistics.choices import EscalationKind, Indicator, ReportStatus


class CaseFact(models.Model):
    """What one case counts for now: where it is, the dates that place it in periods, and its
    flags. Rebuilt from the case's current rows on every event about it."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    org_path = models.CharField(max_length=255)
    registered_on = models.DateField()
    accepted_on = models.DateField(null=True, blank=True)
    # The day mediation ended (the agreement's effective day for a success).
    closed_on = models.DateField(null=True, blank=True)
    confirmed_on = models.DateField(null=True, blank=True)
    dispute_type_code = models.CharField(max_length=40)
    source = models.CharField(max_length=20)
    organisation_kind = models.CharField(max_length=16, blank=True)
    accepted = models.BooleanField(default=False)
    mediated = models.BooleanField(default=False)
    success = models.BooleanField(default=False)
    oral = models.BooleanField(default=False)
    written = models.BooleanField(default=False)
    performed = models.BooleanField(default=False)
    confirmed = models.BooleanField(default=False)
    complex = models.BooleanField(default=False)
    people = models.PositiveIntegerField(default=0)
    amount = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal(0))
    # Whether the case is open now (``OPEN_STATUSES``), and open and complex / a group
    # dispute: they put it in the stock cells of the live counts (ADR 0055).
    open = models.BooleanField(default=False)
    open_complex = models.BooleanField(default=False)
    open_group = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["org_path", "closed_on"],
                name="case_fact_path_closed_idx",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            models.Index(
                fields=["org_path", "accepted_on"],
                name="case_fact_path_accepted_idx",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            # Today's intake of a subtree (the live counts): one day, then the path prefix,
            # so the count reads the day's few hundred entries, not the subtree's history.
            models.Index(
                fields=["registered_on", "org_path"],
                name="case_fact_day_path_idx",
                opclasses=["date_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"fact of case {self.case_id}"


class PreventionFact(models.Model):
    """An escalation a committee prevented on a case (``escalation.prevented``): one row per
    case and kind, so the same report delivered twice counts once."""

    case_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=16, choices=EscalationKind.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    org_path = models.CharField(max_length=255)
    people = models.PositiveIntegerField(default=0)
    recorded_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case_id", "kind"], name="prevention_fact_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind}"


class ScreeningFact(models.Model):
    """A screening round reported (``screening.round_reported``); a nil report counts as a
    round with no findings."""

    round_id = models.PositiveBigIntegerField(unique=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    org_path = models.CharField(max_length=255)
    reported_on = models.DateField()
    findings = models.PositiveIntegerField(default=0)
    nil = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"round {self.round_id}"


class _Figure(models.Model):
    """What a cell and a level cell both are: month × organisation × indicator [× key] = value."""

    period = models.DateField(_("period"))  # the first day of the month
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    org_path = models.CharField(max_length=255)
    indicator = models.CharField(max_length=24, choices=Indicator.choices)
    key = models.CharField(max_length=60, blank=True, default="")
    value = models.DecimalField(max_digits=20, decimal_places=2, default=Decimal(0))
    # An aggregate imported for a period before the system (``historical.py``): no cases stand
    # behind it, the roll-ups never touch it, and verification leaves it out.
    historical = models.BooleanField(default=False)

    class Meta:
        abstract = True


class StatCell(_Figure):
    """One figure: month × organisation × indicator [× breakdown key]. An organisation's figure
    is the sum of the cells whose ``org_path`` starts with its path."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "organisation", "indicator", "key", "historical"],
                name="stat_cell_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["org_path", "period"],
                name="stat_cell_path_period_idx",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.organisation_id} {self.indicator}:{self.key}"


class LevelCell(_Figure):
    """One figure of a whole subtree: month × organisation × indicator [× key], the sum of the
    ``StatCell`` rows of the organisation and everything under it (ADR 0045). Every level of
    the tree (committee, office, district, city …) has its own, so a report reads the rows of
    its children instead of summing every committee's cells. Kept by the same code, in the
    same transaction, as the cells (``levels.py``)."""

    # No index of its own: the unique key below starts with the organisation. A second index
    # on it only cost every write, and the planner took it for the reports, then read every
    # month of five years from the table to keep one year (ADR 0060).
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            # Its index is the reads' index too: organisation first, then the months, and the
            # value carried in it, so a report's sums are an index-only scan (ADR 0060).
            models.UniqueConstraint(
                fields=["organisation", "period", "indicator", "key", "historical"],
                include=["value"],
                name="level_cell_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.organisation_id} {self.indicator}:{self.key} (subtree)"


class StatReport(models.Model):
    """An organisation's report for a period, filed up the tree: draft → filed → approved or
    returned; an approved report is locked until the level above re-opens it."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    org_path = models.CharField(max_length=255)
    period = models.CharField(_("period"), max_length=8)  # 2026-11, 2026-Q4, 2026
    period_end = models.DateField()
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    nil = models.BooleanField(_("nil report"), default=False)
    # The figures as filed (column code → value as text); what an approved report shows.
    figures = models.JSONField(default=dict, blank=True)
    filed_at = models.DateTimeField(null=True, blank=True)
    late = models.BooleanField(_("filed late"), default=False)
    comment = models.TextField(_("comment of the level above"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "period"], name="stat_report_once")
        ]
        indexes = [
            models.Index(
                fields=["org_path", "period"],
                name="stat_report_path_idx",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.period}"

    @property
    def audit_label(self) -> str:
        return f"{self.organisation.name} {self.period}"

    @property
    def locked(self) -> bool:
        return self.status == ReportStatus.APPROVED


class StatReportStep(TransitionLog):
    """One move of a report: who filed, approved, returned or re-opened it, when and why."""

    report = models.ForeignKey(StatReport, on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(max_length=12, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ReportStatus.choices)

    class Meta(TransitionLog.Meta):
        pass


class AnalysisReport(models.Model):
    """A 分析研判报告 of a subtree and period, written in the background (``tasks.py``): its
    progress is polled by the page; the DOCX and PDF are kept on the row (tens of kB)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Writing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    org_path = models.CharField(max_length=255)
    period = models.CharField(_("period"), max_length=8)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    findings = models.JSONField(default=list, blank=True)
    docx = models.BinaryField(null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"analysis {self.organisation_id} {self.period}: {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
