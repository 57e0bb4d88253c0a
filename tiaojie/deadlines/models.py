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
        _("source"),
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
