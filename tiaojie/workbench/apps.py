from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tiaojie.core import menu


class WorkbenchConfig(AppConfig):
    """The home page: where each role's work starts. It sits above every domain app, asks each
    for its counts, and holds no tables of its own."""

    name = "tiaojie.workbench"
    label = "workbench"
    verbose_name = _("Workbench")

    def ready(self) -> None:
        # The menu names every domain app's pages; registered from up here so ``core`` names
        # none (docs/architecture.md, "Layers"); the entries import models, so not before now.
        from tiaojie.workbench.menu import NAVIGATION  # noqa: PLC0415 - needs models

        menu.register(NAVIGATION)
