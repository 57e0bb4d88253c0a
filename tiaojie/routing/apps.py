from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    """The governance-centre pipeline (统一受理、集中梳理、归口管理、分流处理): the intake
    queue, tier routing rules, transfers between committees, escalation, joint mediation and
    mediator suggestion."""

    name = "tiaojie.routing"
    label = "routing"
    verbose_name = _("Routing")
