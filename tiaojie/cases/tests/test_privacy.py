"""PIPL: an access request exports everything held on one person within scope, audited
without the number; anonymisation after retention clears personal data, idempotently, with a
dry run (issue 16)."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path

from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases import privacy
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.models import Case, Party
from tiaojie.cases.search import matches
from tiaojie.cases.tests.factories import LI_ID, WANG_ID, register
from tiaojie.core.crypto import blind_index_candidates


def _archive(case: Case, years_ago: int) -> None:
    # Walking a case through every step to the archive is other tests' work; here only the
    # archive date matters.
    on = timezone.localdate() - dt.timedelta(days=365 * years_ago + 3)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.ARCHIVED, archived_on=on)


def test_the_director_downloads_everything_held_on_one_person(
    world: World, client_as: Callable[[str], Client]
) -> None:
    case = register(world.user("demo_mediator"))
    client = client_as("demo_director")
    response = client.post(
        "/cases/personal-information/", {"id_number": WANG_ID, "reason": "王建华本人书面申请"}
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    body = json.loads(response.content)
    assert [p["name"] for p in body["parties"]] == ["王建华"]
    party = body["parties"][0]
    assert party["id_number"] == WANG_ID and party["phone"] == "13812345678"
    assert party["case"]["number"] == case.number
    assert body["processing"] and all(e["time"] and e["event"] for e in body["processing"])
    event = AuditEvent.objects.get(event_type=EventType.PERSONAL_DATA_REQUEST_EXPORTED)
    assert event.actor_username == "demo_director"
    assert event.after == {"parties": 1, "cases": 1}
    # The number itself is not in the trail.
    assert WANG_ID not in json.dumps([event.after, event.reason, event.object_repr])


def test_cases_outside_the_requesters_scope_are_not_exported(
    world: World, client_as: Callable[[str], Client]
) -> None:
    # The same person in a case of another committee (梨园), which 东湖's director cannot read.
    register(world.user("demo_mediator_b"))
    response = client_as("demo_director").post(
        "/cases/personal-information/", {"id_number": WANG_ID, "reason": "本人申请"}
    )
    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert "没有" in response.content.decode()
    everything = privacy.export_person(actor=None, id_number=WANG_ID, reason="x")
    assert everything.parties == 1


def test_administrators_have_no_such_page(client_as: Callable[[str], Client]) -> None:
    for who in ("demo_sysadmin", "demo_secadmin", "demo_auditadmin", "demo_mediator"):
        assert client_as(who).get("/cases/personal-information/").status_code == 403


def test_the_command_exports_over_every_case(world: World, tmp_path: Path) -> None:
    register(world.user("demo_mediator"))
    out = tmp_path / "request.json"
    call_command(
        "personal_data_export", LI_ID, reason="信访转来申请", output=out, stdout=io.StringIO()
    )
    body = json.loads(out.read_text(encoding="utf-8"))
    assert [p["name"] for p in body["parties"]] == ["李秀英"]
    assert AuditEvent.objects.filter(
        event_type=EventType.PERSONAL_DATA_REQUEST_EXPORTED, actor__isnull=True
    ).exists()


@override_settings(TIAOJIE_RETENTION_YEARS=10)
def test_parties_of_cases_past_retention_are_anonymised_once(world: World) -> None:
    old = register(
        world.user("demo_mediator"),
        narrative="王建华称李秀英家漏水。",
        summary="王建华诉李秀英漏水",
    )
    recent = register(world.user("demo_mediator"))
    _archive(old, years_ago=11)
    _archive(recent, years_ago=9)

    dry = io.StringIO()
    call_command("anonymise_expired", "--dry-run", stdout=dry)
    assert old.number in dry.getvalue() and recent.number not in dry.getvalue()
    assert "1 cases" in dry.getvalue()
    assert Party.objects.filter(case=old, name="王建华").exists()
    assert not AuditEvent.objects.filter(event_type=EventType.PERSONAL_DATA_ANONYMISED).exists()

    call_command("anonymise_expired", stdout=io.StringIO())
    parties = list(Party.objects.filter(case=old))
    assert {p.name for p in parties} == {"某某"}
    assert all(p.id_number == p.phone == p.address == "" for p in parties)
    assert all(p.id_number_index == p.phone_index == "" for p in parties)
    old.refresh_from_db()
    assert "王建华" not in old.narrative + old.summary + old.requests
    assert old.narrative == "某某称某某家漏水。"
    condition = matches("王建华")
    assert condition is not None
    assert not Case.objects.filter(pk=old.pk).filter(condition).exists()
    assert Case.objects.filter(pk=recent.pk).filter(condition).exists()
    # The blind index no longer finds the person in the old case; the recent one still does.
    found = Party.objects.filter(
        id_number_index__in=blind_index_candidates(WANG_ID, purpose="party.id_number")
    )
    assert {p.case_id for p in found} == {recent.pk}
    event = AuditEvent.objects.get(event_type=EventType.PERSONAL_DATA_ANONYMISED)
    assert event.object_id == str(old.pk) and event.after == {"parties": 2, "retention_years": 10}

    again = io.StringIO()
    call_command("anonymise_expired", stdout=again)
    assert "0 cases" in again.getvalue()
    assert AuditEvent.objects.filter(event_type=EventType.PERSONAL_DATA_ANONYMISED).count() == 1
