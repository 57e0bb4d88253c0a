from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    """Reading a dispute's narrative (docs/triage.md): the suggested dispute type, risks with
    the phrases that triggered them, and the tier; what the user chose is kept to retrain."""

    name = "tiaojie.triage"
    label = "triage"
    verbose_name = _("Narrative reading")

    def ready(self) -> None:
        from tiaojie.triage import listeners  # noqa: F401, PLC0415 - registers the listeners
