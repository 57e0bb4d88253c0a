from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediatorsConfig(AppConfig):
    """The mediator registry (人民调解员名册): who mediates, where, with which grade and
    certificate, and their training."""

    name = "tiaojie.mediators"
    label = "mediators"
    verbose_name = _("Mediators")
