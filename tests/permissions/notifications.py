"""Permission cases for the notifications pages and API operations: everyone signed in has a
list of their own; another's notification is "not found"."""

from __future__ import annotations

from typing import Any

from tests import personas as p
from tests.permission_kit import ApiCase, PageCase
from tiaojie.accounts.models import User


def note_of_mediator_a() -> dict[str, int]:
    from tiaojie.notifications.models import Notification
    from tiaojie.notifications.services import notify

    mediator = User.objects.get(username=p.MEDIATOR_A)
    notify([mediator], kind="other", title="权限测试", url="/", key="permission-test")
    return {"pk": Notification.objects.get(recipient=mediator, key="permission-test").pk}


def api_note_of_mediator_a() -> dict[str, Any]:
    return {"notification_id": note_of_mediator_a()["pk"]}


PAGE_CASES: list[PageCase] = [
    PageCase("notifications:list", default=200),
    PageCase("notifications:open", note_of_mediator_a, {p.MEDIATOR_A: 302}, default=404),
    PageCase(
        "notifications:read", note_of_mediator_a, {p.MEDIATOR_A: 302}, default=404, method="post"
    ),
    PageCase("notifications:read_all", default=302, method="post"),
]

API_CASES: list[ApiCase] = [
    ApiCase("notifications_list", "get", "/notifications"),
    ApiCase("notifications_unread_count", "get", "/notifications/unread-count"),
    ApiCase(
        "notifications_mark_read",
        "post",
        "/notifications/{notification_id}/read",
        api_note_of_mediator_a,
        expect={p.MEDIATOR_A: 200},
        default=404,
    ),
    ApiCase("notifications_mark_all_read", "post", "/notifications/read-all"),
]
