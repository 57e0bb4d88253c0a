"""The organisation API: scoped like the pages, filters, pagination, writes with versions."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from tests import personas as p
from tests.api.schema import call
from tiaojie.organisations.models import Organisation


def test_a_street_officer_lists_only_its_subtree(db: None, api_as: Callable[[str], Client]) -> None:
    response = call(api_as(p.STREET), "get", "/organisations", query={"page_size": 200})
    assert response.status_code == 200
    rows = response.json()["results"]
    office = p.org(p.DONGHU_OFFICE)
    assert {r["id"] for r in rows} == set(
        Organisation.objects.subtree_of(office).values_list("pk", flat=True)
    )
    names = {r["name"] for r in rows}
    assert p.COMMITTEE_A in names and p.QINGSHAN_OFFICE not in names
    assert response.json()["count"] == len(rows)


def test_filters_by_parent_kind_and_text(db: None, api_as: Callable[[str], Client]) -> None:
    client = api_as(p.DISTRICT)
    office = p.org(p.DONGHU_OFFICE)
    children = call(client, "get", "/organisations", query={"parent": office.pk}).json()["results"]
    assert {c["parent_id"] for c in children} == {office.pk}
    grids = call(client, "get", "/organisations", query={"kind": "grid"}).json()
    assert grids["count"] > 0 and {g["kind"] for g in grids["results"]} == {"grid"}
    found = call(client, "get", "/organisations", query={"q": "梨园"}).json()["results"]
    # The committee and its grids, which carry the community's name (梨园社区第一网格).
    assert p.COMMITTEE_B in {f["name"] for f in found}
    assert all("梨园" in f["name"] for f in found) and len(found) == 3
    query = {"q": "梨园", "kind": "committee"}
    found = call(client, "get", "/organisations", query=query).json()["results"]
    assert [f["name"] for f in found] == [p.COMMITTEE_B]


def test_pagination_pages_through_everything_once(
    db: None, api_as: Callable[[str], Client]
) -> None:
    client = api_as(p.CITY)
    first = call(client, "get", "/organisations", query={"page_size": 10, "page": 1}).json()
    second = call(client, "get", "/organisations", query={"page_size": 10, "page": 2}).json()
    assert first["count"] == Organisation.objects.count()
    assert len(first["results"]) == 10
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}


def test_another_districts_organisation_is_not_found(
    db: None, api_as: Callable[[str], Client]
) -> None:
    qingshan = p.org(p.QINGSHAN_OFFICE)
    response = call(api_as(p.DISTRICT), "get", "/organisations/{org_id}", org_id=qingshan.pk)
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "未找到。"}
    missing = call(api_as(p.DISTRICT), "get", "/organisations/{org_id}", org_id=999999)
    assert missing.json() == response.json()


def test_create_update_and_a_stale_update(db: None, api_as: Callable[[str], Client]) -> None:
    client = api_as(p.STREET)
    office = p.org(p.DONGHU_OFFICE)
    created = call(
        client,
        "post",
        "/organisations",
        {
            "parent_id": office.pk,
            "kind": "committee",
            "committee_kind": "community",
            "name": "桃园社区人民调解委员会",
            "division_code": "990102001003",
        },
    )
    assert created.status_code == 201, created.json()
    org = created.json()
    assert org["supervising_office_id"] == office.pk and org["version"] == 1
    fields = {"name": org["name"], "committee_kind": "community", "phone": "0990-86001234"}
    updated = call(
        client, "put", "/organisations/{org_id}", {**fields, "version": 1}, org_id=org["id"]
    )
    assert updated.status_code == 200 and updated.json()["version"] == 2
    stale = call(
        client,
        "put",
        "/organisations/{org_id}",
        {**fields, "phone": "0990-1", "version": 1},
        org_id=org["id"],
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    assert Organisation.objects.get(pk=org["id"]).phone == "0990-86001234"


def test_invalid_organisation_gets_field_errors(db: None, api_as: Callable[[str], Client]) -> None:
    office = p.org(p.DONGHU_OFFICE)
    response = call(
        api_as(p.STREET),
        "post",
        "/organisations",
        {
            "parent_id": office.pk,
            "kind": "committee",
            "name": "无类型调委会",
            "division_code": "12",
        },
    )
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert set(fields) == {"committee_kind", "division_code"}


def test_a_mediator_cannot_create_organisations(db: None, api_as: Callable[[str], Client]) -> None:
    committee = p.org(p.COMMITTEE_A)
    response = call(
        api_as(p.MEDIATOR_A),
        "post",
        "/organisations",
        {"parent_id": committee.pk, "kind": "grid", "name": "第三网格"},
    )
    assert response.status_code == 404


def test_a_move_answers_the_organisation_at_its_new_place(
    db: None, api_as: Callable[[str], Client]
) -> None:
    committee, street = p.org(p.COMMITTEE_A), p.org(p.QINGSHAN_OFFICE)
    body = {"parent_id": street.pk, "reason": "行政区划调整", "version": committee.version}
    moved = call(api_as(p.CITY), "post", "/organisations/{org_id}/move", body, org_id=committee.pk)
    assert moved.status_code == 200, moved.json()
    assert moved.json()["parent_id"] == street.pk
    assert moved.json()["version"] == committee.version + 1
    # The same request again is stale now: 409, nothing moves back.
    again = call(api_as(p.CITY), "post", "/organisations/{org_id}/move", body, org_id=committee.pk)
    assert again.status_code == 409 and again.json()["code"] == "stale_version"


def test_a_refused_move_is_coded(db: None, api_as: Callable[[str], Client]) -> None:
    office = p.org(p.DONGHU_OFFICE)
    committee = p.org(p.COMMITTEE_A)
    client = api_as(p.CITY)
    under_itself = call(
        client,
        "post",
        "/organisations/{org_id}/move",
        {"parent_id": committee.pk, "reason": "挂错了", "version": office.version},
        org_id=office.pk,
    )
    assert under_itself.status_code == 422 and under_itself.json()["code"] == "invalid"
    assert "parent" in under_itself.json()["fields"]
    # The district officer does not reach the other district's street: not found.
    out_of_reach = call(
        api_as(p.DISTRICT),
        "post",
        "/organisations/{org_id}/move",
        {"parent_id": p.org(p.QINGSHAN_OFFICE).pk, "reason": "调整", "version": committee.version},
        org_id=committee.pk,
    )
    assert out_of_reach.status_code == 404
    assert p.org(p.COMMITTEE_A).parent_id == office.pk
