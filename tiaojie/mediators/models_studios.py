"""调解工作室: a committee's brand mediation rooms (品牌调解室, e.g. 老娘舅调解工作室) and the
personal studios named after a mediator (个人调解工作室, e.g. 金牌调解员张三工作室), each open
from a day until the day it closed. A closed studio stays listed as history."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaojie.mediators.choices import StudioKind


class Studio(models.Model):
    """One brand room or personal studio of a committee; a personal one has its lead mediator."""

    committee = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The committee's path, copied so that scope checks are a prefix match.
    committee_path = models.CharField(max_length=255, editable=False)
    # Follows the committee when it moves (organisations/path_copies.py).
    organisation_path_copies: ClassVar[tuple[tuple[str, str], ...]] = (
        ("committee", "committee_path"),
    )
    name = models.CharField(pgettext_lazy("studio", "name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=12, choices=StudioKind.choices)
    mediator = models.ForeignKey(
        "mediators.Mediator",
        verbose_name=_("lead mediator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="studios",
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(pgettext_lazy("studio", "closed on"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mediation studio")
        verbose_name_plural = _("mediation studios")
        ordering = ["committee_path", "closed_on", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "name"],
                condition=models.Q(closed_on__isnull=True),
                name="studio_name_once_open",
            )
        ]

    def __str__(self) -> str:
        return self.name
