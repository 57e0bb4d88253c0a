"""The mediator registry: a person (``Mediator``), their places in committees (``Membership``),
the bureau's grade ladder (``Grade``) and the moves of their status (``MediatorTransition``).

A mediator is one person whatever the number of committees they serve: the ID number's blind
index is unique, and a second committee adds a membership, not a second mediator (the public
directories list such a person once per committee; the registry does not)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaojie.cases.choices import Gender
from tiaojie.core.crypto import EncryptedTextField
from tiaojie.core.transitions import TransitionLog
from tiaojie.mediators.choices import (
    CourseKind,
    CourseMode,
    Criterion,
    CriterionPurpose,
    Education,
    Employment,
    HonourTitle,
    MediatorStatus,
    MembershipRole,
    PoliticalStatus,
    PromotionStatus,
    Source,
    StarStatus,
)
from tiaojie.organisations.choices import CommitteeKind


class Grade(models.Model):
    """One rung of a bureau's grade ladder (等级), e.g. 初级 < 中级 < 高级 < 首席.

    A mediator's grade must be a rung of the ladder of the nearest bureau above their committee
    that has one; ``rank`` orders the rungs (1 the lowest)."""

    bureau = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("bureau"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(pgettext_lazy("grade", "name"), max_length=20)
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        ordering = ["bureau_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "name"], name="grade_name_once"),
            models.UniqueConstraint(fields=["bureau", "rank"], name="grade_rank_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Mediator(models.Model):
    """人民调解员: a person who mediates, with or without an account to sign in."""

    blind_indexes: ClassVar[dict[str, tuple[str, str]]] = {
        "id_number_index": ("id_number", "mediator.id_number"),
        "phone_index": ("phone", "mediator.phone"),
    }

    name = models.CharField(pgettext_lazy("person", "name"), max_length=60)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    id_number = EncryptedTextField(_("ID number"), purpose="mediator.id_number")
    id_number_index = models.CharField(max_length=64, editable=False)
    phone = EncryptedTextField(_("phone"), purpose="mediator.phone", blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    address = EncryptedTextField(_("address"), purpose="mediator.address", blank=True)
    employment = models.CharField(_("employment"), max_length=12, choices=Employment.choices)
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.OTHER
    )
    education = models.CharField(
        _("education"), max_length=16, choices=Education.choices, blank=True
    )
    political_status = models.CharField(
        _("political status"), max_length=20, choices=PoliticalStatus.choices, blank=True
    )
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    certified = models.BooleanField(
        _("certified (持证上岗)"),
        default=False,
        help_text=_("Holds the mediator's certificate and works under it."),
    )
    grade = models.ForeignKey(
        Grade,
        verbose_name=_("grade"),
        on_delete=models.PROTECT,
        related_name="mediators",
        null=True,
        blank=True,
    )
    expertise = models.ManyToManyField(
        "cases.DisputeType", verbose_name=_("expertise"), related_name="+", blank=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        related_name="mediator_record",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MediatorStatus.choices, default=MediatorStatus.ACTIVE
    )
    joined_on = models.DateField(_("joined on"))
    status_since = models.DateField(_("status since"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mediator")
        verbose_name_plural = _("mediators")
        ordering = ["name", "id"]
        constraints = [
            # One person, one record: the same ID number in a second committee is a membership.
            models.UniqueConstraint(fields=["id_number_index"], name="mediator_person_once"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        # The trail names the record, not the person's data.
        return f"调解员 #{self.pk}"


class Membership(models.Model):
    """A mediator's place in one committee, with a role, from a day until a day."""

    mediator = models.ForeignKey(Mediator, on_delete=models.CASCADE, related_name="memberships")
    committee = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(
        _("role"), max_length=12, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["until", "since", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mediator", "committee"],
                condition=models.Q(until__isnull=True),
                name="membership_once_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mediator_id} @ {self.committee_id}"


class MediatorTransition(TransitionLog):
    """One move of a mediator's status (suspended, left, back)."""

    mediator = models.ForeignKey(Mediator, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=MediatorStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=MediatorStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = _("mediator status change")
        verbose_name_plural = _("mediator status changes")


class TrainingRule(models.Model):
    """A bureau's training requirement: every mediator trained within ``period_months``, a new
    one within ``new_mediator_days`` of joining. Bureaus below without a rule use the nearest
    one above; with none at all, 36 months and 90 days."""

    bureau = models.OneToOneField(
        "organisations.Organisation",
        verbose_name=_("bureau"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    period_months = models.PositiveSmallIntegerField(_("trained within (months)"), default=36)
    new_mediator_days = models.PositiveSmallIntegerField(
        _("new mediators trained within (days)"), default=90
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("training rule")
        verbose_name_plural = _("training rules")

    def __str__(self) -> str:
        return f"{self.bureau_id}: {self.period_months}/{self.new_mediator_days}"


class Course(models.Model):
    """A training course an organisation ran (or runs) for mediators."""

    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_path = models.CharField(max_length=255, editable=False)
    # Follows the organisation when it moves (organisations/path_copies.py).
    organisation_path_copies: ClassVar[tuple[tuple[str, str], ...]] = (("owner", "owner_path"),)
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=CourseKind.choices)
    mode = models.CharField(_("mode"), max_length=12, choices=CourseMode.choices)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    teachers = models.CharField(_("teachers"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="course_dates_ordered"
            ),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="course_hours_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """A mediator attended a course (and earned its hours, or fewer)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="attendances")
    mediator = models.ForeignKey(Mediator, on_delete=models.CASCADE, related_name="attendances")
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["course_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "mediator"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.mediator_id} @ {self.course_id}"


class StaffingNorm(models.Model):
    """A bureau's staffing norm: committees of a kind (blank: every kind) have at least so many
    active full-time mediators, and so many in all. The nearest bureau above a committee with
    a norm for its kind decides."""

    bureau = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("bureau"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    committee_kind = models.CharField(
        _("committee kind"), max_length=16, choices=CommitteeKind.choices, blank=True
    )
    min_full_time = models.PositiveSmallIntegerField(_("at least full-time"), default=0)
    min_total = models.PositiveSmallIntegerField(_("at least in all"), default=0)

    class Meta:
        verbose_name = _("staffing norm")
        verbose_name_plural = _("staffing norms")
        ordering = ["bureau_id", "committee_kind"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "committee_kind"], name="staffing_norm_once")
        ]

    def __str__(self) -> str:
        return f"{self.committee_kind or '*'} ≥ {self.min_full_time}/{self.min_total}"


class InsurancePolicy(models.Model):
    """An accident-insurance policy covering a mediator from one day to another."""

    mediator = models.ForeignKey(Mediator, on_delete=models.CASCADE, related_name="policies")
    insurer = models.CharField(_("insurer"), max_length=80)
    number = models.CharField(_("policy number"), max_length=60)
    cover = models.DecimalField(_("cover (元)"), max_digits=12, decimal_places=2)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("insurance policy")
        verbose_name_plural = _("insurance policies")
        ordering = ["-ends_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="policy_dates_ordered"
            ),
            models.CheckConstraint(condition=models.Q(cover__gt=0), name="policy_cover_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.insurer} {self.number}"


class CaseTally(models.Model):
    """One case as a mediator's workload counts it, kept by the case-event listener
    (``mediators.listeners``): a mediator's page sums these rows instead of scanning cases.
    Rewritten from the case's current state on every event, so a repeated event changes
    nothing."""

    case_id = models.PositiveBigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16)
    ended_as = models.CharField(max_length=16, blank=True)
    performance = models.CharField(max_length=16, blank=True)
    # Days from acceptance to the end of mediation; None while it runs (or never accepted).
    duration_days = models.PositiveIntegerField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case_id", "user"], name="case_tally_once")]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.user_id}"


class EvaluationWeight(models.Model):
    """One criterion of a bureau's evaluation scheme: its weight (per cent; a scheme's weights
    total 100) and, for counted criteria (cases, training hours), the figure that earns full
    marks. A bureau without a scheme uses the nearest one above, else the default."""

    bureau = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("bureau"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    criterion = models.CharField(_("criterion"), max_length=20, choices=Criterion.choices)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    target = models.DecimalField(
        _("full marks at"), max_digits=7, decimal_places=1, null=True, blank=True
    )

    class Meta:
        verbose_name = _("evaluation weight")
        verbose_name_plural = _("evaluation weights")
        ordering = ["bureau_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "criterion"], name="evaluation_weight_once"),
            models.CheckConstraint(
                condition=models.Q(weight__lte=100), name="evaluation_weight_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.weight}%"


class Evaluation(models.Model):
    """考核: the mediators of an organisation's area scored over a period with the weights in
    force when it was computed (kept in ``weights``, so a later change of the scheme does not
    rewrite it)."""

    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_path = models.CharField(max_length=255, editable=False)
    # Follows the organisation when it moves (organisations/path_copies.py).
    organisation_path_copies: ClassVar[tuple[tuple[str, str], ...]] = (("owner", "owner_path"),)
    title = models.CharField(_("title"), max_length=80)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    # [{"criterion": …, "weight": 20, "target": "30"}, …] as used.
    weights = models.JSONField(default=list)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-ends_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "starts_on", "ends_on"], name="evaluation_period_once"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="evaluation_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EvaluationScore(models.Model):
    """One mediator's result in an evaluation: the total and each criterion's figure and
    points (``parts``: {criterion: {"value": "85.0" or null, "points": "85.0"}})."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    mediator = models.ForeignKey(Mediator, on_delete=models.CASCADE, related_name="scores")
    total = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    rank = models.PositiveIntegerField(_("rank"))
    parts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("evaluation score")
        verbose_name_plural = _("evaluation scores")
        ordering = ["evaluation_id", "rank", "mediator_id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "mediator"], name="evaluation_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.mediator_id}: {self.total}"


class Promotion(models.Model):
    """晋级: a proposal to raise a mediator to a higher grade of the ladder, approved or rejected
    by the bureau whose ladder it is (or one above). Approval changes the mediator's grade."""

    mediator = models.ForeignKey(Mediator, on_delete=models.CASCADE, related_name="promotions")
    from_grade = models.ForeignKey(
        Grade,
        verbose_name=_("current grade"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    to_grade = models.ForeignKey(
        Grade, verbose_name=_("proposed grade"), on_delete=models.PROTECT, related_name="+"
    )
    grounds = models.TextField(_("grounds"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PromotionStatus.choices,
        default=PromotionStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    # The proposer's organisation's path: who sees the proposal (it and the levels above).
    owner_path = models.CharField(max_length=255, editable=False)
    # Follows that organisation when it moves (organisations/path_copies.py). By path, not by
    # the proposer: someone who later works elsewhere does not take the proposal along.
    organisation_path_prefix_copies: ClassVar[tuple[str, ...]] = ("owner_path",)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("grade promotion")
        verbose_name_plural = _("grade promotions")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mediator"],
                condition=models.Q(status="proposed"),
                name="promotion_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mediator_id} → {self.to_grade_id}"

    @property
    def audit_label(self) -> str:
        return f"晋级申报 #{self.pk}"


class PromotionTransition(TransitionLog):
    """One decision on a promotion proposal."""

    promotion = models.ForeignKey(Promotion, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=PromotionStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=PromotionStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = _("promotion decision")
        verbose_name_plural = _("promotion decisions")


class Honour(models.Model):
    """荣誉: an honour given to a mediator (模范调解员, 金牌调解员, …) in a year, by whom."""

    mediator = models.ForeignKey(Mediator, on_delete=models.CASCADE, related_name="honours")
    title = models.CharField(_("honour"), max_length=12, choices=HonourTitle.choices)
    name = models.CharField(_("name of the honour"), max_length=60, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    awarded_by = models.CharField(_("awarded by"), max_length=80)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mediator", "title", "name", "year"], name="honour_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.year}"


class CommitteeCriterion(models.Model):
    """One item of a bureau's committee checklist: standardisation (有名称、有印章、有场所、
    有标识、有制度、有台账) or star rating. Bureaus below without their own use the nearest
    above's; with none, the defaults (``committees.DEFAULTS``)."""

    bureau = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    purpose = models.CharField(max_length=12, choices=CriterionPurpose.choices)
    label = models.CharField(_("item"), max_length=40)
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["bureau_id", "purpose", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "purpose", "label"], name="committee_criterion_once"
            )
        ]

    def __str__(self) -> str:
        return self.label


class CommitteeCheck(models.Model):
    """A committee's standardisation check for a year: which items it meets (of the checklist
    in force that day, kept in ``items``)."""

    committee = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    items = models.JSONField(default=list)
    met = models.JSONField(default=list)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="committee_check_once")
        ]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.year}"


class StarRating(models.Model):
    """星级评定: a committee's stars for a year, proposed with the criteria it meets and
    approved or rejected by a bureau."""

    committee = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("committee"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    committee_path = models.CharField(max_length=255, editable=False)
    # Follows the organisation when it moves (organisations/path_copies.py).
    organisation_path_copies: ClassVar[tuple[tuple[str, str], ...]] = (
        ("committee", "committee_path"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    stars = models.PositiveSmallIntegerField(_("stars"))
    items = models.JSONField(default=list)
    met = models.JSONField(default=list)
    grounds = models.TextField(_("grounds"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=StarStatus.choices, default=StarStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("star rating")
        verbose_name_plural = _("star ratings")
        ordering = ["-year", "committee_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year"],
                condition=~models.Q(status="rejected"),
                name="star_rating_once_a_year",
            ),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="star_rating_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.year}: {self.stars}"

    @property
    def audit_label(self) -> str:
        return f"星级评定 #{self.pk}"


class StarRatingTransition(TransitionLog):
    rating = models.ForeignKey(StarRating, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=StarStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=StarStatus.choices)

    class Meta(TransitionLog.Meta):
        pass


class Locality(models.Model):
    """A village or community (村/社区) of a bureau's area, as the bureau lists it, for the
    report of places no committee covers (matched on the committees' division codes)."""

    bureau = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField(_("division code"), max_length=12)
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["bureau", "code"], name="locality_once")]

    def __str__(self) -> str:
        return self.name


# Expert pools live in their own module; importing them here makes them this app's models.
from tiaojie.mediators.models_associations import (  # noqa: E402
    AssociationMember as AssociationMember,
)
from tiaojie.mediators.models_experts import Consultation as Consultation  # noqa: E402
from tiaojie.mediators.models_experts import Expert as Expert  # noqa: E402
from tiaojie.mediators.models_experts import ExpertPool as ExpertPool  # noqa: E402
from tiaojie.mediators.models_experts import ExpertTransition as ExpertTransition  # noqa: E402
from tiaojie.mediators.models_studios import Studio as Studio  # noqa: E402
