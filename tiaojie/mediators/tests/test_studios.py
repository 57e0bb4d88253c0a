"""调解工作室: a committee's director registers a brand room and a mediator's personal studio,
edits and closes one; the list, the standards page and the mediator's page show them; every
refusal is in Chinese and leaves nothing behind; another committee's staff get 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.mediators import studios
from tiaojie.mediators.models_studios import Studio
from tiaojie.mediators.studios import StudioData
from tiaojie.mediators.tests.helpers import register

Clients = Callable[[str], Client]
COMMITTEE_A = "东湖社区人民调解委员会"
COMMITTEE_B = "梨园社区人民调解委员会"


def _personal(name: str, mediator_id: int | None, day: dt.date = dt.date(2025, 3, 1)) -> StudioData:
    return StudioData(name=name, kind="personal", mediator_id=mediator_id, opened_on=day)


def test_register_edit_and_close(world: World) -> None:
    director = world.user("demo_director")
    committee = world.org(COMMITTEE_A)
    zhang = register(director, serial=701, name="张三")
    personal = studios.studio_add(
        actor=director, committee=committee, data=_personal("金牌调解员张三工作室", zhang.pk)
    )
    brand = studios.studio_add(
        actor=director,
        committee=committee,
        data=StudioData("老娘舅调解工作室", "brand", None, dt.date(2024, 5, 1), hours="周一至周五"),
    )
    assert list(studios.led_by(zhang)) == [personal]
    edited = studios.studio_edit(
        actor=director,
        studio=brand,
        data=StudioData("老娘舅调解室", "brand", None, dt.date(2024, 5, 1), address="社区二楼"),
        version=brand.version,
    )
    assert (edited.name, edited.address, edited.version) == ("老娘舅调解室", "社区二楼", 2)
    # The form's version is now stale: refused, nothing changed.
    with pytest.raises(Conflict, match="其他人"):
        studios.studio_edit(
            actor=director,
            studio=brand,
            data=StudioData("别名", "brand", None, dt.date(2024, 5, 1)),
            version=1,
        )
    studios.studio_close(actor=director, studio=personal, closed_on=dt.date(2026, 1, 31), version=1)
    assert list(studios.led_by(zhang)) == []
    assert [s.name for s in studios.studios_for(director, state="open")] == ["老娘舅调解室"]
    assert [s.name for s in studios.studios_for(director, state="closed")] == [
        "金牌调解员张三工作室"
    ]
    # The closed studio's name is free again for a new open one.
    studios.studio_add(
        actor=director, committee=committee, data=_personal("金牌调解员张三工作室", zhang.pk)
    )
    kinds = sorted(
        AuditEvent.objects.filter(
            event_type__in=[
                EventType.STUDIO_ADDED,
                EventType.STUDIO_EDITED,
                EventType.STUDIO_CLOSED,
            ]
        ).values_list("event_type", flat=True)
    )
    assert kinds == [1302, 1302, 1302, 1303, 1304]


def test_refusals_are_in_chinese_and_write_nothing(world: World) -> None:
    director = world.user("demo_director")
    committee = world.org(COMMITTEE_A)
    other = register(world.user("demo_district"), world.org(COMMITTEE_B), serial=702, name="李四")
    zhang = register(director, serial=703, name="张三")
    with pytest.raises(ValidationFailed) as out:
        studios.studio_add(actor=director, committee=committee, data=_personal("无人工作室", None))
    assert "领衔调解员" in out.value.fields["mediator"][0]
    with pytest.raises(ValidationFailed) as out:
        studios.studio_add(
            actor=director, committee=committee, data=_personal("李四工作室", other.pk)
        )
    assert COMMITTEE_A in out.value.fields["mediator"][0]
    made = studios.studio_add(
        actor=director, committee=committee, data=_personal("张三工作室", zhang.pk)
    )
    with pytest.raises(ValidationFailed) as out:
        studios.studio_add(
            actor=director, committee=committee, data=_personal("张三工作室", zhang.pk)
        )
    assert out.value.code == "studio_exists"
    assert "已有" in out.value.fields["name"][0]
    with pytest.raises(ValidationFailed) as out:
        studios.studio_close(
            actor=director, studio=made, closed_on=dt.date(2025, 2, 1), version=None
        )
    assert "开设" in out.value.fields["closed_on"][0]
    # A mediator reads the registry but does not keep it; committee B is not A's director's.
    with pytest.raises(NotPermitted):
        studios.studio_add(
            actor=world.user("demo_mediator"), committee=committee, data=_personal("甲", zhang.pk)
        )
    with pytest.raises(ValidationFailed):
        studios.studio_add(
            actor=director, committee=world.org(COMMITTEE_B), data=_personal("乙", other.pk)
        )
    assert Studio.objects.count() == 1


def test_pages_show_what_a_user_sees(world: World, client_as: Clients) -> None:
    director = client_as("demo_director")
    zhang = register(world.user("demo_director"), serial=704, name="张三")
    committee = world.org(COMMITTEE_A)
    assert (
        reverse("mediators:studio_list")
        in director.get(reverse("mediators:committee_standards")).content.decode()
    )
    # A personal studio without its mediator is refused in words on the form.
    refused = director.post(
        reverse("mediators:studio_add"),
        {
            "committee": committee.pk,
            "name": "张三工作室",
            "kind": "personal",
            "opened_on": "2025-03-01",
        },
    )
    assert refused.status_code == 422
    assert "领衔调解员" in refused.content.decode()
    made = director.post(
        reverse("mediators:studio_add"),
        {
            "committee": committee.pk,
            "name": "金牌调解员张三工作室",
            "kind": "personal",
            "mediator": zhang.pk,
            "opened_on": "2025-03-01",
        },
    )
    assert made.status_code == 302
    listed = director.get(reverse("mediators:studio_list")).content.decode()
    assert "金牌调解员张三工作室" in listed and "个人调解工作室" in listed
    page = director.get(reverse("mediators:mediator_detail", args=[zhang.pk])).content.decode()
    assert "个人工作室" in page and "金牌调解员张三工作室" in page
    studio = Studio.objects.get()
    # Committee B's mediator does not find A's studio.
    assert (
        client_as("demo_mediator_b")
        .get(reverse("mediators:studio_list"))
        .content.decode()
        .count("金牌调解员张三工作室")
        == 0
    )
    assert (
        client_as("demo_street").get(reverse("mediators:studio_edit", args=[studio.pk])).status_code
        == 200
    )
    closed = director.post(
        reverse("mediators:studio_close", args=[studio.pk]),
        {"closed_on": "2026-01-31", "version": studio.version},
    )
    assert closed.status_code == 302
    closed_list = director.get(reverse("mediators:studio_list") + "?state=closed").content.decode()
    assert "金牌调解员张三工作室" in closed_list
    assert (
        "金牌调解员张三工作室"
        not in director.get(reverse("mediators:studio_list")).content.decode()
    )
