from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """In-app notifications with an unread count, and the daily digest."""

    name = "tiaojie.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
