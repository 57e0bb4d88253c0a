"""What happens on a case: investigations, sessions, the agreement and its signatures, judicial
confirmation, follow-up visits, and the files kept with it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.cases.choices import (
    AgreementKind,
    ConfirmationOutcome,
    FollowUpMethod,
    Performance,
    Satisfaction,
)
from tiaojie.cases.models.case import Case
from tiaojie.cases.models.parties import Party


class InvestigationRecord(models.Model):
    """调查记录: who was asked what, where and when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="investigations")
    held_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=120)
    interviewee = models.CharField(_("person questioned"), max_length=120)
    investigators = models.CharField(_("investigators"), max_length=120)
    recorder = models.CharField(_("recorder"), max_length=60)
    content = models.TextField(_("questions and answers"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_at", "id"]

    def __str__(self) -> str:
        return f"{self.case.number} 调查记录"


class MediationSession(models.Model):
    """调解记录: the minutes of one session, with who attended."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=120)
    parties_present = models.CharField(_("parties present"), max_length=200)
    participants = models.CharField(
        _("participants"),
        max_length=200,
        blank=True,
        help_text=_("Invited helpers: relatives, neighbours, experts (not mediators or parties)."),
    )
    recorder = models.CharField(_("recorder"), max_length=60)
    content = models.TextField(_("minutes"))
    rights_told = models.BooleanField(_("rights and duties told"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_at", "id"]

    def __str__(self) -> str:
        return f"{self.case.number} 调解记录"


class Agreement(models.Model):
    """调解协议: written (effective when every party and the mediator have signed and the
    committee's seal is applied, art. 29) or oral (effective the day it is reached, art. 30)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(_("kind"), max_length=8, choices=AgreementKind.choices)
    number = models.CharField(_("agreement number"), max_length=80, unique=True)
    facts = models.TextField(_("facts, matters in dispute and responsibilities"))
    content = models.TextField(_("content of the agreement"))
    performance_manner = models.CharField(_("manner of performance"), max_length=200)
    performance_place = models.CharField(_("place of performance"), max_length=120, blank=True)
    performance_deadline = models.DateField(_("deadline of performance"), null=True, blank=True)
    formed_on = models.DateField(_("reached on"))
    mediator_signed_on = models.DateField(_("mediator signed on"), null=True, blank=True)
    sealed_on = models.DateField(_("committee seal applied on"), null=True, blank=True)
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set when the court rejected its confirmation and the case went back to mediation: the
    # old agreement stays in the file, a new one replaces it.
    superseded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(superseded_at__isnull=True),
                name="one_current_agreement",
            )
        ]

    def __str__(self) -> str:
        return self.number


class AgreementSignature(models.Model):
    """One party's signature (with fingerprint) on a written agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField(_("signed on"))
    fingerprinted = models.BooleanField(_("fingerprinted"), default=True)
    signed_by_agent = models.BooleanField(_("signed by the agent"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party"], name="one_signature_per_party")
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.party_id}"


class PerformanceRecord(models.Model):
    """A report of how the agreement is being performed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="performance_records")
    recorded_on = models.DateField(_("recorded on"))
    status = models.CharField(_("performance"), max_length=16, choices=Performance.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["recorded_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.status}"


class JudicialConfirmation(models.Model):
    """司法确认: the joint application to a court and its ruling."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="confirmations")
    applied_on = models.DateField(_("applied on"))
    court = models.CharField(_("court"), max_length=120)
    joint = models.BooleanField(_("applied jointly"), default=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=12,
        choices=ConfirmationOutcome.choices,
        default=ConfirmationOutcome.PENDING,
    )
    ruling_number = models.CharField(_("ruling number"), max_length=80, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["applied_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.court}"


class FollowUp(models.Model):
    """回访: a visit after the agreement to check performance and remaining risk."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    visited_on = models.DateField(_("visited on"))
    method = models.CharField(_("method"), max_length=8, choices=FollowUpMethod.choices)
    party_visited = models.CharField(_("party visited"), max_length=120)
    performance = models.CharField(_("performance"), max_length=16, choices=Performance.choices)
    satisfaction = models.CharField(_("satisfaction"), max_length=16, choices=Satisfaction.choices)
    escalation_risk = models.BooleanField(_("signs of escalation"), default=False)
    notes = models.TextField(_("situation and measures taken"), blank=True)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["visited_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.party_visited}"


class Attachment(models.Model):
    """A file kept with the case (evidence, identity proof, authorisation, receipts), stored
    outside the web root and served only through a permission check."""

    class Kind(models.TextChoices):
        EVIDENCE = "evidence", _("Evidence")
        IDENTITY = "identity", _("Identity proof")
        AUTHORISATION = "authorisation", _("Power of attorney")
        RECEIPT = "receipt", _("Performance receipt")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    stored_name = models.CharField(max_length=80, unique=True, editable=False)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title
