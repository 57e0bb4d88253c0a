"""Case-file review (案卷评查): score sheets, review rounds with their sample, the reviewers'
scores, and rectification requested from a committee. Writes go through ``reviews.services``."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.core.transitions import TransitionLog
from tiaojie.reviews.choices import (
    RectificationAction,
    RectificationStatus,
    ReviewStatus,
    RoundStatus,
    SampleReason,
)

DEFAULT_MAJOR_AMOUNT = Decimal("100000")


def plain(value: Decimal) -> str:
    """``10.0`` → ``10``, ``7.5`` → ``7.5`` (never ``1E+1``)."""
    return format(value.normalize(), "f")


class ScoreSheet(models.Model):
    """评查评分表: the items a case file is scored on, each with a weight; weights total 100.

    Once a round uses a sheet it is frozen (scores refer to its items); a bureau copies it to
    change it."""

    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_path = models.CharField(max_length=255, editable=False)
    # Follows the organisation when it moves (organisations/path_copies.py).
    organisation_path_copies: ClassVar[tuple[tuple[str, str], ...]] = (("owner", "owner_path"),)
    name = models.CharField(_("name"), max_length=120)
    active = models.BooleanField(_("in use for new rounds"), default=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["-active", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return self.name


class ScoreItem(models.Model):
    """One line of a score sheet: what is checked, guidance for the reviewer, its weight."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"))
    label = models.CharField(_("item"), max_length=80)
    guidance = models.CharField(_("guidance"), max_length=300, blank=True)
    weight = models.DecimalField(_("points"), max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "label"], name="score_item_label_unique")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.points})"

    @property
    def points(self) -> str:
        return plain(self.weight)


class ReviewRound(models.Model):
    """评查轮次: one quarter's review of the case files closed in a bureau's area."""

    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("bureau"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_path = models.CharField(max_length=255, editable=False)
    # Follows the organisation when it moves (organisations/path_copies.py).
    organisation_path_copies: ClassVar[tuple[tuple[str, str], ...]] = (("owner", "owner_path"),)
    name = models.CharField(_("name"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.PROTECT, related_name="rounds"
    )
    sample_share = models.PositiveSmallIntegerField(_("sample share (%)"))
    major_amount_threshold = models.DecimalField(
        _("major case from (yuan)"), max_digits=14, decimal_places=2, default=DEFAULT_MAJOR_AMOUNT
    )
    flagged_mediators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("flagged mediators"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    # The random seed of the sample, derived from the id, kept so the sample can be redrawn.
    seed = models.BigIntegerField(null=True, blank=True, editable=False)
    sampled_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        ordering = ["-year", "-quarter", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="review_round_quarter"
            ),
            models.CheckConstraint(
                condition=models.Q(sample_share__gte=1, sample_share__lte=100),
                name="review_round_share",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return self.name


class RoundTransition(TransitionLog):
    """One move of a round: sampled, review started, closed; who, when, why."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=16)
    from_status = models.CharField(max_length=12, choices=RoundStatus.choices)
    to_status = models.CharField(max_length=12, choices=RoundStatus.choices)
    # A round's log admits no actor (the schema as it was); every move today has one.
    actor = models.ForeignKey(  # type: ignore[assignment]
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=60, blank=True)

    class Meta(TransitionLog.Meta):
        pass


class CaseReview(models.Model):
    """One sampled case file in a round: why it was drawn, who reviews it, its score."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="reviews")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    # The case's committee when sampled: results are grouped by it and reviewers kept out of it.
    committee = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    committee_path = models.CharField(max_length=255, editable=False)
    # Follows the organisation when it moves (organisations/path_copies.py).
    organisation_path_copies: ClassVar[tuple[tuple[str, str], ...]] = (
        ("committee", "committee_path"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=SampleReason.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_reviews",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=1, null=True, blank=True)
    comments = models.TextField(_("comments"), blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("case-file review")
        verbose_name_plural = _("case-file reviews")
        ordering = ["committee_path", "case_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "case"], name="case_review_once_per_round")
        ]
        indexes = [models.Index(fields=["reviewer", "status"], name="case_review_reviewer_idx")]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.case_id}"

    @property
    def audit_label(self) -> str:
        return f"{self.round.name} · {self.case.number}"


class ItemScore(models.Model):
    """The points a reviewer gave one item of the sheet, with an optional note."""

    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(ScoreItem, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=5, decimal_places=1)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["item__order", "item_id"]
        constraints = [models.UniqueConstraint(fields=["review", "item"], name="item_score_once")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.score}"


class Rectification(models.Model):
    """整改: the round's bureau asks the case's committee to put a reviewed file right by a
    deadline; the committee's director reports, the bureau accepts or sends it back."""

    review = models.ForeignKey(CaseReview, on_delete=models.PROTECT, related_name="rectifications")
    round = models.ForeignKey(ReviewRound, on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    committee_path = models.CharField(max_length=255, editable=False)
    # Follows the organisation when it moves (organisations/path_copies.py).
    organisation_path_copies: ClassVar[tuple[tuple[str, str], ...]] = (
        ("committee", "committee_path"),
    )
    instructions = models.TextField(_("what to put right"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RectificationStatus.choices,
        default=RectificationStatus.REQUESTED,
    )
    report = models.TextField(_("what was done"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    requested_at = models.DateTimeField()
    reported_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review"],
                condition=~models.Q(status=RectificationStatus.CLOSED),
                name="rectification_one_open_per_review",
            )
        ]

    def __str__(self) -> str:
        return f"{self.review_id}: {self.status}"

    @property
    def audit_label(self) -> str:
        return f"{self.review.case.number} 整改"


class RectificationStep(TransitionLog):
    """One move of a rectification: requested, reported, accepted, sent back; who, when, what
    (the text the move carried is its ``reason``)."""

    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=12, choices=RectificationAction.choices)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    # A rectification's log admits no actor (the schema as it was); every move today has one.
    actor = models.ForeignKey(  # type: ignore[assignment]
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=60, blank=True)

    class Meta(TransitionLog.Meta):
        pass
