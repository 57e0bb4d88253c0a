"""Parties to a case and their agents. ID numbers, phones and addresses are encrypted at rest,
with blind indexes for exact lookup (the same person across cases)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaojie.cases.choices import Gender, PartyKind, PartyRole
from tiaojie.cases.models.case import Case
from tiaojie.core.crypto import EncryptedTextField


class Party(models.Model):
    """当事人: a natural person or an organisation, on one side of one case."""

    # rotate_data_key recomputes these: index column → (encrypted column, purpose).
    blind_indexes: ClassVar[dict[str, tuple[str, str]]] = {
        "id_number_index": ("id_number", "party.id_number"),
        "phone_index": ("phone", "party.phone"),
    }

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=12, choices=PartyRole.choices)
    kind = models.CharField(
        _("kind"), max_length=12, choices=PartyKind.choices, default=PartyKind.PERSON
    )
    name = models.CharField(pgettext_lazy("party", "name"), max_length=120)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    occupation = models.CharField(_("occupation or post"), max_length=60, blank=True)
    id_number = EncryptedTextField(_("ID number"), purpose="party.id_number", blank=True)
    id_number_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone = EncryptedTextField(_("phone"), purpose="party.phone", blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    address = EncryptedTextField(_("address or employer"), purpose="party.address", blank=True)
    # The community (committee or grid) the party lives or works in: routing asks whether the
    # parties live in different communities or streets.
    residence = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=60, blank=True)
    agent_name = models.CharField(_("agent"), max_length=60, blank=True)
    agent_phone = EncryptedTextField(_("agent's phone"), purpose="party.agent_phone", blank=True)
    agent_authority = models.CharField(
        _("agent's authority"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 特别授权: 代为调解、签署协议"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["role", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        # The trail names the case and the party's role, not the person: the audit
        # administrator may not read case contents.
        return f"{self.case.number} · {self.get_role_display()}"
