from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    """Deadlines (限期办理): the working-day calendar with statutory holidays and make-up
    days, the deadline rules a bureau configures, near-due and overdue lists and the periodic
    scan that raises alerts."""

    name = "tiaojie.deadlines"
    label = "deadlines"
    verbose_name = _("Deadlines")
