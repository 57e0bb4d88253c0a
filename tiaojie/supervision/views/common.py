"""Small pieces the supervision pages share."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRefresh

from tiaojie.core.types import AuthedRequest
from tiaojie.organisations.models import Organisation


def indented(orgs: list[Organisation]) -> list[tuple[int, str]]:
    """Organisations as choices, indented by depth under the shallowest."""
    top = min((o.depth for o in orgs), default=0)
    return [(o.pk, "\u3000" * (o.depth - top) + o.name) for o in orgs]


def done(request: AuthedRequest, fallback: str) -> HttpResponse:
    """After a successful action: htmx reloads the page it came from (a ledger row, the case
    page's panel, a supervision); a plain form goes to ``next`` or ``fallback``."""
    if request.htmx:
        return HttpResponseClientRefresh()
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or fallback)
