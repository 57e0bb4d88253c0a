from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    """Screening (排查): rounds per level on a schedule ending in findings or a nil report,
    findings turned into cases, prevented escalations recorded on cases."""

    name = "tiaojie.screening"
    label = "screening"
    verbose_name = _("Screening")
