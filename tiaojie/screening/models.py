"""Screening (排查): the schedule a bureau sets, the rounds each level owes, what they found,
and the escalations mediation prevented. Writes go through ``screening.services``."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaojie.core.transitions import TransitionLog
from tiaojie.screening.choices import (
    Decision,
    EscalationKind,
    FindingStatus,
    Frequency,
    Level,
    MatchedBy,
    RiskLevel,
    RoundStatus,
)


class Schedule(models.Model):
    """A bureau's own frequency for one level, for its whole subtree (the nearest bureau above
    an organisation decides; without one the national practice in ``DEFAULT_FREQUENCY``)."""

    bureau = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("screening schedule")
        constraints = [
            models.UniqueConstraint(fields=["bureau", "level"], name="screening_schedule_once")
        ]

    def __str__(self) -> str:
        return f"{self.level}: {self.frequency}"


class Round(models.Model):
    """排查轮次: one period's screening owed by one organisation; it ends in findings or an
    explicit nil report (零报告)."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation_path = models.CharField(max_length=255, editable=False)
    # Follows the organisation when it moves (organisations/path_copies.py).
    organisation_path_copies: ClassVar[tuple[tuple[str, str], ...]] = (
        ("organisation", "organisation_path"),
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    period_start = models.DateField(_("period from"))
    due_on = models.DateField(_("due on"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    nil_report = models.BooleanField(_("nil report"), default=False)
    findings_count = models.PositiveIntegerField(_("findings"), default=0)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    reported_late = models.BooleanField(_("reported late"), default=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("screening round")
        verbose_name_plural = _("screening rounds")
        ordering = ["-period_start", "organisation_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "level", "period_start"], name="screening_round_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["organisation_path"],
                name="screening_round_path_idx",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(fields=["status", "due_on"], name="screening_round_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.period_start}"

    @property
    def audit_label(self) -> str:
        return f"{self.get_level_display()} {self.period_start:%Y-%m-%d}"


class RoundTransition(TransitionLog):
    """One move of a round: reported, or marked overdue by the nightly scan (no actor)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=RoundStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=RoundStatus.choices)
    actor = models.ForeignKey(  # type: ignore[assignment]
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=60, blank=True)

    class Meta(TransitionLog.Meta):
        pass


class Finding(models.Model):
    """线索: what a round found, in a few words; it becomes a case or is closed with a reason."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="findings")
    organisation_path = models.CharField(max_length=255, editable=False)
    # Follows the organisation when it moves (organisations/path_copies.py).
    organisation_path_copies: ClassVar[tuple[tuple[str, str], ...]] = (
        ("round__organisation", "organisation_path"),
    )
    place = models.CharField(_("place"), max_length=120)
    people = models.CharField(_("people"), max_length=200, blank=True)
    what = models.TextField(_("what"), max_length=2000, blank=True)
    risk = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.LOW
    )
    status = models.CharField(
        _("status"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    close_reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The key the form (or a phone's offline queue) sent with it: the same report sent again
    # (a double click, a replayed sync) finds this row instead of making a second one.
    client_key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("finding")
        # In a context: the bare msgid is the round's count of them (线索数).
        verbose_name_plural = pgettext_lazy("screening findings, plural", "findings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "client_key"],
                condition=~models.Q(client_key=""),
                name="finding_client_key_once",
            )
        ]

    def __str__(self) -> str:
        return self.place

    @property
    def audit_label(self) -> str:
        return self.place


class PreventedEscalation(models.Model):
    """An escalation a case's mediation prevented (防止民转刑, 群体性上访, 群体性械斗, 自杀),
    with the people it concerned; counted by the statistics."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    committee_path = models.CharField(max_length=255, editable=False)
    # Follows the organisation when it moves (organisations/path_copies.py).
    organisation_path_copies: ClassVar[tuple[tuple[str, str], ...]] = (
        ("committee", "committee_path"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EscalationKind.choices)
    people = models.PositiveIntegerField(_("people involved"))
    recorded_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("prevented escalation")
        verbose_name_plural = _("prevented escalations")
        ordering = ["-recorded_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="escalation_once_per_kind"),
            models.CheckConstraint(condition=models.Q(people__gte=1), name="escalation_people"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"

    @property
    def audit_label(self) -> str:
        return str(self.get_kind_display())


class Campaign(models.Model):
    """专项活动: a time-boxed drive (大排查、早调解、护稳定) run by a bureau or office, with a
    target per organisation below it and the counts they report each day."""

    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("run by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_path = models.CharField(max_length=255, editable=False)
    # Follows the organisation when it moves (organisations/path_copies.py).
    organisation_path_copies: ClassVar[tuple[tuple[str, str], ...]] = (("owner", "owner_path"),)
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="campaign_dates"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return self.name


class CampaignTarget(models.Model):
    """How many disputes one organisation is to screen in the campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    organisation_path = models.CharField(max_length=255, editable=False)
    # Follows the organisation when it moves (organisations/path_copies.py).
    organisation_path_copies: ClassVar[tuple[tuple[str, str], ...]] = (
        ("organisation", "organisation_path"),
    )
    target = models.PositiveIntegerField(_("target"))

    class Meta:
        verbose_name = _("campaign target")
        verbose_name_plural = _("campaign targets")
        ordering = ["organisation_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation"], name="campaign_target_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.target}"


class CampaignCount(models.Model):
    """One organisation's count for one day of the campaign (entered again, it is replaced)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="counts")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("day"))
    screened = models.PositiveIntegerField(_("disputes screened"))
    resolved = models.PositiveIntegerField(_("disputes resolved"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["day", "organisation_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation", "day"], name="campaign_count_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.day}: {self.screened}"


class CaseRisk(models.Model):
    """A case's current risk score and what makes it up, kept by a listener on case events
    (and the nightly scan, for a deadline that passes without an event)."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="+")
    committee_path = models.CharField(max_length=255, editable=False)
    # Follows the organisation when it moves (organisations/path_copies.py).
    organisation_path_copies: ClassVar[tuple[tuple[str, str], ...]] = (
        ("case__committee", "committee_path"),
    )
    score = models.PositiveSmallIntegerField(_("risk score"), default=0)
    factors = models.JSONField(default=list, blank=True)
    raised_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case risk")
        verbose_name_plural = _("case risks")
        ordering = ["-score", "-updated_at"]
        indexes = [
            models.Index(
                fields=["committee_path"],
                name="case_risk_path_idx",
                opclasses=["varchar_pattern_ops"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.score}"


class DuplicateSuggestion(models.Model):
    """Two open disputes that share a party (by the blind index of an ID number or a phone):
    suggested for review. Only the decision is recorded; no case is merged or deleted here."""

    first = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    first_path = models.CharField(max_length=255, editable=False)
    second_path = models.CharField(max_length=255, editable=False)
    # Follows the organisation when it moves (organisations/path_copies.py).
    organisation_path_copies: ClassVar[tuple[tuple[str, str], ...]] = (
        ("first__committee", "first_path"),
        ("second__committee", "second_path"),
    )
    matched_by = models.CharField(_("matched by"), max_length=12, choices=MatchedBy.choices)
    decision = models.CharField(
        _("decision"), max_length=12, choices=Decision.choices, default=Decision.PENDING
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("duplicate suggestion")
        verbose_name_plural = _("duplicate suggestions")
        ordering = ["decision", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_pair_once"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="duplicate_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id}"


class FindingMedia(models.Model):
    """A photo or voice note a grid worker's phone sent with a finding. Stored under
    ``MEDIA_ROOT/screening/<finding id>/`` with a random name; served only after a scope check."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        VOICE = "voice", _("Voice note")

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    stored_name = models.CharField(max_length=64, editable=False)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("finding photo or voice note")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"
