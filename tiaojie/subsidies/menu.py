"""The subsidy pages in the menu (registered by ``SubsidiesConfig.ready``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.roles import Capability
from tiaojie.core.menu import NavItem

NAVIGATION: tuple[NavItem, ...] = (
    NavItem(_("Case subsidies"), "subsidies:sheet_list", Capability.SUBSIDY_VIEW, "coins"),
    NavItem(
        _("Subsidy rules"),
        "subsidies:rule_list",
        Capability.SUBSIDY_CONFIGURE,
        "rules",
        group="settings",
    ),
)
