from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """Ledgers (台账, 挂账销号), supervised cases (挂牌督办) and the accountability trace
    (责任倒查)."""

    name = "tiaojie.supervision"
    label = "supervision"
    verbose_name = _("Supervision")
