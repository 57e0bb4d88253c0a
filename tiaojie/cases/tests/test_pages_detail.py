"""A case's page: scoped, personal data masked until an audited reveal, the timeline, the
deadline, and only the next allowed actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.models import Case
from tiaojie.cases.tests import factories as f
from tiaojie.core.masking import mask_id_number, mask_phone
from tiaojie.documents.tests.sample import full_case


def detail(case: Case) -> str:
    return reverse("cases:case_detail", args=[case.pk])


@pytest.mark.parametrize("username", ["demo_mediator", "demo_director", "demo_district"])
def test_the_page_never_shows_personal_data_in_full(
    world: World, client_as: Callable[[str], Client], username: str
) -> None:
    case = f.register(world.user("demo_mediator"))
    html = client_as(username).get(detail(case)).content.decode()
    assert f.WANG_ID not in html and "13812345678" not in html and "3栋201室" not in html
    assert mask_id_number(f.WANG_ID) in html and mask_phone("13812345678") in html
    assert not AuditEvent.objects.filter(event_type=EventType.PERSONAL_DATA_VIEWED).exists()


def test_revealing_the_parties_shows_them_in_full_and_is_audited(
    world: World, client_as: Callable[[str], Client]
) -> None:
    case = f.register(world.user("demo_mediator"))
    client = client_as("demo_director")
    url = reverse("cases:parties_reveal", args=[case.pk])
    response = client.post(url, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert f.WANG_ID in html and "13812345678" in html and "东湖社区3栋201室" in html
    assert "<html" not in html
    event = AuditEvent.objects.get(event_type=EventType.PERSONAL_DATA_VIEWED)
    assert event.object_id == str(case.pk) and event.actor == world.user("demo_director")
    assert sorted((event.after or {})["parties"]) == sorted(
        case.parties.values_list("pk", flat=True)
    )
    assert "id_number" in (event.after or {})["fields"]


def test_a_role_without_personal_data_cannot_reveal(
    world: World, client_as: Callable[[str], Client]
) -> None:
    case = f.register(world.user("demo_mediator"))
    client = client_as("demo_district")
    assert "parties/reveal" not in client.get(detail(case)).content.decode()
    assert client.post(reverse("cases:parties_reveal", args=[case.pk])).status_code == 403
    assert not AuditEvent.objects.filter(event_type=EventType.PERSONAL_DATA_VIEWED).exists()


def test_revealing_needs_a_post(world: World, client_as: Callable[[str], Client]) -> None:
    case = f.register(world.user("demo_mediator"))
    url = reverse("cases:parties_reveal", args=[case.pk])
    assert client_as("demo_mediator").get(url).status_code == 405


def test_another_committee_gets_not_found(world: World, client_as: Callable[[str], Client]) -> None:
    case = f.register(world.user("demo_mediator"))
    assert client_as("demo_mediator_b").get(detail(case)).status_code == 404
    assert (
        client_as("demo_mediator_b").get(reverse("cases:case_detail", args=[0])).status_code == 404
    )


def test_the_timeline_tells_the_story_in_order(
    world: World, client_as: Callable[[str], Client]
) -> None:
    mediator = world.user("demo_mediator")
    case = f.to_agreement(mediator, f.register(mediator))
    response = client_as("demo_mediator").get(detail(case))
    kinds = [entry.kind for entry in response.context["timeline"]]
    assert kinds.count("move") == 3 and kinds.count("signature") == 4
    assert kinds.index("agreement") < kinds.index("signature")
    assert kinds[-1] == "move"  # agreement reached, after the signatures
    assert "协1" in response.content.decode()
    # A move whose title says its status already shows no tag repeating it.
    accepted = next(e for e in response.context["timeline"] if e.status == "accepted")
    assert str(accepted.title) == "已受理" and accepted.status_tag == ""
    assert '已受理</strong> <span class="tag' not in response.content.decode()


def test_only_the_next_moves_are_offered(world: World, client_as: Callable[[str], Client]) -> None:
    mediator = world.user("demo_mediator")
    case = f.register(mediator)
    names = [s.name for s in client_as("demo_mediator").get(detail(case)).context["specs"]]
    assert names[:1] == ["accept"] and "decline" in names
    assert "start_mediation" not in names and "archive" not in names
    officer = client_as("demo_street").get(detail(case)).context["specs"]
    assert officer == []


def test_an_overdue_deadline_is_flagged(
    world: World, client_as: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    mediator = world.user("demo_mediator")
    case = f.to_mediation(mediator, f.register(mediator))
    later = timezone.localdate() + dt.timedelta(days=60)
    monkeypatch.setattr("tiaojie.cases.views.detail.timezone.localdate", lambda: later)
    response = client_as("demo_mediator").get(detail(case))
    assert response.context["overdue"] is True
    assert 'class="overdue"' in response.content.decode()


def test_accepting_asks_for_a_note_not_a_reason(
    world: World, client_as: Callable[[str], Client]
) -> None:
    case = f.register(world.user("demo_mediator"))
    url = reverse("cases:case_action", args=[case.pk]) + "?do=accept"
    form = client_as("demo_mediator").get(url).context["form"]
    assert str(form.fields["reason"].label) == "受理备注" and not form.fields["reason"].required


def test_a_full_case_page_reads_each_record_once(
    world: World, client_as: Callable[[str], Client]
) -> None:
    """The case page of a case with every record (agreement, signatures, follow-up, a pending
    judicial confirmation) reads its confirmations and attachments once, for its timeline and
    its panels alike (ADR 0070; the page's statements are pinned in test_query_counts)."""
    case = full_case(world.user("demo_mediator"))
    client = client_as("demo_mediator")
    client.get(detail(case))  # the session and the user, once
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(detail(case)).content.decode()
    assert "东湖区人民法院" in html  # the pending confirmation, in the panel and the timeline
    tables = [
        q["sql"].split(" FROM ")[1].split()[0] for q in ctx.captured_queries if " FROM " in q["sql"]
    ]
    for table in ('"cases_judicialconfirmation"', '"cases_attachment"'):
        assert tables.count(table) == 1, "\n".join(tables)
