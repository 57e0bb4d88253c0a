#!/usr/bin/env python
"""What the task worker spends on delivering a case's events, beyond the listeners' own work.

Builds a throw-away database with the demo network and accounts, then registers ``--cases``
disputes as ``demo_mediator`` (two parties each) and accepts each, through the services: the
outbox then holds a ``case.registered`` and a ``case.moved`` event per case, undelivered (the
production task backend only queues their delivery; no worker runs here). For each event, in
order, it times in the same process:

1. the baseline: every listener of the event called directly, in a transaction rolled back
   afterwards, as if delivery cost nothing;
2. ``core.events.deliver``: the same listeners with their receipts, their savepoints and the
   event marked delivered (committed).

It prints p50 / p95 / mean ms per event name for both, the ratio, and the statements of each.
The baseline runs first, so its reads warm the caches the delivery then finds. It asserts
nothing about speed and is not part of the test suite (bench/README.md).

    .venv/bin/python bench/event_delivery.py [--cases 200] [--database-url URL]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from collections import defaultdict

from org_tree import database_label, percentile, throwaway_database

FAST_HASHERS = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "TASKS": {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
}


class RolledBack(Exception):
    """Raised to undo the baseline's writes."""


def make_cases(count: int) -> None:
    """``count`` registered and accepted cases with two parties each, through the services."""
    from django.utils import timezone

    from tiaojie.accounts.demo import seed_demo
    from tiaojie.accounts.models import User
    from tiaojie.cases.models import DisputeType
    from tiaojie.cases.services.intake import CaseData, PartyData, case_register
    from tiaojie.cases.workflow import transition

    seed_demo()
    mediator = User.objects.get(username="demo_mediator")
    kind = DisputeType.objects.valid_on(timezone.localdate()).get(code="neighbours")
    for n in range(count):
        case = case_register(
            actor=mediator,
            data=CaseData(
                dispute_type=kind,
                source="application",
                summary=f"邻里漏水纠纷第{n}件",
                parties=[
                    PartyData(role="applicant", name="王秀英", phone="13800138000"),
                    PartyData(role="respondent", name="李卫东", phone="13900139000"),
                ],
            ),
        )
        transition(actor=mediator, case=case, action="accept")


def measure() -> dict[str, dict[str, list[float]]]:
    """Per event name: the baseline's and the delivery's milliseconds and statements."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from tiaojie.core import events
    from tiaojie.core.models import OutboxEvent

    figures: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for event in OutboxEvent.objects.filter(delivered_at__isnull=True).order_by("pk"):
        message = events.Event(event.pk, event.name, dict(event.payload), event.created_at)
        listeners = list(events.listeners_of(event.name).values())
        if not listeners:
            continue
        row = figures[event.name]
        connection.queries_log.clear()  # a full log (9,000 statements) would count nothing
        with CaptureQueriesContext(connection) as bare:
            try:
                with transaction.atomic():
                    started = time.perf_counter()
                    for listener in listeners:
                        listener(message)
                    row["bare_ms"].append((time.perf_counter() - started) * 1000)
                    raise RolledBack
            except RolledBack:
                pass
        with CaptureQueriesContext(connection) as delivered:
            started = time.perf_counter()
            events.deliver(event.pk)
            row["deliver_ms"].append((time.perf_counter() - started) * 1000)
        # The baseline's own transaction (savepoint, rollback) is not the listeners' work.
        row["bare_q"].append(len(bare.captured_queries) - 2)
        row["deliver_q"].append(len(delivered.captured_queries))
        row["listeners"].append(len(listeners))
    return figures


def report(figures: dict[str, dict[str, list[float]]]) -> None:
    header = (
        f"{'event':<18}{'n':>5}{'listeners':>10}{'alone p50':>11}{'p95':>8}{'mean':>8}"
        f"{'delivered p50':>15}{'p95':>8}{'mean':>8}{'mean ratio':>12}{'statements':>13}"
    )
    print(header)
    print("-" * len(header))
    for name, row in sorted(figures.items()):
        bare, done = row["bare_ms"], row["deliver_ms"]
        print(
            f"{name:<18}{len(done):>5}{int(row['listeners'][0]):>10}"
            f"{statistics.median(bare):>11.2f}{percentile(bare, 0.95):>8.2f}"
            f"{statistics.fmean(bare):>8.2f}{statistics.median(done):>15.2f}"
            f"{percentile(done, 0.95):>8.2f}{statistics.fmean(done):>8.2f}"
            f"{statistics.fmean(done) / statistics.fmean(bare):>11.2f}×"
            f"{statistics.median(row['bare_q']):>6.0f} → {statistics.median(row['deliver_q']):.0f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with throwaway_database(args.database_url, FAST_HASHERS, prefix="tiaojie-bench-events-"):
        make_cases(args.cases)
        print(
            f"Event delivery on {database_label()} (Python {platform.python_version()}); "
            f"{args.cases} cases registered and accepted"
        )
        report(measure())


if __name__ == "__main__":
    main()
