"""The user's own notifications: the list, opening one, marking read."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tiaojie.core.access import SIGNED_IN, access
from tiaojie.core.types import AuthedRequest
from tiaojie.notifications import selectors, services

PAGE_SIZE = 50


def _list_context(request: AuthedRequest) -> dict[str, object]:
    unread_only = request.GET.get("unread") == "1"
    qs = selectors.notifications_for(request.user, unread=unread_only)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "page": page,
        "unread_only": unread_only,
        "query": "unread=1" if unread_only else "",
        "unread_notifications": selectors.unread_count(request.user),
    }


@access(SIGNED_IN)
def notification_list(request: AuthedRequest) -> HttpResponse:
    """Unread first, then the rest, newest first."""
    context = _list_context(request)
    if request.htmx and not request.htmx.boosted:
        return render(request, "notifications/partials/list.html", context)
    return render(request, "notifications/list.html", context)


@access(SIGNED_IN)
def notification_open(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go where it points (the list if nowhere)."""
    notification = selectors.own_or_404(request.user, pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@access(SIGNED_IN)
@require_POST
def notification_read(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark one read; htmx gets the row back, a plain form goes back to the list."""
    notification = selectors.own_or_404(request.user, pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    if request.htmx:
        return render(
            request,
            "notifications/partials/row.html",
            {
                "n": notification,
                "oob_badge": True,
                "unread_notifications": selectors.unread_count(request.user),
            },
        )
    return redirect("notifications:list")


@access(SIGNED_IN)
@require_POST
def notification_read_all(request: AuthedRequest) -> HttpResponse:
    services.notification_mark_all_read(actor=request.user)
    if request.htmx:
        return render(request, "notifications/partials/list.html", _list_context(request))
    return redirect("notifications:list")
