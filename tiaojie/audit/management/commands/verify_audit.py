"""``manage.py verify_audit``: recompute the audit chain; exit 1 on any change or gap."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tiaojie.audit import chain
from tiaojie.audit.models import AuditChainHead


class Command(BaseCommand):
    help = "Verify the tamper-evident audit trail: every event unchanged, none missing."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = list(chain.verify())
        for problem in problems:
            self.stderr.write(f"event {problem.seq}: {problem.what}")
        if problems:
            raise CommandError(f"The audit trail does not verify: {len(problems)} problem(s).")
        head = AuditChainHead.objects.filter(pk=1).first()
        count = head.seq if head else 0
        algorithm = head.algorithm if head else chain.algorithm()
        self.stdout.write(f"The audit trail verifies: {count} chained events ({algorithm}).")
