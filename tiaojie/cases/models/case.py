"""The case: one dispute handled by one committee, numbered in the official form."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiaojie.cases.choices import (
    OPEN_STATUSES,
    CaseSource,
    CaseStatus,
    DeclineReason,
    EndReason,
    Performance,
)
from tiaojie.core.transitions import TransitionLog


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        """Cases whose work is not over (``OPEN_STATUSES``)."""
        return self.filter(status__in=OPEN_STATUSES)


class CaseNumberCounter(models.Model):
    """The last sequence number given per committee per year; locked while a case registers, so
    numbers are unique and gap-free even with many clerks registering at once."""

    committee = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="case_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.committee_id}/{self.year}: {self.last}"


# The live cases (every status but archived) of a scope, with what the home page counts
# them by: their status and the dates their deadlines are worked out from. The home page's
# figures read this index alone (ADR 0075), not the scope's whole history. Defined apart so
# that its migration builds the same index, concurrently.
LIVE_PATH_INDEX = models.Index(
    fields=["committee_path"],
    include=["id", "status", "registered_at", "extended_to", "due_on", "performance"],
    condition=~models.Q(status=CaseStatus.ARCHIVED),
    name="case_live_path_idx",
    opclasses=["varchar_pattern_ops"],
)


class Case(models.Model):
    """A mediation case (案件). Writes go through ``cases.services``; status only through
    ``cases.workflow.transition``."""

    number = models.CharField(_("case number"), max_length=80, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    # The organisation holding the case: its committee, or while the case waits for triage
    # (status QUEUED) the governance centre whose queue it is in (docs/decisions/0008).
    committee = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    # The governance centre that received and routed the dispute, if one did; kept after routing.
    centre = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("governance centre"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # The committee the applicant asked to mediate (人民调解法 art. 17): chosen from the public
    # directory, directly or through a mediator. Routing proposes it first when it fits
    # (docs/decisions/0041); the holder and the route stay the centre's decision.
    wished_committee = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("committee asked for"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # The centre's receipt number; the case takes its committee's number when first routed.
    intake_number = models.CharField(_("receipt number"), max_length=80, blank=True)
    # Copied from the committee so that scoping a list is one prefix match on an indexed column.
    committee_path = models.CharField(max_length=255, editable=False)
    # Follows the organisation when it moves (organisations/path_copies.py).
    organisation_path_copies: ClassVar[tuple[tuple[str, str], ...]] = (
        ("committee", "committee_path"),
    )
    dispute_type = models.ForeignKey(
        "cases.DisputeType",
        verbose_name=_("dispute type"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=20, choices=CaseSource.choices)
    referral_body = models.CharField(_("referred by"), max_length=120, blank=True)
    referral_reference = models.CharField(_("referral document no."), max_length=80, blank=True)
    summary = models.CharField(_("brief description"), max_length=200)
    narrative = models.TextField(_("facts as told"), blank=True)
    requests = models.TextField(_("requests"), blank=True)
    amount = models.DecimalField(
        _("amount in dispute (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    people_involved = models.PositiveIntegerField(_("people involved"), default=2)
    is_complex = models.BooleanField(_("complex dispute"), default=False)
    is_group = models.BooleanField(_("group dispute"), default=False)
    risk_notes = models.TextField(_("risk notes"), blank=True)
    is_public = models.BooleanField(
        _("public mediation"), default=False, help_text=_("Relatives and neighbours may listen.")
    )

    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.REGISTERED
    )
    # Empty for an online application (the citizen is no staff account: tiaojie.public).
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    registered_at = models.DateTimeField(_("registered at"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    extended_to = models.DateField(_("extended to"), null=True, blank=True)
    extension_reason = models.CharField(_("extension reason"), max_length=200, blank=True)
    decline_reason = models.CharField(
        _("reason for declining"), max_length=24, choices=DeclineReason.choices, blank=True
    )
    end_reason = models.CharField(
        _("reason for ending"), max_length=24, choices=EndReason.choices, blank=True
    )
    routes_told = models.BooleanField(
        _("told of arbitration, administrative and judicial routes"), default=False
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # How the case ended (declined, agreed, failed, terminated), stored by the move that ended
    # it, kept through archiving and cleared when it mediates again; blank while it has not.
    ended_as = models.CharField(
        _("ended as"), max_length=16, choices=CaseStatus.choices, blank=True
    )
    performance = models.CharField(
        _("performance"), max_length=16, choices=Performance.choices, default=Performance.PENDING
    )
    archived_on = models.DateField(_("archived on"), null=True, blank=True)
    # Tokens of the narrative and party names for Chinese full-text search (see cases.search).
    search_tokens = models.TextField(editable=False, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[CaseQuerySet] = CaseQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-registered_at", "-id"]
        indexes = [
            # The scope's prefix match, and a ledger's counts (registered before a day, in a
            # subtree) read from the index alone, without the case rows (ADR 0066).
            models.Index(
                fields=["committee_path", "registered_at"],
                include=["id"],
                name="case_path_time_idx",
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
            ),
            # A committee's cases in id order, for its staff's exact match on the path: a
            # search's sample merges this range with a word's postings (ADR 0079).
            models.Index(
                fields=["committee_path", "id"],
                name="case_path_id_idx",
                opclasses=["varchar_pattern_ops", "int8_ops"],
            ),
            models.Index(fields=["status", "registered_at"], name="case_status_time_idx"),
            # The list's order: a search for a frequent word walks this newest-first and stops
            # at 50 rows, instead of sorting every match (bench/case_search.py).
            models.Index(fields=["-registered_at", "-id"], name="case_newest_first_idx"),
            models.Index(fields=["dispute_type", "registered_at"], name="case_type_time_idx"),
            # A search's capped count checks the viewer's scope on each case its postings name:
            # an index-only probe here instead of a read of the case's row (ADR 0034).
            models.Index(fields=["id"], include=["committee_path"], name="case_scope_covering_idx"),
            LIVE_PATH_INDEX,
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "sequence"], name="case_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0) | models.Q(amount__isnull=True),
                name="case_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def audit_label(self) -> str:
        return self.number


class CaseMediator(models.Model):
    """A mediator assigned to a case; the presiding one leads. Withdrawn ones stay on record."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="mediators")
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    is_presiding = models.BooleanField(default=False)
    chosen_by_parties = models.BooleanField(default=False)
    # A default, not auto_now_add: the ledger import gives the day a historical case's
    # mediators were assigned instead of rewriting it afterwards.
    assigned_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "mediator"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="case_mediator_once_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.mediator_id}"


class JointCommittee(models.Model):
    """A committee mediating the case jointly with the lead (``Case.committee``): its staff see
    and work on the case while it takes part (联合调解)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="joint_committees")
    committee = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    committee_path = models.CharField(max_length=255, editable=False)
    # Follows the organisation when it moves (organisations/path_copies.py).
    organisation_path_copies: ClassVar[tuple[tuple[str, str], ...]] = (
        ("committee", "committee_path"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("joint mediating committee")
        verbose_name_plural = _("joint mediating committees")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "committee"],
                condition=models.Q(left_at__isnull=True),
                name="joint_committee_once_active",
            )
        ]
        indexes = [
            models.Index(
                fields=["committee_path"],
                name="joint_committee_path_idx",
                opclasses=["varchar_pattern_ops"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.committee_id}"


# Defined apart so that its migration builds the same index, concurrently.
TRANSITION_TIME_INDEX = models.Index(fields=["at"], name="case_transition_at_idx")


class CaseTransition(TransitionLog):
    """One move of the workflow: from, to, which action, who, when and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=CaseStatus.choices)

    class Meta(TransitionLog.Meta):
        # The cases moved in a period: the accountability report's candidates (ADR 0076).
        indexes = [TRANSITION_TIME_INDEX]
