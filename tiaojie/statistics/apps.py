from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    """Statistics (统计): indicators rolled up from case events, reports per organisation and
    period, filed up the tree."""

    name = "tiaojie.statistics"
    label = "statistics"
    verbose_name = _("Statistics")
