"""The menu's registry: ``core`` shows the menu (``context_processors.navigation``, the
settings page) but knows no domain app; the top-layer ``workbench`` registers the entries at
start-up (``workbench/menu.py``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    capability: str | None  # a capability's value; ``user.can`` decides
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


SETTINGS_ENTRY = NavItem(_("Settings"), "core:configuration", None, "gear")

_ENTRIES: list[NavItem] = []


def register(items: Iterable[NavItem]) -> None:
    """Add menu entries, in order (called once at start-up; twice adds nothing)."""
    for item in items:
        if item not in _ENTRIES:
            _ENTRIES.append(item)


def entries() -> tuple[NavItem, ...]:
    """Every registered entry, in the menu's order."""
    return tuple(_ENTRIES)


def items_for(user: Any) -> list[NavItem]:
    """Every entry ``user`` may use, menu and settings alike."""
    return [
        item
        for item in _ENTRIES
        if (item.capability is None or user.can(item.capability))
        and (item.organisation_kinds is None or user.organisation.kind in item.organisation_kinds)
        and (item.when is None or item.when(user))
    ]
