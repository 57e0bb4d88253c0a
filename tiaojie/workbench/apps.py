from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    """The home page: where each role's work starts. It sits above every domain app, asks each
    for its counts, and holds no tables of its own."""

    name = "tiaojie.workbench"
    label = "workbench"
    verbose_name = _("Workbench")
