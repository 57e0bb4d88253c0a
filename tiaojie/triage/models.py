"""What the reader suggested for a narrative, and what the user then chose."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Suggestion(models.Model):
    """One suggestion shown on the intake form. The narrative itself is not kept (it is the
    case's, and may hold personal data): only its hash, to match it with the case registered
    from it (``listeners``)."""

    text_hash = models.CharField(max_length=64, db_index=True)
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    suggested_type = models.CharField(_("suggested dispute type"), max_length=40)
    suggested_risks = models.JSONField(_("suggested risks"), default=list)
    suggested_tier = models.CharField(_("suggested tier"), max_length=16)
    evidence = models.JSONField(default=list)
    model_version = models.CharField(_("model version"), max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Filled when a case is registered from the same narrative.
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    chosen_type = models.CharField(_("chosen dispute type"), max_length=40, blank=True)
    chosen_group = models.BooleanField(_("marked as group dispute"), null=True)
    chosen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.text_hash[:8]} → {self.suggested_type}"

    @property
    def type_accepted(self) -> bool | None:
        return None if not self.chosen_type else self.chosen_type == self.suggested_type
