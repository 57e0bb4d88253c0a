"""Models of supervision: the ledger's close-outs and month-end figures, supervised cases and
their history. Writes go through ``supervision.services``."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.core.transitions import TransitionLog
from tiaojie.supervision.choices import CloseOutReason, SupervisionAction, SupervisionStatus


class CloseOut(models.Model):
    """挂账销号: the case leaves its organisation's ledger. A case is on the ledger from its
    registration (a governance centre's queue included) until it has one of these."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="close_out"
    )
    closed_on = models.DateField(_("closed out on"))
    reason = models.CharField(_("close-out reason"), max_length=24, choices=CloseOutReason.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed out by"), on_delete=models.PROTECT
    )
    at = models.DateTimeField(_("recorded at"))
    # The case's path and registration, copied so that a ledger counts the close-outs of its
    # subtree from one index instead of joining them to every case it ever held (ADR 0068).
    # The path follows the organisation when it moves (organisations/path_copies.py); a case
    # that has ended never changes committee, and registration is never rewritten.
    committee_path = models.CharField(max_length=255, editable=False)
    organisation_path_copies: ClassVar[tuple[tuple[str, str], ...]] = (
        ("case__committee", "committee_path"),
    )
    registered_at = models.DateTimeField(editable=False)

    class Meta:
        verbose_name = _("ledger close-out")
        verbose_name_plural = _("ledger close-outs")
        indexes = [
            models.Index(fields=["closed_on"], name="closeout_closed_on_idx"),
            models.Index(
                fields=["committee_path", "closed_on"],
                include=("registered_at",),
                name="closeout_path_idx",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.closed_on}"


class LedgerPeriod(models.Model):
    """The month-end carry-over (月底结转) of one organisation's ledger: the figures frozen as
    they stood, so later corrections do not rewrite a month already reported."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    carried_in = models.PositiveIntegerField(_("carried in"))
    new = models.PositiveIntegerField(_("new"))
    closed_out = models.PositiveIntegerField(_("closed out"))
    carried_out = models.PositiveIntegerField(_("carried out"))
    closed_at = models.DateTimeField(_("carried over at"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("carried over by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("ledger month")
        verbose_name_plural = _("ledger months")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month"], name="ledger_period_once_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.month:%Y-%m}"


class Supervision(models.Model):
    """挂牌督办: a higher level flags a case with a deadline and instructions. At most one is
    open per case; an escalation closes this one (``escalated``) and opens the next level's."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="supervisions"
    )
    supervising_org = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("supervising organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("flagged by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Empty when the system escalated an overdue supervision."),
    )
    opened_at = models.DateTimeField(_("flagged at"))
    deadline = models.DateField(_("deadline"))
    instructions = models.TextField(_("instructions"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=SupervisionStatus.choices,
        default=SupervisionStatus.OPEN,
    )
    level = models.PositiveSmallIntegerField(
        _("level"), help_text=_("The depth of the supervising organisation in the tree.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("escalated from"),
        on_delete=models.PROTECT,
        related_name="escalations",
        null=True,
        blank=True,
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("supervised case")
        verbose_name_plural = _("supervised cases")
        ordering = ["-opened_at", "-id"]
        constraints = [
            # 一案一督: two open supervisions of one case would give it two masters.
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status=SupervisionStatus.OPEN),
                name="supervision_one_open_per_case",
            )
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="supervision_due_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}@{self.supervising_org_id}: {self.status}"

    @property
    def audit_label(self) -> str:
        return f"{self.case.number} · {self.supervising_org.name}"

    @property
    def is_open(self) -> bool:
        return self.status == SupervisionStatus.OPEN


class SupervisionReport(TransitionLog):
    """One entry of a supervision's history: the flag, a progress report from the committee,
    or the supervisor's extension, closing or escalation (who, when, what: the progress, the
    outcome or the reason is the row's ``reason``). The moves' rows are written by the
    transition engine (``core.transitions``)."""

    supervision = models.ForeignKey(Supervision, on_delete=models.CASCADE, related_name="reports")
    action = models.CharField(
        max_length=12, choices=SupervisionAction.choices, default=SupervisionAction.REPORT
    )
    # Rows from before the engine carry no states.
    from_status = models.CharField(max_length=12, choices=SupervisionStatus.choices, blank=True)
    to_status = models.CharField(
        max_length=12, choices=SupervisionStatus.choices, blank=True, default=""
    )
    # Empty when the system escalated an overdue supervision.
    actor = models.ForeignKey(  # type: ignore[assignment]
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    actor_name = models.CharField(max_length=60, blank=True, default="")
    reason = models.TextField(_("progress"), blank=True)

    class Meta(TransitionLog.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.supervision_id}: {self.action}"

    @property
    def deadline_on(self) -> dt.date | None:
        """The deadline this step set (flag, extend, escalate), as a date for display."""
        raw = self.data.get("deadline") if isinstance(self.data, dict) else None
        try:
            return dt.date.fromisoformat(str(raw)) if raw else None
        except ValueError:
            return None
