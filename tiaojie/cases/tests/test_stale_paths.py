"""A case written with its committee's path from just before a move (the write read the path,
the move committed, then the write did) is mended by the nightly ``follow_organisation_paths``:
it leaves the old district's lists and joins the new one's."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from conftest import World
from tiaojie.cases.selectors import cases_for
from tiaojie.cases.tests import factories as f

pytestmark = pytest.mark.django_db


def _mend() -> str:
    out = StringIO()
    call_command("follow_organisation_paths", stdout=out)
    return out.getvalue()


def test_a_case_left_with_the_path_from_before_a_move_is_mended(world: World) -> None:
    case = f.register(world.user("demo_mediator"))
    old_path = case.committee_path
    world.move("东湖街道司法所", "西山区司法局")
    new_district = world.org("西山区司法局")
    case.refresh_from_db()
    assert case.committee_path != old_path  # the move re-keyed what it could see
    # What a registration that straddled the move's commit leaves behind.
    type(case).objects.filter(pk=case.pk).update(committee_path=old_path)
    old_district = world.user("demo_district")
    assert cases_for(old_district).filter(pk=case.pk).exists()  # the leak it mends

    assert _mend().startswith("1 ")
    case.refresh_from_db()
    assert case.committee_path == case.committee.path
    assert not cases_for(old_district).filter(pk=case.pk).exists()
    # An officer of the new district sees the subtree by this prefix (cases.rules).
    assert case.committee_path.startswith(new_district.path)
    assert _mend().startswith("0 ")  # safe to run twice
