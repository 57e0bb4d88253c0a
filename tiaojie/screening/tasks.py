"""The nightly screening job as a task (cron or the worker may enqueue it)."""

from __future__ import annotations

from django_tasks import task

from tiaojie.screening.services.duplicates import suggestions_refresh
from tiaojie.screening.services.rounds import mark_overdue, rounds_open
from tiaojie.screening.services.warning import rescore_overdue_groups


@task()
def screening_scan_task() -> None:
    rounds_open()
    mark_overdue()
    rescore_overdue_groups()
    suggestions_refresh()
