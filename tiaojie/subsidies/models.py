"""Rule sets a bureau versions, and the monthly sheets computed with them.

A rule set applies from its ``valid_from`` (the first day of a month) until the next rule set of
the same bureau starts; a month is computed with the rule set in force on its first day. A sheet
keeps the lines it was computed with (which case, which tier, why, how much, to whom), so a
paid sheet stays what was paid whatever happens to the cases later.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.core.transitions import TransitionLog
from tiaojie.organisations.choices import CommitteeKind
from tiaojie.subsidies.choices import (
    ArchiveRule,
    Dimension,
    Exclusion,
    Recipient,
    SheetStatus,
    Tier,
)


class SubsidyRuleSet(models.Model):
    """One version of a bureau's subsidy rules: tiers, amounts and who qualifies."""

    bureau = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    bureau_path = models.CharField(max_length=255, editable=False)
    # Follows the organisation when it moves (organisations/path_copies.py).
    organisation_path_copies: ClassVar[tuple[tuple[str, str], ...]] = (("bureau", "bureau_path"),)
    name = models.CharField(_("name"), max_length=120)
    valid_from = models.DateField(_("in force from"))
    # Eligibility predicates (domain.md §6: registered file, success, performed agreement).
    require_registered = models.BooleanField(
        _("a registered (accepted) file is required"), default=True
    )
    require_success = models.BooleanField(_("mediation must end in an agreement"), default=True)
    require_performed = models.BooleanField(_("the agreement must be performed"), default=True)
    count_oral = models.BooleanField(_("oral agreements are subsidised"), default=False)
    # A case whose own month was paid before it qualified counts in the month it qualifies.
    carry_over = models.BooleanField(
        _("a case performed or completed after its month was paid counts in a later month"),
        default=True,
    )
    archive_rule = models.CharField(
        _("archived (complete) file required for"),
        max_length=8,
        choices=ArchiveRule.choices,
        default=ArchiveRule.MAJOR,
    )
    recipient = models.CharField(
        _("who receives it"), max_length=12, choices=Recipient.choices, default=Recipient.PRESIDING
    )
    complex_tier = models.CharField(
        _("tier of a complex dispute"), max_length=12, choices=Tier.choices, default=Tier.DIFFICULT
    )
    group_tier = models.CharField(
        _("tier of a group dispute"), max_length=12, choices=Tier.choices, default=Tier.MAJOR
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("subsidy rule set")
        verbose_name_plural = _("subsidy rule sets")
        ordering = ["bureau_path", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "valid_from"], name="subsidy_rules_one_start")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%Y-%m})"


class SubsidyBand(models.Model):
    """A range of one criterion that puts a case in a tier: ``lower`` ≤ value < ``upper``
    (no ``upper``: and above)."""

    rule_set = models.ForeignKey(SubsidyRuleSet, on_delete=models.CASCADE, related_name="bands")
    dimension = models.CharField(max_length=8, choices=Dimension.choices)
    tier = models.CharField(max_length=12, choices=Tier.choices)
    lower = models.DecimalField(max_digits=14, decimal_places=2)
    upper = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["dimension", "lower"]

    def __str__(self) -> str:
        return f"{self.dimension} [{self.lower}, {self.upper}) → {self.tier}"


class SubsidyAmount(models.Model):
    """What one case of a tier earns at a kind of committee, in yuan."""

    rule_set = models.ForeignKey(SubsidyRuleSet, on_delete=models.CASCADE, related_name="amounts")
    committee_kind = models.CharField(max_length=12, choices=CommitteeKind.choices)
    tier = models.CharField(max_length=12, choices=Tier.choices)
    amount = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["committee_kind", "tier"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "committee_kind", "tier"], name="subsidy_amount_once"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="subsidy_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee_kind}/{self.tier}: {self.amount}"


class SubsidySheet(models.Model):
    """A committee's subsidy sheet for one month (以案定补月度补贴表)."""

    committee = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    committee_path = models.CharField(max_length=255, editable=False)
    # Follows the organisation when it moves (organisations/path_copies.py).
    organisation_path_copies: ClassVar[tuple[tuple[str, str], ...]] = (
        ("committee", "committee_path"),
    )
    month = models.DateField(_("month"))  # its first day
    rule_set = models.ForeignKey(
        SubsidyRuleSet, on_delete=models.PROTECT, related_name="sheets", null=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2, default=0)
    counted = models.PositiveIntegerField(default=0)
    excluded = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(null=True, blank=True)
    # A case that counts for the month moved since the sheet was computed (listeners.py).
    stale = models.BooleanField(default=False)
    stale_since = models.DateTimeField(null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("subsidy sheet")
        verbose_name_plural = _("subsidy sheets")
        ordering = ["-month", "committee_path"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "month"], name="subsidy_sheet_once")
        ]
        indexes = [
            models.Index(
                fields=["committee_path"],
                name="subsidy_sheet_path_idx",
                opclasses=["varchar_pattern_ops"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.month:%Y-%m}"

    @property
    def audit_label(self) -> str:
        return f"{self.committee.name} {self.month:%Y-%m}"

    @property
    def is_locked(self) -> bool:
        return self.status == SheetStatus.PAID


class SubsidyLine(models.Model):
    """One case that ended in the month: counted (tier, amount, the criterion that decided the
    tier) or excluded (why)."""

    sheet = models.ForeignKey(SubsidySheet, on_delete=models.CASCADE, related_name="lines")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    case_number = models.CharField(max_length=80)
    closed_on = models.DateField()
    tier = models.CharField(max_length=12, choices=Tier.choices)
    # What put the case in its tier: a dimension, "complex", "group" or "" (nothing raised it).
    basis = models.CharField(max_length=12, blank=True)
    basis_value = models.CharField(max_length=40, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    exclusion = models.CharField(max_length=20, choices=Exclusion.choices, blank=True)
    exclusion_note = models.CharField(max_length=80, blank=True)
    # A case carried over from the (paid) month it ended in: that month, and why it counts here
    # (“补计：2026年10月调解，11月履行”).
    carried_from = models.DateField(null=True, blank=True)
    carry_note = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["closed_on", "case_number"]
        indexes = [models.Index(fields=["case"], name="subsidy_line_case_idx")]

    def __str__(self) -> str:
        return f"{self.case_number}: {self.amount}"

    @property
    def counted(self) -> bool:
        return not self.exclusion


class SubsidyShare(models.Model):
    """What one mediator receives for one counted case."""

    line = models.ForeignKey(SubsidyLine, on_delete=models.CASCADE, related_name="shares")
    sheet = models.ForeignKey(SubsidySheet, on_delete=models.CASCADE, related_name="shares")
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["mediator_id"]

    def __str__(self) -> str:
        return f"{self.mediator_id}: {self.amount}"


class SheetTransition(TransitionLog):
    """One move of a sheet: submitted, approved, returned, paid."""

    sheet = models.ForeignKey(SubsidySheet, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionLog.Meta):
        pass
