"""Navigation by role: each user sees only the menu entries their role can use (the entries
are registered by ``workbench``; ``core.menu``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tiaojie.core.menu import SETTINGS_ENTRY, items_for, sections


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav_items": [], "nav_sections": []}
    usable = items_for(user)
    items = [item for item in usable if item.group == "main"]
    if any(item.group == "settings" for item in usable):
        items.append(SETTINGS_ENTRY)
    current = request.resolver_match.view_name if request.resolver_match else ""
    return {"nav_items": items, "nav_sections": sections(items), "nav_current": current}
