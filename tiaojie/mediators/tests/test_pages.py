"""The registry's pages as users meet them: register (refusals beside the field), the roster
masked and scoped, the audited reveal, a stale edit refused with the input kept, status and
memberships, the grade ladder."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.mediators.choices import MediatorStatus
from tiaojie.mediators.models import Mediator
from tiaojie.mediators.services import ladder_set
from tiaojie.mediators.tests.helpers import id_number, register

Clients = Callable[[str], Client]
A = "东湖社区人民调解委员会"


def _form(world: World, **changes: str) -> dict[str, str]:
    return {
        "committee": str(world.org(A).pk),
        "role": "member",
        "name": "周文华",
        "id_number": id_number(7),
        "phone": "13900001111",
        "address": "湖北省武汉市武昌区东湖路1号",
        "employment": "full_time",
        "source": "retired_judge",
        "education": "bachelor",
        "political_status": "party_member",
        "certificate_number": "TJ-2024-0007",
        "certified": "on",
        **changes,
    }


def test_registering_a_mediator_from_the_page(world: World, client_as: Clients) -> None:
    grades = ladder_set(actor=world.user("demo_district"), names=["初级", "中级"])
    client = client_as("demo_director")
    response = client.post(
        reverse("mediators:mediator_create"), _form(world, grade=str(grades[1].pk))
    )
    mediator = Mediator.objects.get(name="周文华")
    assert response.status_code == 302
    page = client.get(reverse("mediators:mediator_detail", args=[mediator.pk])).content.decode()
    assert "中级" in page and A in page
    assert id_number(7) not in page and "420***********" in page  # masked until revealed


def test_a_bad_id_number_is_refused_beside_the_field_and_nothing_is_lost(
    world: World, client_as: Clients
) -> None:
    bad = id_number(7)[:-1] + ("1" if id_number(7)[-1] != "1" else "2")
    response = client_as("demo_director").post(
        reverse("mediators:mediator_create"), _form(world, id_number=bad)
    )
    page = response.content.decode()
    assert response.status_code == 200 and "校验码" in page
    assert "周文华" in page and "TJ-2024-0007" in page
    assert not Mediator.objects.exists()


def test_the_roster_is_masked_and_scoped(world: World, client_as: Clients) -> None:
    register(world.user("demo_director"), name="王秀兰")
    register(world.user("demo_street"), world.org("梨园社区人民调解委员会"), 2, name="赵德明")
    page = client_as("demo_director").get(reverse("mediators:mediator_list")).content.decode()
    assert "王秀兰" in page and "赵德明" not in page
    assert "138****5678" in page and "13812345678" not in page
    street = client_as("demo_street").get(reverse("mediators:mediator_list"), {"q": "赵德明"})
    assert "赵德明" in street.content.decode() and "王秀兰" not in street.content.decode()


def test_revealing_personal_data_is_audited(world: World, client_as: Clients) -> None:
    mediator = register(world.user("demo_director"))
    response = client_as("demo_director").post(
        reverse("mediators:mediator_reveal", args=[mediator.pk]), headers={"HX-Request": "true"}
    )
    assert id_number(1) in response.content.decode()
    assert AuditEvent.objects.filter(
        event_type=EventType.PERSONAL_DATA_VIEWED, object_id=str(mediator.pk)
    ).exists()


def test_a_stale_edit_is_refused_and_keeps_the_input(world: World, client_as: Clients) -> None:
    mediator = register(world.user("demo_director"))
    url = reverse("mediators:mediator_edit", args=[mediator.pk])
    client = client_as("demo_director")
    assert client.get(url).status_code == 200
    form = _form(world, id_number=id_number(1), name="王秀英", version="1")
    assert client.post(url, form).status_code == 302
    stale = client.post(url, {**form, "name": "王小兰"})
    page = stale.content.decode()
    assert stale.status_code == 200 and "王小兰" in page
    mediator.refresh_from_db()
    assert mediator.name == "王秀英"


def test_suspending_from_the_page(world: World, client_as: Clients) -> None:
    mediator = register(world.user("demo_director"))
    client_as("demo_director").post(
        reverse("mediators:mediator_move", args=[mediator.pk]),
        {"action": "suspend", "reason": "长期外出", "version": "1"},
    )
    mediator.refresh_from_db()
    assert mediator.status == MediatorStatus.SUSPENDED


def test_the_bureau_sets_its_grade_ladder(world: World, client_as: Clients) -> None:
    client = client_as("demo_district")
    client.post(reverse("mediators:grade_ladder"), {"grades": "初级\n中级\n高级\n首席"})
    page = client.get(reverse("mediators:grade_ladder")).content.decode()
    assert "初级\n中级\n高级\n首席" in page
