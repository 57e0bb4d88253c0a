"""Background work of the notifications app: thin, through one function."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from tiaojie.notifications.digest import send_digest


@task()
def send_digest_task(date: str | None = None) -> None:
    """The daily digest (``date``: YYYY-MM-DD, default today); cron enqueues it after the scan."""

    send_digest(dt.date.fromisoformat(date) if date else None)
