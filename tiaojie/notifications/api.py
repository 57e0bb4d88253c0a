"""API of notifications: the same services as the pages; a caller sees only their own."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from tiaojie.core.api import ERRORS, PAGE, PAGE_SIZE, Page, caller, paginate
from tiaojie.notifications import selectors, services
from tiaojie.notifications.schemas import MarkedOut, NotificationOut, UnreadCountOut

router = Router(tags=["Notifications"])


@router.get(
    "/notifications",
    response={200: Page[NotificationOut], **ERRORS},
    operation_id="notifications_list",
)
def notifications_list(
    request: HttpRequest, unread: bool = False, page: int = PAGE, page_size: int = PAGE_SIZE
) -> dict[str, Any]:
    """The caller's notifications, unread first (``unread=true``: only those)."""
    return paginate(selectors.notifications_for(caller(request), unread=unread), page, page_size)


@router.get(
    "/notifications/unread-count",
    response={200: UnreadCountOut, **ERRORS},
    operation_id="notifications_unread_count",
)
def notifications_unread_count(request: HttpRequest) -> dict[str, int]:
    return {"unread": selectors.unread_count(caller(request))}


@router.post(
    "/notifications/{id:notification_id}/read",
    response={200: NotificationOut, **ERRORS},
    operation_id="notifications_mark_read",
)
def notifications_mark_read(request: HttpRequest, notification_id: int) -> Any:
    """Mark one of the caller's notifications read (404 for anyone else's)."""
    actor = caller(request)
    notification = selectors.own_or_404(actor, notification_id)
    return services.notification_mark_read(actor=actor, notification=notification)


@router.post(
    "/notifications/read-all",
    response={200: MarkedOut, **ERRORS},
    operation_id="notifications_mark_all_read",
)
def notifications_mark_all_read(request: HttpRequest) -> dict[str, int]:
    return {"marked": services.notification_mark_all_read(actor=caller(request))}
