from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    """The per-case subsidy (以案定补): rule sets a bureau versions, the monthly sheet per
    committee and mediator, its approval up the chain and payment."""

    name = "tiaojie.subsidies"
    label = "subsidies"
    verbose_name = _("Per-case subsidies")
