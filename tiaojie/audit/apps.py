from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The append-only audit trail: every write and every view of personal data."""

    name = "tiaojie.audit"
    label = "audit"
    verbose_name = _("Audit trail")
