"""The menu's registry: ``core`` shows the menu (``context_processors.navigation``, the
settings page) but knows no domain app; the top-layer ``workbench`` registers the entries at
start-up (``workbench/menu.py``)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
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
    # The menu's heading this entry is listed under (empty: a link of its own in the bar).
    # Entries of one section follow each other in the registry.
    section: str | Promise = ""

    @property
    def url(self) -> str:
        # The menu is on every page: reversed once per process, not once per entry per page.
        return _reversed(self.url_name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@functools.lru_cache(maxsize=512)
def _reversed(url_name: str, urlconf: str, prefix: str) -> str:
    """``reverse(url_name)`` for one URLconf and script prefix (both in the key, so a test
    that swaps the URLconf or a server mounted below a prefix gets its own answer)."""
    return reverse(url_name, urlconf=urlconf)


SETTINGS_ENTRY = NavItem(_("Settings"), "core:configuration", None, "gear")


@dataclass(frozen=True)
class NavSection:
    """A heading of the menu bar and the entries under it, as one user sees them. A section
    the user holds only one entry of is shown as that entry's link, not as a heading."""

    label: str | Promise
    items: tuple[NavItem, ...]

    @property
    def single(self) -> NavItem | None:
        return self.items[0] if len(self.items) == 1 else None


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


def sections(items: Iterable[NavItem]) -> list[NavSection]:
    """``items`` under their headings, in order: consecutive entries of one section form one
    heading; an entry without a section stands alone."""
    grouped: list[NavSection] = []
    for item in items:
        last = grouped[-1] if grouped else None
        if item.section and last is not None and last.label == item.section:
            grouped[-1] = NavSection(last.label, (*last.items, item))
        else:
            grouped.append(NavSection(item.section or item.label, (item,)))
    return grouped
