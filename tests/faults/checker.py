"""After a crash: read the database the writer left and report, as JSON, what a consistency
check needs (run as ``python -m tests.faults.checker`` with the same DATABASE_URL)."""

from __future__ import annotations

import io
import json
import os
import re
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    from django.core.management import call_command
    from django.db.models import Count

    from tiaojie.audit import chain
    from tiaojie.audit.events import EventType
    from tiaojie.audit.models import AuditEvent
    from tiaojie.cases.models import Case, CaseNumberCounter
    from tiaojie.core.models import OutboxEvent

    cases = list(Case.objects.annotate(n_parties=Count("parties")).order_by("pk"))
    registered = set(
        AuditEvent.objects.filter(
            event_type=EventType.CASE_REGISTERED, object_type="cases.case"
        ).values_list("object_id", flat=True)
    )
    counters = {f"{c.committee_id}:{c.year}": c.last for c in CaseNumberCounter.objects.all()}
    sequences: dict[str, list[int]] = {}
    for case in cases:
        match = re.search(r"（(\d{4})）.*第(\d+)号", case.number)
        if match:
            key = f"{case.committee_id}:{match[1]}"
            sequences.setdefault(key, []).append(int(match[2]))
    undelivered_before = OutboxEvent.objects.filter(delivered_at__isnull=True).count()
    if "--deliver" in sys.argv:
        call_command("deliver_events", stdout=io.StringIO())
    report = {
        "numbers": [c.number for c in cases],
        "without_parties": [c.number for c in cases if getattr(c, "n_parties", 0) != 2],
        "without_audit": [c.number for c in cases if str(c.pk) not in registered],
        "counters": counters,
        "sequences": sequences,
        "chain_problems": [p.what for p in chain.verify()],
        "undelivered_before": undelivered_before,
        "undelivered_after": OutboxEvent.objects.filter(delivered_at__isnull=True).count(),
    }
    sys.stdout.write(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
