"""``manage.py escalate_supervisions``: the daily scan raising every overdue supervision a
level (safe to run twice). The deadlines app's daily scan may call ``escalate_overdue`` instead."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tiaojie.supervision.services.supervision import escalate_overdue


class Command(BaseCommand):
    help = "Escalate overdue supervised cases to the next level. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{escalate_overdue()} supervisions escalated.")
