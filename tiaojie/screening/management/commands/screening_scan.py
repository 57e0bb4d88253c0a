"""``manage.py screening_scan``: the nightly job. Opens this period's rounds for every
organisation that screens, then marks each open round past its due day overdue (it then shows
on the overdue page of the levels above), scores open group disputes past their deadline
and suggests new duplicate pairs. Safe to run twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tiaojie.screening.services.duplicates import suggestions_refresh
from tiaojie.screening.services.rounds import mark_overdue, rounds_open
from tiaojie.screening.services.warning import rescore_overdue_groups


class Command(BaseCommand):
    help = "Open this period's screening rounds and mark overdue ones. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        opened = rounds_open()
        marked = mark_overdue()
        rescored = rescore_overdue_groups()
        pairs = suggestions_refresh()
        self.stdout.write(
            f"{opened} screening rounds opened, {marked} marked overdue, "
            f"{rescored} overdue group disputes scored, {pairs} new duplicate pairs."
        )
