from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    """Shared machinery without domain rules: request context, access scoping, errors, masking,
    domain events."""

    name = "tiaojie.core"
    label = "core"

    def ready(self) -> None:
        # Each app's listeners.py registers the domain events it reacts to (docs/events.md);
        # core finds them without knowing the apps.
        autodiscover_modules("listeners")
