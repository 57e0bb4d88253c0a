from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared machinery without domain rules: request context, access scoping, errors, masking."""

    name = "tiaojie.core"
    label = "core"
