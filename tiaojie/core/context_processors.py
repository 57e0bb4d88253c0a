"""Navigation by role: each user sees only the menu entries their role can use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.roles import Capability
from tiaojie.organisations.choices import OrganisationKind


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    capability: Capability | None
    icon: str
    # Only for accounts of these organisation kinds (None: any), where the page is not for
    # every holder of the capability.
    organisation_kinds: frozenset[str] | None = None
    # "settings": listed on the settings page (core:configuration) rather than in the menu,
    # which stays short for the people who open it all day.
    group: str = "main"
    # A further condition on the user, where the capability alone does not decide.
    when: Callable[[Any], bool] | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name)


# The pages of supervision are for staff of the network, not for grid workers (who report).
STAFF_KINDS = frozenset(
    {
        OrganisationKind.CITY_BUREAU,
        OrganisationKind.DISTRICT_BUREAU,
        OrganisationKind.JUSTICE_OFFICE,
        OrganisationKind.COMMITTEE,
    }
)

NAVIGATION: tuple[NavItem, ...] = (
    NavItem(_("Home"), "workbench:home", None, "home"),
    NavItem(_("Cases"), "cases:case_list", Capability.CASE_CONTENT, "cases"),
    NavItem(
        _("Register a dispute"),
        "cases:case_register",
        Capability.CASE_REGISTER,
        "plus",
        when=lambda user: has_intake(user),
    ),
    NavItem(_("Intake queue"), "routing:queue", Capability.CASE_ROUTE, "inbox"),
    NavItem(
        _("Deadlines"), "deadlines:deadline_list", Capability.CASE_CONTENT, "clock", STAFF_KINDS
    ),
    NavItem(_("Ledger"), "supervision:ledger", Capability.CASE_CONTENT, "book", STAFF_KINDS),
    NavItem(
        _("Supervised cases"),
        "supervision:supervision_list",
        Capability.CASE_CONTENT,
        "flag",
        STAFF_KINDS,
    ),
    NavItem(_("Transfers"), "routing:transfers", Capability.CASE_ASSIGN, "swap"),
    NavItem(
        _("Mediators' expertise"),
        "routing:expertise",
        Capability.CASE_ASSIGN,
        "star",
        group="settings",
    ),
    NavItem(_("My reviews"), "reviews:my_reviews", Capability.REVIEW_SCORE, "check"),
    NavItem(_("Case-file review"), "reviews:round_list", Capability.REVIEW_MANAGE, "clipboard"),
    NavItem(
        _("Accountability report"), "supervision:trace_report", Capability.CASE_SUPERVISE, "trace"
    ),
    NavItem(
        _("Routing rules"), "routing:rules", Capability.RULES_CONFIGURE, "rules", group="settings"
    ),
    NavItem(
        _("Deadline rules"),
        "deadlines:rule_list",
        Capability.RULES_CONFIGURE,
        "rules",
        group="settings",
    ),
    NavItem(
        _("Working-day calendar"),
        "deadlines:calendar_list",
        Capability.RULES_CONFIGURE,
        "calendar",
        group="settings",
    ),
    NavItem(_("Organisations"), "organisations:tree", Capability.ORGANISATION_VIEW, "tree"),
    NavItem(
        _("Import tree"),
        "organisations:import",
        Capability.ORGANISATION_IMPORT,
        "upload",
        group="settings",
    ),
    NavItem(_("Accounts"), "accounts:user_list", Capability.ACCOUNT_MANAGE, "users"),
    NavItem(_("Account security"), "accounts:user_list", Capability.ACCOUNT_SECURE, "shield"),
    NavItem(_("Audit trail"), "audit:event_list", Capability.AUDIT_VIEW, "log"),
    NavItem(
        _("Document templates"),
        "documents:template_list",
        Capability.ORGANISATION_MANAGE,
        "file",
        frozenset({OrganisationKind.CITY_BUREAU, OrganisationKind.DISTRICT_BUREAU}),
        group="settings",
    ),
)
SETTINGS_ENTRY = NavItem(_("Settings"), "core:configuration", None, "gear")


def has_intake(user: Any) -> bool:
    """Whether registrations by ``user`` land somewhere: an officer away from a governance
    centre has the capability but no intake of their own."""
    from tiaojie.cases.services import intake

    return intake.has_intake(user)


def items_for(user: Any) -> list[NavItem]:
    """Every entry ``user`` may use, menu and settings alike."""
    return [
        item
        for item in NAVIGATION
        if (item.capability is None or user.can(item.capability))
        and (item.organisation_kinds is None or user.organisation.kind in item.organisation_kinds)
        and (item.when is None or item.when(user))
    ]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav_items": []}
    usable = items_for(user)
    items = [item for item in usable if item.group == "main"]
    if any(item.group == "settings" for item in usable):
        items.append(SETTINGS_ENTRY)
    current = request.resolver_match.view_name if request.resolver_match else ""
    return {"nav_items": items, "nav_current": current}
