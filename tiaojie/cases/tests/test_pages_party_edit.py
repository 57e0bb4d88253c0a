"""A mediator corrects a party after registration; the form's full view is audited."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.models import Case
from tiaojie.cases.tests import factories as f


def test_a_mediator_adds_the_respondents_id_number_later(
    world: World, client_as: Callable[[str], Client]
) -> None:
    case = f.register(world.user("demo_mediator"))
    respondent = case.parties.get(name="李秀英")
    client = client_as("demo_mediator")
    url = f"/cases/{case.pk}/parties/{respondent.pk}/edit/"
    page = client.get(url)
    assert page.status_code == 200 and f.LI_ID in page.content.decode()
    assert AuditEvent.objects.filter(
        event_type=EventType.PERSONAL_DATA_VIEWED, actor_username="demo_mediator"
    ).exists()
    form = {
        "role": "respondent",
        "kind": "person",
        "name": "李秀英",
        "id_number": f.LI_ID,
        "phone": "13700001111",
        "address": "东湖社区3栋301室",
        "version": Case.objects.get(pk=case.pk).version,
    }
    assert client.post(url, form).status_code == 302
    respondent.refresh_from_db()
    assert respondent.phone == "13700001111"
    stale = client.post(url, {**form, "phone": "13900002222"})
    assert stale.status_code == 200 and 'value="13900002222"' in stale.content.decode()
    respondent.refresh_from_db()
    assert respondent.phone == "13700001111"


def test_an_officer_cannot_open_the_edit_form(
    world: World, client_as: Callable[[str], Client]
) -> None:
    case = f.register(world.user("demo_mediator"))
    party = case.parties.first()
    assert party is not None
    response = client_as("demo_street").get(f"/cases/{case.pk}/parties/{party.pk}/edit/")
    assert response.status_code == 403
