"""Background work of the deadlines app: thin, through one function."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from tiaojie.deadlines.digest import send_digest
from tiaojie.deadlines.scan import run_daily


@task()
def scan_deadlines_task(date: str | None = None) -> None:
    """The nightly job (supervision escalation, then the deadline scan) (``date``: YYYY-MM-DD, default today). django-tasks has no
    scheduler: cron enqueues it or runs ``manage.py scan_deadlines`` (docs/deadlines.md)."""

    run_daily(dt.date.fromisoformat(date) if date else None)


@task()
def send_digest_task(date: str | None = None) -> None:
    """The daily digest (``date``: YYYY-MM-DD, default today); cron enqueues it after the scan."""

    send_digest(dt.date.fromisoformat(date) if date else None)
