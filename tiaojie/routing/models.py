"""Models of routing: the tier rules a bureau configures, transfers between committees, and the
dispute types each mediator is good at. Writes go through ``routing.services``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.core.transitions import TransitionLog
from tiaojie.organisations.choices import Sector
from tiaojie.routing.choices import Spread, Tier, TransferKind, TransferStatus


class RoutingRule(models.Model):
    """One tier rule of a district or city bureau: if a queued dispute meets every condition,
    it goes to the target. Rules are tried by ``priority`` (lower first); the first that
    matches and finds a committee fires (``routing.triage``). An empty condition matches
    anything; ``routing.conditions`` gives the semantics, overlap and shadowing."""

    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("bureau"),
        on_delete=models.PROTECT,
        related_name="routing_rules",
    )
    name = models.CharField(_("name"), max_length=80)
    priority = models.PositiveIntegerField(
        _("priority"), help_text=_("Lower numbers are tried first.")
    )
    active = models.BooleanField(_("active"), default=True)

    dispute_types = models.ManyToManyField(
        "cases.DisputeType",
        verbose_name=_("dispute types"),
        blank=True,
        related_name="+",
        help_text=_("None chosen: any type."),
    )
    amount_min = models.DecimalField(
        _("amount at least (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    amount_max = models.DecimalField(
        _("amount at most (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    parties_min = models.PositiveIntegerField(_("parties at least"), null=True, blank=True)
    parties_max = models.PositiveIntegerField(_("parties at most"), null=True, blank=True)
    people_min = models.PositiveIntegerField(_("people involved at least"), null=True, blank=True)
    requires_group = models.BooleanField(_("group dispute"), null=True, blank=True)
    requires_complex = models.BooleanField(_("complex dispute"), null=True, blank=True)
    requires_risk = models.BooleanField(_("risk noted"), null=True, blank=True)
    spread = models.CharField(
        _("where the parties live"), max_length=16, choices=Spread.choices, default=Spread.ANY
    )

    tier = models.CharField(_("route to"), max_length=12, choices=Tier.choices)
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices, blank=True)
    committee = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["priority", "id"]
        indexes = [models.Index(fields=["owner", "active", "priority"], name="routing_rule_order")]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return self.name


class Transfer(models.Model):
    """A case handed from the committee holding it to another (移交) or up the tree (上报),
    waiting for the receiver's director to accept or return it."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="transfers")
    from_committee = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    to_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("to"),
        on_delete=models.PROTECT,
        related_name="incoming_transfers",
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=TransferKind.choices, default=TransferKind.TRANSFER
    )
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=TransferStatus.choices,
        default=TransferStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # Two receivers must never both accept the same case.
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status=TransferStatus.PENDING),
                name="transfer_one_pending_per_case",
            )
        ]
        indexes = [models.Index(fields=["to_organisation", "status"], name="transfer_inbox")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_committee_id} → {self.to_organisation_id}"

    @property
    def audit_label(self) -> str:
        return f"{self.case.number} → {self.to_organisation.name}"


class TransferTransition(TransitionLog):
    """One decision on a transfer (accept, return, withdraw), by the transition engine."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=TransferStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=TransferStatus.choices)
    # Empty when the system withdrew the transfer because its case left (``CASE_LEFT``).
    actor = models.ForeignKey(  # type: ignore[assignment]
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta(TransitionLog.Meta):
        pass


class MediatorExpertise(models.Model):
    """A dispute type a mediator is good at (擅长), set by their committee's director; used
    when suggesting who should mediate a routed case."""

    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expertise"
    )
    dispute_type = models.ForeignKey(
        "cases.DisputeType", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("mediator expertise")
        verbose_name_plural = _("mediator expertise")
        constraints = [
            models.UniqueConstraint(
                fields=["mediator", "dispute_type"], name="mediator_expertise_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mediator_id}: {self.dispute_type_id}"
