"""Committee standards: the bureau's checklists (defaults 有名称…有台账), a committee's check
for a year, star ratings approved by a bureau on the engine, and villages or communities
without a committee."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.mediators import committees as cm
from tiaojie.mediators.models import StarRatingTransition

A = "东湖社区人民调解委员会"


def test_a_check_records_what_is_missing(world: World) -> None:
    year = timezone.localdate().year
    director = world.user("demo_director")
    committee = world.org(A)
    cm.check_record(actor=director, committee=committee, year=year, met=["有名称", "有印章"])
    row = next(r for r in cm.standardisation(director, year) if r.committee == committee)
    assert row.missing == ["有场所", "有标识", "有制度", "有台账"]
    with pytest.raises(ValidationFailed) as refused:
        cm.check_record(actor=director, committee=committee, year=year, met=["有电脑"])
    assert refused.value.fields["met"] == ["不在检查清单上：有电脑。"]


def test_a_bureau_sets_its_checklist(world: World) -> None:
    cm.criteria_set(
        actor=world.user("demo_district"), purpose="standard", labels=["有名称", "有印章"]
    )
    assert cm.criteria_in_force(world.org(A), "standard") == ["有名称", "有印章"]
    with pytest.raises(NotPermitted):
        cm.criteria_set(actor=world.user("demo_street"), purpose="standard", labels=["有名称"])


def test_a_star_rating_is_approved_by_a_bureau(world: World) -> None:
    year = timezone.localdate().year
    director = world.user("demo_director")
    rating = cm.star_propose(
        actor=director, committee=world.org(A), year=year, stars=4, met=["组织机构健全"]
    )
    with pytest.raises(Conflict):
        cm.star_propose(actor=director, committee=world.org(A), year=year, stars=5, met=[])
    with pytest.raises(ValidationFailed) as refused:
        cm.star_propose(actor=director, committee=world.org(A), year=year, stars=6, met=[])
    assert refused.value.fields["stars"] == ["星级为一至五星。"]
    with pytest.raises(NotPermitted):
        cm.star_decide(actor=world.user("demo_street"), rating=rating, action="approve")
    cm.star_decide(actor=world.user("demo_district"), rating=rating, action="approve")
    rating.refresh_from_db()
    assert rating.status == "approved"
    assert StarRatingTransition.objects.get(rating=rating).actor == world.user("demo_district")


def test_villages_without_a_committee(world: World) -> None:
    district = world.user("demo_district")
    with pytest.raises(ValidationFailed) as refused:
        cm.localities_set(actor=district, text="990102001001 东湖社区\n12345 坏行")
    assert refused.value.message == "第 2 行：请写 12 位区划代码、空格，再写名称。"
    cm.localities_set(actor=district, text="990102001001 东湖社区\n990102001009 新村社区")
    assert [loc.name for loc in cm.uncovered(world.user("demo_street"))] == ["新村社区"]


def test_the_pages(world: World, client_as: Callable[[str], Client]) -> None:
    director = client_as("demo_director")
    url = reverse("mediators:committee_check", args=[world.org(A).pk])
    bad = director.post(
        url, {"form": "star", "year": "2020", "stars": "9", "grounds": "群众评价好"}
    )
    assert bad.status_code == 422
    assert "星级为一至五星" in bad.content.decode() and "群众评价好" in bad.content.decode()
    year = timezone.localdate().year
    assert (
        director.post(
            url, {"form": "star", "year": year, "stars": "3", "met": ["台账规范"]}
        ).status_code
        == 302
    )
    bureau = client_as("demo_district")
    page = bureau.get(reverse("mediators:committee_standards")).content.decode()
    assert "3★" in page and A in page
    settings = bureau.post(
        reverse("mediators:committee_settings"),
        {"standard_items": "有名称", "star_items": "", "localities": "坏行"},
    )
    assert settings.status_code == 422 and "坏行" in settings.content.decode()
    # All or nothing: the standardisation list was not saved either.
    assert len(cm.criteria_in_force(world.org(A), "standard")) == 6
