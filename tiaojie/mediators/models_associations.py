"""Members of a mediators' association (人民调解协会): committees (团体会员) and mediators
(个人会员, with their office: 会长, 副会长, 秘书长, 理事, 会员), each from the day they joined until
the day they left. A member who left stays listed as history; joining again adds a new row.

The association itself is an organisation of the tree (``OrganisationKind.ASSOCIATION``); the
members live here because organisations may not know mediators (the layers)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.mediators.choices import AssociationRole


class AssociationMember(models.Model):
    """One committee or one mediator in one association, from ``joined`` until ``left``."""

    association = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The association's path, copied so that scope checks are a prefix match.
    association_path = models.CharField(max_length=255, editable=False)
    # Follows the association when it moves (organisations/path_copies.py).
    organisation_path_copies: ClassVar[tuple[tuple[str, str], ...]] = (
        ("association", "association_path"),
    )
    committee = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("member committee"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    mediator = models.ForeignKey(
        "mediators.Mediator",
        verbose_name=_("member mediator"),
        on_delete=models.PROTECT,
        related_name="association_places",
        null=True,
        blank=True,
    )
    role = models.CharField(
        _("office in the association"),
        max_length=20,
        choices=AssociationRole.choices,
        blank=True,
    )
    joined = models.DateField(_("joined on"))
    left = models.DateField(_("left on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("association member")
        verbose_name_plural = _("association members")
        ordering = ["association_id", "left", "joined", "id"]
        constraints = [
            # A member is a committee or a mediator, never both, never neither.
            models.CheckConstraint(
                condition=(
                    models.Q(committee__isnull=False, mediator__isnull=True)
                    | models.Q(committee__isnull=True, mediator__isnull=False)
                ),
                name="association_member_one_kind",
            ),
            models.UniqueConstraint(
                fields=["association", "committee"],
                condition=models.Q(left__isnull=True, committee__isnull=False),
                name="association_committee_once_current",
            ),
            models.UniqueConstraint(
                fields=["association", "mediator"],
                condition=models.Q(left__isnull=True, mediator__isnull=False),
                name="association_mediator_once_current",
            ),
            models.CheckConstraint(
                condition=models.Q(left__isnull=True) | models.Q(left__gte=models.F("joined")),
                name="association_member_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee_id or self.mediator_id} @ {self.association_id}"

    @property
    def audit_label(self) -> str:
        return f"协会会员 #{self.pk}"

    @property
    def is_current(self) -> bool:
        return self.left is None
