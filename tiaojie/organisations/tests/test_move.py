"""Moving a unit to another parent re-paths its subtree, is audited and announced
(``organisation.moved``); a move that is not allowed changes nothing."""

from __future__ import annotations

import pytest

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.core.errors import DomainError
from tiaojie.core.models import OutboxEvent
from tiaojie.organisations.models import Organisation
from tiaojie.organisations.moves import ORGANISATION_MOVED, organisation_move

pytestmark = pytest.mark.django_db

OFFICE = "东湖街道司法所"
COMMITTEE = "东湖社区人民调解委员会"
OTHER_DISTRICT = "西山区司法局"
OTHER_OFFICE = "青山街道司法所"


def test_an_office_moves_with_its_committees(world: World) -> None:
    office, district = world.org(OFFICE), world.org(OTHER_DISTRICT)
    below = list(Organisation.objects.filter(path__startswith=office.path).exclude(pk=office.pk))
    assert below
    moved = organisation_move(
        actor=world.user("demo_city"),
        org=office,
        parent=district,
        reason="行政区划调整",
        version=office.version,
    )
    assert moved.parent_id == district.pk and moved.path.startswith(district.path)
    assert moved.depth == district.depth + 1 and moved.supervising_office_id == district.pk
    for unit in below:
        unit.refresh_from_db()
        assert unit.path.startswith(moved.path) and unit.depth > moved.depth
    committee = world.org(COMMITTEE)
    assert committee.supervising_office_id == moved.pk  # still supervised by its office
    assert world.org(COMMITTEE) in Organisation.objects.subtree_of(district)
    event = AuditEvent.objects.filter(event_type=EventType.ORGANISATION_MOVED).get()
    assert event.reason == "行政区划调整"
    published = OutboxEvent.objects.filter(name=ORGANISATION_MOVED).get()
    assert published.payload["organisation_id"] == office.pk
    assert published.payload["new_path"] == moved.path


@pytest.mark.parametrize(
    ("parent", "reason"),
    [
        (COMMITTEE, "挂错了"),  # under its own unit
        (OTHER_OFFICE, ""),  # no reason
        ("西山区道路交通事故纠纷人民调解委员会", "调整"),  # a committee is no parent of an office
    ],
)
def test_a_refused_move_changes_nothing(world: World, parent: str, reason: str) -> None:
    office = world.org(OFFICE)
    paths = dict(Organisation.objects.values_list("pk", "path"))
    with pytest.raises(DomainError):
        organisation_move(
            actor=world.user("demo_city"),
            org=office,
            parent=world.org(parent),
            reason=reason,
            version=office.version,
        )
    assert dict(Organisation.objects.values_list("pk", "path")) == paths
    assert not OutboxEvent.objects.filter(name=ORGANISATION_MOVED).exists()


def test_only_who_manages_both_ends_moves(world: World) -> None:
    office = world.org(OFFICE)
    with pytest.raises(DomainError):
        organisation_move(
            actor=world.user("demo_district"),  # 东湖区 may not put it into 西山区
            org=office,
            parent=world.org(OTHER_DISTRICT),
            reason="调整",
            version=office.version,
        )
    assert world.org(OFFICE).parent_id == office.parent_id
