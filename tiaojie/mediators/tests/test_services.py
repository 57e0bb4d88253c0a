"""Registering mediators: personal data encrypted and found again by ID number, one person
across committees, grades only from the bureau's ladder, stale edits refused, status moves."""

from __future__ import annotations

import dataclasses

import pytest
from django.db import connection

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.mediators import selectors, services
from tiaojie.mediators.choices import MediatorStatus, MembershipRole
from tiaojie.mediators.models import Mediator, MediatorTransition
from tiaojie.mediators.tests.helpers import id_number, register
from tiaojie.mediators.workflow import mediator_transition

A = "东湖社区人民调解委员会"
B = "梨园社区人民调解委员会"


def _data(mediator: Mediator, **changes: object) -> services.MediatorData:
    data = services.MediatorData(
        name=mediator.name,
        id_number=mediator.id_number,
        employment=mediator.employment,
        phone=mediator.phone,
        address=mediator.address,
        source=mediator.source,
        grade_id=mediator.grade_id,
    )
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]


def test_personal_data_is_encrypted_at_rest_and_found_by_id_number(world: World) -> None:
    mediator = register(world.user("demo_director"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone FROM mediators_mediator WHERE id = %s", [mediator.pk]
        )
        stored_id, stored_phone = cursor.fetchone()
    assert id_number(1) not in stored_id and "13812345678" not in stored_phone
    found = services.find_person(id_number(1).lower().replace("x", "X"))
    assert found == mediator
    # The birth date and gender come from the ID number.
    assert mediator.birth_date is not None and mediator.birth_date.year == 1965


def test_an_id_number_with_a_wrong_check_digit_is_refused_in_chinese(world: World) -> None:
    good = id_number(2)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationFailed) as refused:
        register(world.user("demo_director"), id_number=bad)
    assert "校验码" in refused.value.fields["id_number"][0]
    assert not Mediator.objects.exists()


def test_the_same_person_in_a_second_committee_is_one_mediator(world: World) -> None:
    first = register(world.user("demo_director"))
    with pytest.raises(ValidationFailed) as refused:
        register(world.user("demo_street"), world.org(B))
    assert A in refused.value.fields["id_number"][0]  # names where they serve
    services.membership_add(
        actor=world.user("demo_street"),
        mediator=first,
        committee=world.org(B),
        role=MembershipRole.CHIEF,
    )
    assert [m.committee.name for m in selectors.same_person(first)] == [A, B]
    roster = list(selectors.roster(world.user("demo_street")))
    assert roster.count(first) == 1


def test_the_roster_is_scoped_to_the_viewers_subtree(world: World) -> None:
    mine = register(world.user("demo_director"))
    theirs = register(world.user("demo_street"), world.org(B), serial=2, name="张三")
    assert list(selectors.roster(world.user("demo_director"))) == [mine]
    assert set(selectors.roster(world.user("demo_street"))) == {mine, theirs}
    assert list(selectors.roster(world.user("demo_mediator_b"))) == [theirs]


def test_a_grade_not_on_the_bureaus_ladder_is_refused(world: World) -> None:
    grades = services.ladder_set(actor=world.user("demo_district"), names=["初级", "中级", "高级"])
    mediator = register(world.user("demo_director"), grade_id=grades[1].pk)
    assert mediator.grade == grades[1]
    other = services.ladder_set(actor=world.user("demo_city"), names=["一级"])  # city's ladder
    with pytest.raises(ValidationFailed) as refused:
        services.mediator_update(
            actor=world.user("demo_director"),
            mediator=mediator,
            data=_data(mediator, grade_id=other[0].pk),
            version=mediator.version,
        )
    assert "初级" in refused.value.fields["grade"][0]


def test_a_grade_held_by_a_mediator_cannot_be_removed(world: World) -> None:
    grades = services.ladder_set(actor=world.user("demo_district"), names=["初级", "高级"])
    register(world.user("demo_director"), grade_id=grades[0].pk)
    with pytest.raises(ValidationFailed):
        services.ladder_set(actor=world.user("demo_district"), names=["高级"])
    reordered = services.ladder_set(actor=world.user("demo_district"), names=["高级", "初级"])
    assert [g.name for g in reordered] == ["高级", "初级"] and reordered[1].pk == grades[0].pk


def test_a_stale_edit_is_refused_and_changes_nothing(world: World) -> None:
    mediator = register(world.user("demo_director"))
    director = world.user("demo_director")
    services.mediator_update(
        actor=director, mediator=mediator, data=_data(mediator, name="王秀英"), version=1
    )
    with pytest.raises(Conflict):
        services.mediator_update(
            actor=director, mediator=mediator, data=_data(mediator, name="王秀"), version=1
        )
    mediator.refresh_from_db()
    assert mediator.name == "王秀英" and mediator.version == 2


def test_a_mediator_may_not_change_the_roster(world: World) -> None:
    with pytest.raises(NotPermitted):
        register(world.user("demo_mediator"))


def test_viewing_personal_data_in_full_is_audited(world: World) -> None:
    mediator = register(world.user("demo_director"))
    values = services.revealed(world.user("demo_director"), mediator)
    assert values["id_number"] == id_number(1)
    assert AuditEvent.objects.filter(
        event_type=EventType.PERSONAL_DATA_VIEWED, object_id=str(mediator.pk)
    ).exists()


def test_suspending_and_leaving_go_through_the_transition_engine(world: World) -> None:
    director = world.user("demo_director")
    mediator = register(director)
    with pytest.raises(ValidationFailed):
        mediator_transition(actor=director, mediator=mediator, action="suspend")  # no reason
    mediator = mediator_transition(
        actor=director, mediator=mediator, action="suspend", reason="因病暂停"
    )
    assert mediator.status == MediatorStatus.SUSPENDED
    mediator = mediator_transition(actor=director, mediator=mediator, action="leave", reason="迁居")
    assert mediator.status == MediatorStatus.LEFT and mediator.left_on is not None
    with pytest.raises(Conflict):
        mediator_transition(actor=director, mediator=mediator, action="suspend", reason="x")
    assert MediatorTransition.objects.filter(mediator=mediator).count() == 2
