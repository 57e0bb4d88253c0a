"""Dispute types (纠纷类型) as versioned dictionary data: an entry is valid from one date to
another, so that statistics of older periods keep the categories they were filed under."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DisputeTypeQuerySet(models.QuerySet["DisputeType"]):
    def valid_on(self, day: dt.date) -> DisputeTypeQuerySet:
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class DisputeType(models.Model):
    """One category. ``statistics_code`` names the column of the 15-type statistics form it is
    counted under (a newer type such as 欠薪 is counted under 劳动争议)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40)
    statistics_code = models.SlugField(_("statistics column"), max_length=40)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects: ClassVar[DisputeTypeQuerySet] = DisputeTypeQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("dispute type")
        verbose_name_plural = _("dispute types")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="dispute_type_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: dt.date) -> bool:
        """``valid_on`` for a type already read: no second query for what the caller holds."""
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)
