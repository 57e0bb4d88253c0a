"""``manage.py screening_scan``: the nightly job. Opens this period's rounds for every
organisation that screens, then marks each open round past its due day overdue (it then shows
on the overdue page of the levels above). Safe to run twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tiaojie.screening.services.rounds import mark_overdue, rounds_open


class Command(BaseCommand):
    help = "Open this period's screening rounds and mark overdue ones. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        opened = rounds_open()
        marked = mark_overdue()
        self.stdout.write(f"{opened} screening rounds opened, {marked} marked overdue.")
