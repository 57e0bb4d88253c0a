"""Pages of no domain app: the settings page (the home page is ``tiaojie.workbench``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from tiaojie.core.access import SIGNED_IN, access
from tiaojie.core.menu import items_for
from tiaojie.core.types import AuthedRequest


@access(SIGNED_IN)
def configuration(request: AuthedRequest) -> HttpResponse:
    """The settings a user's role looks after (rules, calendar, templates, imports): kept off
    the daily menu. A role with none gets 403."""
    items = [item for item in items_for(request.user) if item.group == "settings"]
    if not items:
        raise PermissionDenied
    return render(request, "core/configuration.html", {"items": items})
