"""Score sheets: points add up to 100, labels once, frozen once used, copied to change."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.reviews.models import ScoreSheet
from tiaojie.reviews.services import sheets
from tiaojie.reviews.tests import helpers as h


def test_a_sheet_whose_points_do_not_add_up_to_100_is_refused_naming_the_total(
    world: World,
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        sheets.sheet_create(
            actor=world.user("demo_district"),
            name="评分表",
            items=h.items([("受理登记规范", "10"), ("调查取证充分", "85.5")]),
        )
    assert "95.5" in caught.value.fields["items"][-1]
    assert not ScoreSheet.objects.exists()


def test_labels_are_unique_and_a_sheet_needs_an_item(world: World) -> None:
    actor = world.user("demo_district")
    with pytest.raises(ValidationFailed) as caught:
        sheets.sheet_create(
            actor=actor, name="评分表", items=h.items([("回访及时", "50"), ("回访及时", "50")])
        )
    assert "回访及时" in caught.value.fields["items"][0]
    with pytest.raises(ValidationFailed) as caught:
        sheets.sheet_create(actor=actor, name="评分表", items=[])
    assert "items" in caught.value.fields


def test_the_default_sheet_is_saved_and_audited(world: World) -> None:
    sheet = h.make_sheet()
    assert sheet.items.values_list("label", flat=True)[0] == "受理登记规范"
    assert sum(i.weight for i in sheet.items.all()) == Decimal(100)
    event = AuditEvent.objects.get(event_type=EventType.SCORE_SHEET_SAVED)
    assert event.after == {"created": True, "active": True, "items": 7, "version": 1}


def test_a_sheet_used_by_a_round_cannot_change_but_can_be_copied(world: World) -> None:
    actor = world.user("demo_district")
    sheet = h.make_sheet()
    h.make_round(sheet=sheet)
    changed = h.items([("受理登记规范", "50"), ("立卷归档规范", "50")])
    with pytest.raises(Conflict) as caught:
        sheets.sheet_update(actor=actor, sheet=sheet, name=sheet.name, items=changed, active=True)
    assert caught.value.code == "sheet_in_use"
    assert sheet.items.count() == 7
    # Switching it off for new rounds is still possible.
    off = sheets.sheet_update(
        actor=actor, sheet=sheet, name=sheet.name, items=h.items(), active=False
    )
    assert off.active is False
    copy = sheets.sheet_copy(actor=actor, sheet=sheet)
    assert copy.copied_from == sheet and copy.items.count() == 7 and copy.active
    edited = sheets.sheet_update(
        actor=actor, sheet=copy, name="评分表（2027版）", items=changed, active=True
    )
    assert edited.items.count() == 2


def test_a_stale_sheet_edit_is_refused(world: World) -> None:
    actor = world.user("demo_district")
    sheet = h.make_sheet()
    sheets.sheet_update(actor=actor, sheet=sheet, name="新名称", items=h.items(), active=True)
    with pytest.raises(Conflict):
        sheets.sheet_update(
            actor=actor, sheet=sheet, name="又一个名称", items=h.items(), active=True, version=1
        )


def test_only_review_managers_keep_sheets_and_the_city_sheet_is_read_only_below(
    world: World,
) -> None:
    with pytest.raises(NotPermitted):
        sheets.sheet_create(actor=world.user("demo_street"), name="评分表", items=h.items())
    city_sheet = h.make_sheet(world.user("demo_city"), name="市级评分表")
    district = world.user("demo_district")
    with pytest.raises(NotPermitted):
        sheets.sheet_update(
            actor=district, sheet=city_sheet, name="改", items=h.items(), active=True
        )
    adopted = sheets.sheet_copy(actor=district, sheet=city_sheet)
    assert adopted.owner == district.organisation
