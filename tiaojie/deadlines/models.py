"""The working-day calendar: weekends are rest days, except what a year's table says.

China's State Council publishes each year's statutory holidays and the weekend days worked in
exchange (调休上班). One ``CalendarYear`` per year holds that table as ``CalendarDay`` rows;
everything else follows the week. Deadline arithmetic is in ``deadlines.calendar``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday (rest day)")
    WORKDAY = "workday", _("Make-up working day (调休上班)")


class CalendarYear(models.Model):
    """One year's table of holidays and make-up working days."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(
        _("published in"),
        max_length=200,
        blank=True,
        help_text=_("The notice the table comes from, e.g. 国办发明电〔2025〕7号."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day that differs from the ordinary week: a holiday, or a weekend day worked."""

    calendar = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days")
    day = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=40, help_text=_("e.g. 春节"))

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.kind}"


class DeadlineKind(models.TextChoices):
    """The deadlines the system watches (限期办理). Supervision deadlines are the supervision
    app's; it reads their default length from here (``selectors.deadline_rule``)."""

    ACCEPT = "accept", _("Accept or decline")
    MEDIATION = "mediation", _("Mediation period")
    CONFIRMATION = "confirmation", _("Judicial confirmation window")
    FOLLOW_UP = "follow_up", _("Follow-up visit")
    SUPERVISION = "supervision", _("Supervision")


class RuleUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    DAYS = "days", _("days")
    MONTHS = "months", _("months")


class AlertLevel(models.TextChoices):
    NEAR_DUE = "near_due", _("Near due")
    OVERDUE = "overdue", _("Overdue")


class DeadlineRule(models.Model):
    """A bureau's own length for one kind of deadline. A district bureau's rule overrides its
    city's for the cases below it; without either, the defaults in ``deadlines.defaults``."""

    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("bureau"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("deadline"), max_length=16, choices=DeadlineKind.choices)
    value = models.PositiveSmallIntegerField(_("length"))
    unit = models.CharField(_("unit"), max_length=12, choices=RuleUnit.choices)
    near_due_days = models.PositiveSmallIntegerField(
        _("near due (working days before)"),
        help_text=_("How many working days before the due date a case counts as near due."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        constraints = [
            models.UniqueConstraint(fields=["owner", "kind"], name="deadline_rule_once_per_owner")
        ]

    def __str__(self) -> str:
        return f"{self.owner_id}/{self.kind}: {self.value} {self.unit}"


class DeadlineAlert(models.Model):
    """A case found near due or overdue by the scan. Open while ``cleared_at`` is empty; the
    scan (or ``scan.refresh_case_alerts``) clears it once the condition no longer holds. At most
    one open alert per case, kind, level and due date, so a scan run twice raises nothing new."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="deadline_alerts")
    kind = models.CharField(_("deadline"), max_length=16, choices=DeadlineKind.choices)
    level = models.CharField(_("level"), max_length=8, choices=AlertLevel.choices)
    due_on = models.DateField(_("due on"))
    raised_at = models.DateTimeField(_("raised at"))
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline alert")
        verbose_name_plural = _("deadline alerts")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "level", "due_on"],
                condition=models.Q(cleared_at__isnull=True),
                name="deadline_alert_open_once",
            )
        ]
        indexes = [
            # The scan asks "has this case an open alert of this kind and level?" per case: with
            # the case last, an index chosen for (kind, level) still finds it in one probe.
            models.Index(
                fields=["kind", "level", "case"],
                condition=models.Q(cleared_at__isnull=True),
                name="deadline_alert_open_idx",
            ),
            models.Index(fields=["raised_at"], name="deadline_alert_raised_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind} {self.level} {self.due_on}"
