from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """The mediation case from intake to archive (glossary: The case)."""

    name = "tiaojie.cases"
    label = "cases"
    verbose_name = _("Cases")
