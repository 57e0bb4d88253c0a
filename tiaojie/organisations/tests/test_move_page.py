"""The 迁移 page: choose the new parent and a reason, see what moves, confirm; a refusal is
shown beside its field with what was typed kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.organisations.models import Organisation

COMMITTEE = "东湖社区人民调解委员会"
OLD_STREET = "东湖街道司法所"
NEW_STREET = "青山街道司法所"


def _url(world: World, name: str = COMMITTEE) -> str:
    return f"/organisations/{world.org(name).pk}/move/"


def test_the_page_offers_places_of_the_right_kind_and_says_what_moves(
    client_as: Callable[[str], Client], world: World
) -> None:
    page = client_as("demo_city").get(_url(world))
    html = page.content.decode()
    assert page.status_code == 200
    choices = dict(
        (value, label)
        for _group, options in page.context["form"].fields["parent"].widget.choices[1:]
        for value, label in options
    )
    names = {Organisation.objects.get(pk=int(pk)).name for pk in choices}
    # Offices and bureaus may hold a committee; its own street (where it is) and its grids not.
    assert NEW_STREET in names and "西山区司法局" in names
    assert OLD_STREET not in names and _grid_of(world.org(COMMITTEE)).name not in names
    preview = page.context
    assert (
        preview["units_below"] == Organisation.objects.subtree_of(world.org(COMMITTEE)).count() - 1
    )
    assert preview["staff_moving"] >= 2  # its mediator and director
    assert "迁移东湖社区人民调解委员会" in html and "随之迁移的下级机构" in html


def test_the_city_officer_moves_a_committee_and_its_page_shows_the_new_street(
    client_as: Callable[[str], Client], world: World
) -> None:
    committee = world.org(COMMITTEE)
    client = client_as("demo_city")
    response = client.post(
        _url(world),
        {
            "parent": world.org(NEW_STREET).pk,
            "reason": "行政区划调整",
            "version": committee.version,
        },
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/organisations/{committee.pk}/"
    assert "已迁移" in html
    breadcrumb = html.split('class="breadcrumb"', 1)[1].split("</nav>", 1)[0]
    assert NEW_STREET in breadcrumb and OLD_STREET not in breadcrumb
    event = AuditEvent.objects.get(event_type=EventType.ORGANISATION_MOVED)
    assert (
        event.reason == "行政区划调整"
        and event.actor is not None
        and event.actor.username == "demo_city"
    )


def _grid_of(committee: Organisation) -> Organisation:
    grid = Organisation.objects.filter(parent=committee, kind="grid").first()
    assert grid is not None
    return grid


def _refused(
    client: Client, url: str, data: dict[str, Any]
) -> tuple[int, str, dict[str, list[str]]]:
    response = client.post(url, data)
    return response.status_code, response.content.decode(), response.context["form"].errors


def test_refusals_are_shown_beside_the_field_and_keep_the_input(
    client_as: Callable[[str], Client], world: World
) -> None:
    committee = world.org(COMMITTEE)
    client = client_as("demo_city")
    url = _url(world)
    before = dict(Organisation.objects.values_list("pk", "path"))

    status, html, errors = _refused(
        client,
        url,
        {"parent": world.org(NEW_STREET).pk, "reason": "", "version": committee.version},
    )
    assert status == 422 and "reason" in errors

    # A grid of its own (inside the subtree, and of the wrong kind) sent by hand.
    status, html, errors = _refused(
        client,
        url,
        {"parent": _grid_of(committee).pk, "reason": "挂错了", "version": committee.version},
    )
    assert status == 422 and "不能调整到自身或其下级机构之下" in " ".join(errors["parent"])
    assert "挂错了" in html

    # An office may not sit under a street office.
    office = world.org(OLD_STREET)
    status, html, errors = _refused(
        client,
        _url(world, OLD_STREET),
        {"parent": world.org(NEW_STREET).pk, "reason": "调整", "version": office.version},
    )
    assert status == 422 and errors["parent"]

    # Someone else changed the committee since the form was read: 409, the reason kept.
    status, html, errors = _refused(
        client,
        url,
        {
            "parent": world.org(NEW_STREET).pk,
            "reason": "换个街道",
            "version": committee.version - 1,
        },
    )
    assert status == 409 and "换个街道" in html and "已被他人修改" in " ".join(errors["__all__"])

    assert dict(Organisation.objects.values_list("pk", "path")) == before


def test_a_name_taken_under_the_new_parent_is_shown_beside_the_parent(
    client_as: Callable[[str], Client], world: World
) -> None:
    committee, url = world.org(COMMITTEE), _url(world)
    twin = Organisation.objects.filter(parent=world.org(NEW_STREET)).first()
    assert twin is not None
    Organisation.objects.filter(pk=twin.pk).update(name=COMMITTEE)
    status, _html, errors = _refused(
        client_as("demo_city"),
        url,
        {"parent": world.org(NEW_STREET).pk, "reason": "调整", "version": committee.version},
    )
    assert status == 422 and "同名" in " ".join(errors["parent"])


def test_a_place_out_of_reach_is_refused(client_as: Callable[[str], Client], world: World) -> None:
    # The street officer manages committee A but not the other street.
    committee = world.org(COMMITTEE)
    status, _html, errors = _refused(
        client_as("demo_street"),
        _url(world),
        {"parent": world.org(NEW_STREET).pk, "reason": "调整", "version": committee.version},
    )
    assert status == 422 and errors["parent"]
    assert world.org(COMMITTEE).parent_id == world.org(OLD_STREET).pk


def test_the_move_is_offered_only_where_there_is_somewhere_to_go(
    client_as: Callable[[str], Client], world: World
) -> None:
    page = f"/organisations/{world.org(COMMITTEE).pk}/"
    assert 'id="move"' in client_as("demo_city").get(page).content.decode()
    # The street officer's only office is the committee's own street: nowhere to move it.
    assert 'id="move"' not in client_as("demo_street").get(page).content.decode()
    own = f"/organisations/{world.org(OLD_STREET).pk}/"
    assert 'id="move"' not in client_as("demo_street").get(own).content.decode()
