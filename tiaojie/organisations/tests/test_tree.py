"""The tree: paths, one-query ancestor and descendant lookups, the rules of what sits where."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import World
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.organisations.models import Committee, Grid, JusticeBureau, Organisation
from tiaojie.organisations.services import (
    organisation_change_status,
    organisation_create,
    organisation_update,
)
from tiaojie.organisations.validation import OrganisationData


def test_descendants_and_ancestors_are_one_query_each(world: World) -> None:
    district = world.org("东湖区司法局")
    grid = Organisation.objects.get(name="东湖社区第一网格", parent__name="东湖社区人民调解委员会")
    with CaptureQueriesContext(connection) as queries:
        below = list(Organisation.objects.descendants_of(district))
        above = list(Organisation.objects.ancestors_of(grid))
    assert len(queries) == 2
    assert [a.name for a in above] == [
        "临江市司法局",
        "东湖区司法局",
        "东湖街道司法所",
        "东湖社区人民调解委员会",
    ]
    # Everything below the district is reachable by walking children, and nothing else is.
    walked: set[int] = set()
    frontier = [district.pk]
    while frontier:
        children = list(
            Organisation.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        walked |= set(children)
        frontier = children
    assert {o.pk for o in below} == walked
    assert grid.pk in walked and world.org("青山街道司法所").pk not in walked


def test_proxy_models_see_only_their_kind(world: World) -> None:
    assert {o.kind for o in JusticeBureau.objects.all()} == {"city_bureau", "district_bureau"}
    assert Committee.objects.count() == 12
    assert Grid.objects.filter(name__endswith="第一网格").count() == 6
    # Each grid is named with its community, so that lists tell them apart.
    assert Grid.objects.values("name").distinct().count() == Grid.objects.count() == 12


@pytest.mark.parametrize(
    "parent_name, data, field",
    [
        ("东湖街道司法所", OrganisationData(kind="grid", name="无主网格"), "parent"),
        ("东湖街道司法所", OrganisationData(kind="committee", name="无类型"), "committee_kind"),
        (
            "东湖街道司法所",
            OrganisationData(kind="committee", committee_kind="sectoral", name="行业"),
            "sector",
        ),
        (
            "东湖街道司法所",
            OrganisationData(kind="committee", committee_kind="stationed", name="派驻"),
            "station",
        ),
        ("东湖街道司法所", OrganisationData(kind="grid", name="x", sector="medical"), "sector"),
        (
            "东湖区司法局",
            OrganisationData(kind="justice_office", name="y", division_code="9901020"),
            "division_code",
        ),
        (
            "东湖区司法局",
            OrganisationData(kind="justice_office", name="y", division_code="990105009"),
            "division_code",
        ),
        (
            "东湖区司法局",
            OrganisationData(kind="justice_office", name="y", phone="call me"),
            "phone",
        ),
        (
            "东湖区司法局",
            OrganisationData(
                kind="justice_office", name="y", longitude=Decimal(30), latitude=Decimal(114)
            ),
            "longitude",
        ),
        ("东湖区司法局", OrganisationData(kind="justice_office", name=""), "name"),
        (
            "东湖街道司法所",
            OrganisationData(
                kind="committee", committee_kind="community", name="东湖社区人民调解委员会"
            ),
            "name",
        ),
    ],
)
def test_invalid_organisations_are_refused_field_by_field(
    world: World, parent_name: str, data: OrganisationData, field: str
) -> None:
    count = Organisation.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        organisation_create(actor=world.user("demo_city"), parent=world.org(parent_name), data=data)
    assert field in refused.value.fields
    assert Organisation.objects.count() == count


def test_a_new_committee_gets_its_path_depth_and_supervisor(world: World) -> None:
    office = world.org("东湖街道司法所")
    org = organisation_create(
        actor=world.user("demo_street"),
        parent=office,
        data=OrganisationData(
            kind="committee",
            committee_kind="community",
            name="桃园社区人民调解委员会",
            division_code="990102001003",
        ),
    )
    assert org.path.startswith(office.path) and org.depth == office.depth + 1
    assert org.supervising_office == office
    assert Organisation.objects.descendants_of(office).filter(pk=org.pk).exists()


def test_managing_outside_ones_scope_is_refused(world: World) -> None:
    with pytest.raises(NotPermitted):
        organisation_create(
            actor=world.user("demo_street"),
            parent=world.org("青山街道司法所"),
            data=OrganisationData(kind="committee", committee_kind="community", name="越权社区"),
        )
    with pytest.raises(NotPermitted):
        organisation_create(
            actor=world.user("demo_mediator"),
            parent=world.org("东湖社区人民调解委员会"),
            data=OrganisationData(kind="grid", name="第三网格"),
        )


def test_a_stale_edit_is_refused_and_changes_nothing(world: World) -> None:
    committee = world.org("梨园社区人民调解委员会")
    actor = world.user("demo_street")
    data = OrganisationData(
        kind="committee", committee_kind="community", name=committee.name, phone="0990-11112222"
    )
    organisation_update(actor=actor, org=committee, data=data, version=committee.version)
    with pytest.raises(Conflict):
        organisation_update(
            actor=actor,
            org=committee,
            version=committee.version,
            data=OrganisationData(
                kind="committee",
                committee_kind="community",
                name=committee.name,
                phone="0990-33334444",
            ),
        )
    assert Organisation.objects.get(pk=committee.pk).phone == "0990-11112222"


def test_merging_needs_a_target_a_date_and_no_active_children(world: World) -> None:
    actor = world.user("demo_street")
    committee_b = world.org("梨园社区人民调解委员会")
    committee_a = world.org("东湖社区人民调解委员会")
    with pytest.raises(ValidationFailed) as refused:
        organisation_change_status(
            actor=actor,
            org=committee_b,
            status="merged",
            on=None,
            reason="合并",
            version=committee_b.version,
        )
    assert {"status_changed_on", "merged_into", "status"} <= set(refused.value.fields)
    for grid in committee_b.children.all():
        organisation_change_status(
            actor=actor,
            org=grid,
            status="dissolved",
            on=grid.created_at.date(),
            reason="并入",
            version=grid.version,
        )
    merged = organisation_change_status(
        actor=actor,
        org=committee_b,
        status="merged",
        on=committee_b.created_at.date(),
        merged_into=committee_a,
        reason="两社区合并",
        version=committee_b.version,
    )
    assert merged.merged_into == committee_a and merged.status == "merged"
