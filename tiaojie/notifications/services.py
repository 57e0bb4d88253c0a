"""Sending notifications. Every app notifies through ``notify``; pages read them through
``notifications.selectors``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from tiaojie.notifications.models import Notification

if TYPE_CHECKING:
    from tiaojie.accounts.models import User
    from tiaojie.cases.models import Case


def notify(
    recipients: Iterable[User],
    *,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    case: Case | None = None,
    key: str = "",
) -> int:
    """Notify each active recipient once; with a ``key``, a recipient who already has a
    notification with that key gets nothing new (so a scan may run twice). Returns how many
    notifications were created. Titles are written in the language active when called: callers
    in background jobs activate the recipient's language or zh-Hans first."""
    people = {user.pk: user for user in recipients if user.is_active}
    if key:
        already = set(
            Notification.objects.filter(recipient_id__in=people, key=key).values_list(
                "recipient_id", flat=True
            )
        )
        people = {pk: user for pk, user in people.items() if pk not in already}
    rows = [
        Notification(recipient=user, kind=kind, title=title, body=body, url=url, case=case, key=key)
        for user in people.values()
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=bool(key))
    return len(rows)
