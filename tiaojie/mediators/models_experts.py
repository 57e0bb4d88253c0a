"""Expert pools (专家库): a bureau's lists of people it can ask for an expert opinion on a
dispute of a given type — registered mediators or outside experts (a doctor for medical
disputes, an engineer for construction) — and the consultations a case's mediator records.

An outside expert's ID number and phone are encrypted with blind indexes, as a mediator's;
a registered mediator in a pool keeps their personal data on their mediator record only."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaojie.core.crypto import EncryptedTextField
from tiaojie.core.transitions import TransitionLog
from tiaojie.mediators.choices import ExpertStatus, OpinionFollowed, Profession


class ExpertPool(models.Model):
    """专家库: a bureau's pool of experts for some dispute types (医疗纠纷专家库)."""

    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("kept by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_path = models.CharField(max_length=255, editable=False)
    # Follows the organisation when it moves (organisations/path_copies.py).
    organisation_path_copies: ClassVar[tuple[tuple[str, str], ...]] = (("owner", "owner_path"),)
    name = models.CharField(pgettext_lazy("pool", "name"), max_length=80)
    dispute_types = models.ManyToManyField(
        "cases.DisputeType", verbose_name=_("dispute types"), related_name="+"
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("expert pool")
        verbose_name_plural = _("expert pools")
        ordering = ["owner_path", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="expert_pool_name_once")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return f"专家库 #{self.pk}"


class Expert(models.Model):
    """A member of one pool: a registered mediator, or an outside expert with their field and
    employer. Suspended or left with the day (the log keeps every move)."""

    blind_indexes: ClassVar[dict[str, tuple[str, str]]] = {
        "id_number_index": ("id_number", "expert.id_number"),
        "phone_index": ("phone", "expert.phone"),
    }

    pool = models.ForeignKey(ExpertPool, on_delete=models.CASCADE, related_name="members")
    pool_path = models.CharField(max_length=255, editable=False)
    # Follows the organisation when it moves (organisations/path_copies.py).
    organisation_path_copies: ClassVar[tuple[tuple[str, str], ...]] = (
        ("pool__owner", "pool_path"),
    )
    mediator = models.ForeignKey(
        "mediators.Mediator",
        verbose_name=_("mediator"),
        on_delete=models.PROTECT,
        related_name="expert_places",
        null=True,
        blank=True,
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=60)
    profession = models.CharField(_("profession"), max_length=16, choices=Profession.choices)
    field = models.CharField(_("field of expertise"), max_length=80)
    employer = models.CharField(_("employer"), max_length=120, blank=True)
    title = models.CharField(_("professional title"), max_length=40, blank=True)
    id_number = EncryptedTextField(_("ID number"), purpose="expert.id_number", blank=True)
    id_number_index = models.CharField(max_length=64, blank=True, editable=False)
    phone = EncryptedTextField(_("phone"), purpose="expert.phone", blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ExpertStatus.choices, default=ExpertStatus.ACTIVE
    )
    since = models.DateField(_("since"))
    status_since = models.DateField(_("status since"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["pool_id", "name", "id"]
        constraints = [
            # A person is in a pool once while they have not left it.
            models.UniqueConstraint(
                fields=["pool", "mediator"],
                condition=models.Q(mediator__isnull=False) & ~models.Q(status="left"),
                name="expert_mediator_once",
            ),
            models.UniqueConstraint(
                fields=["pool", "id_number_index"],
                condition=~models.Q(id_number_index="") & ~models.Q(status="left"),
                name="expert_person_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return f"专家 #{self.pk}"


class ExpertTransition(TransitionLog):
    """One move of a pool member's status (suspended, back, left)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=ExpertStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ExpertStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = _("expert status change")
        verbose_name_plural = _("expert status changes")


class Consultation(models.Model):
    """专家咨询: a case's mediator asked a pool member; the question, the day, the opinion
    (when it came) and whether the mediation followed it."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="+"
    )
    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="consultations"
    )
    asked_on = models.DateField(_("asked on"))
    question = models.TextField(_("question"))
    opinion = models.TextField(_("expert's opinion"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    followed = models.CharField(
        _("opinion followed"),
        max_length=16,
        choices=OpinionFollowed.choices,
        blank=True,
        default=OpinionFollowed.PENDING,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("expert consultation")
        verbose_name_plural = _("expert consultations")
        ordering = ["case_id", "asked_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} ← {self.expert_id}"

    @property
    def audit_label(self) -> str:
        return f"专家咨询 #{self.pk}"
