from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Staff accounts, roles, login, API tokens."""

    name = "tiaojie.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
