"""What a ledger import tells the audit trail and the watchers, pinned against main before the
events were built as plain rows (ADR 0048, stop 26): for a small ledger of every outcome, the
same audit events (same fields, in the chain's order) and the same domain events (same names
and payloads, in the outbox's order), whatever way the writer builds them."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.utils import timezone

from tests import personas as p
from tiaojie.accounts.models import User
from tiaojie.audit import chain
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.ledger_import import ledger_import
from tiaojie.cases.models import Agreement, Case, MediationSession, Party
from tiaojie.cases.tests.ledger_files import mixed_rows, table
from tiaojie.core.models import OutboxEvent
from tiaojie.organisations.models import Organisation

# Written by main at 5d388f4 (``LEDGER_EVENTS_WRITE=<path>`` writes what this code writes).
PINNED = Path(__file__).with_name("ledger_events_main.json")
AUDITED = (
    "event_type",
    "actor_username",
    "actor_name",
    "actor_role",
    "organisation_path",
    "object_type",
    "object_id",
    "object_repr",
    "request_id",
    "ip",
    "reason",
    "before",
    "after",
)


class Names:
    """Stable names for the ids an import's events carry (ids differ from run to run)."""

    def __init__(self, cases: list[Case]) -> None:
        order = {case.pk: index for index, case in enumerate(sorted(cases, key=lambda c: c.pk))}
        self.by_key: dict[str, dict[int, str]] = {
            "case_id": {pk: f"case {i}" for pk, i in order.items()},
            "agreement_id": {
                a.pk: f"agreement of case {order[a.case_id]}"
                for a in Agreement.objects.filter(case_id__in=order)
            },
            "session": {
                s.pk: f"session of case {order[s.case_id]}"
                for s in MediationSession.objects.filter(case_id__in=order)
            },
            "user": {u.pk: u.username for u in User.objects.all()},
            "committee_id": {o.pk: o.name for o in Organisation.objects.all()},
        }
        parties = Party.objects.filter(case_id__in=order).order_by("case_id", "pk")
        self.parties = {
            f"party {party.pk}": f"party {index} of case {order[party.case_id]}"
            for index, party in enumerate(parties)
        }
        for key in ("actor_id", "presiding_id", "mediator_ids"):
            self.by_key[key] = self.by_key["user"]

    def of(self, value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            session = value.get("record") == "session"
            return {
                k: self.of(v, "session" if session and k == "id" else k) for k, v in value.items()
            }
        if isinstance(value, list):
            return [self.of(v, key) for v in value]
        if isinstance(value, int) and not isinstance(value, bool) and key in self.by_key:
            return self.by_key[key].get(value, value)
        if isinstance(value, str) and value in self.parties:
            return self.parties[value]
        return value


def written(cases: list[Case], trail_from: int, outbox_from: int) -> dict[str, Any]:
    """The import's audit events and domain events as stored, ids named, years relative."""
    names = Names(cases)
    trail = [
        {
            name: names.of(
                int(value) if name == "object_id" and value else value,
                "case_id" if name == "object_id" else name,
            )
            for name in AUDITED
            for value in [getattr(event, name)]
        }
        for event in AuditEvent.objects.filter(seq__gt=trail_from).order_by("seq")
    ]
    outbox = [
        {"name": event.name, "payload": names.of(event.payload), "delivered": event.delivered_at}
        for event in OutboxEvent.objects.filter(pk__gt=outbox_from).order_by("pk")
    ]
    text = json.dumps({"audit": trail, "outbox": outbox}, ensure_ascii=False, indent=1)
    this_year = timezone.localdate().year
    for back in range(4):  # the test ledgers are dated back from today
        text = text.replace(str(this_year - back), f"<this year - {back}>")
    found: dict[str, Any] = json.loads(text)
    return found


def test_an_import_writes_the_events_main_wrote(db: None) -> None:
    """Every audit event (type, actor, case, reason, before and after) and every domain event
    (name and payload) of an import of every outcome, in order, is what main wrote, and the
    chain verifies."""
    director = User.objects.get(username=p.DIRECTOR_A)
    trail_from = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    outbox_from = OutboxEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    created = ledger_import(actor=director, rows=table(mixed_rows()), file_name="台账.xlsx")
    found = written(created, trail_from, outbox_from)
    if target := os.environ.get("LEDGER_EVENTS_WRITE"):
        Path(target).write_text(json.dumps(found, ensure_ascii=False, indent=1) + "\n")
    pinned = json.loads(PINNED.read_text())
    assert len(found["audit"]) == len(pinned["audit"])
    for mine, theirs in zip(found["audit"], pinned["audit"], strict=True):
        assert mine == theirs
    assert found["outbox"] == pinned["outbox"]
    assert list(chain.verify()) == []
