"""Sending notifications. Every app notifies through ``notify``; pages read them through
``notifications.selectors``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.core.errors import NotPermitted
from tiaojie.notifications.error_codes import NotificationsErrorCode as E
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


def notify_rows(rows: list[Notification]) -> int:
    """Insert prepared notifications in bulk (the deadline scan's thousands at once); a row
    whose recipient already has its key is skipped by the database. Returns the rows offered."""
    Notification.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read (reading it again changes nothing)."""
    if notification.recipient_id != actor.pk:
        raise NotPermitted(E.NOT_PERMITTED, _("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, actor: User) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
