from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    """The network: bureaus, justice offices, committees, grids and associations as one tree."""

    name = "tiaojie.organisations"
    label = "organisations"
    verbose_name = _("Organisations")
