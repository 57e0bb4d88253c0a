from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The public side (群众端): citizens sign in by phone and one-time code, apply, track their
    cases, talk to the mediator, and respondents answer through an SMS link."""

    name = "tiaojie.public"
    label = "public"
    verbose_name = _("Public side")
