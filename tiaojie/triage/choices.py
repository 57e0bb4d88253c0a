"""The codes the reader answers with, and their names on screen."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Risk(models.TextChoices):
    VIOLENCE_THREAT = "violence_threat", _("Violence or threats")
    SELF_HARM = "self_harm", _("Self-harm")
    GROUP = "group", _("Group dispute")
    PETITION_ESCALATION = "petition_escalation", _("Escalating petitions")
    CRIMINAL_ESCALATION = "criminal_escalation", _("May turn criminal")
    VULNERABLE = "vulnerable", _("Minor, elderly or disabled party")
    MEDIA_ATTENTION = "media_attention", _("Media or online attention")


class SuggestedTier(models.TextChoices):
    COMMUNITY = "community", _("Community committee")
    STREET = "street", _("Street committee")
    DISTRICT = "district", _("District level")
    SECTORAL = "sectoral", _("Sectoral committee")


class EvidenceSource(models.TextChoices):
    """Who read a risk: a rule's phrase, or the clause the learned risk model weighed most."""

    RULE = "rule", _("Matched by a rule")
    LEARNED = "learned", _("Learned by the model")
