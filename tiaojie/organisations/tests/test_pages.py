"""The organisation pages as users see them: tree, search, detail, forms, pinned query counts."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import World
from tiaojie.organisations.models import Organisation
from tiaojie.organisations.services import organisation_create
from tiaojie.organisations.validation import OrganisationData


def test_the_tree_starts_at_the_users_organisation(
    client_as: Callable[[str], Client], world: World
) -> None:
    page = client_as("demo_street").get("/organisations/")
    assert [r.name for r in page.context["roots"]] == ["东湖街道司法所"]
    branch = client_as("demo_street").get(
        "/organisations/", {"parent": world.org("东湖街道司法所").pk}
    )
    names = [n.name for n in branch.context["nodes"]]
    assert "东湖社区人民调解委员会" in names and "梨园社区人民调解委员会" in names


def test_a_branch_out_of_scope_is_not_found(
    client_as: Callable[[str], Client], world: World
) -> None:
    response = client_as("demo_street").get(
        "/organisations/", {"parent": world.org("青山街道司法所").pk}
    )
    assert response.status_code == 404


def test_search_finds_by_name_and_code_within_scope_only(
    client_as: Callable[[str], Client],
) -> None:
    client = client_as("demo_district")
    by_name = client.get("/organisations/", {"q": "社区"}).context["results"]
    names = {o.name for o in by_name}
    assert "东湖社区人民调解委员会" in names and "钢花村社区人民调解委员会" not in names
    by_code = client.get("/organisations/", {"q": "990102001002"}).context["results"]
    assert [o.name for o in by_code] == ["梨园社区人民调解委员会"]


def test_the_detail_page_lists_sub_organisations_and_staff(
    client_as: Callable[[str], Client], world: World
) -> None:
    committee = world.org("东湖社区人民调解委员会")
    html = client_as("demo_director").get(f"/organisations/{committee.pk}/").content.decode()
    assert "第一网格" in html and "第二网格" in html
    assert "王秀兰" in html and "李建国" in html
    assert "老王调解工作室" in html


def test_a_failed_form_keeps_what_was_typed(
    client_as: Callable[[str], Client], world: World
) -> None:
    office = world.org("东湖街道司法所")
    response = client_as("demo_street").post(
        f"/organisations/{office.pk}/new/",
        {
            "kind": "committee",
            "committee_kind": "",
            "name": "桃园社区人民调解委员会",
            "address": "桃园路1号",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="桃园社区人民调解委员会"' in html and 'value="桃园路1号"' in html
    assert not Organisation.objects.filter(name="桃园社区人民调解委员会").exists()


def test_a_stale_edit_keeps_the_input_and_says_why(
    client_as: Callable[[str], Client], world: World
) -> None:
    committee = world.org("梨园社区人民调解委员会")
    client = client_as("demo_street")
    form = {
        "kind": "committee",
        "committee_kind": "community",
        "name": committee.name,
        "version": committee.version,
    }
    assert (
        client.post(
            f"/organisations/{committee.pk}/edit/", form | {"phone": "0990-11112222"}
        ).status_code
        == 302
    )
    stale = client.post(f"/organisations/{committee.pk}/edit/", form | {"phone": "0990-99998888"})
    assert stale.status_code == 200
    assert 'value="0990-99998888"' in stale.content.decode()
    assert stale.context["form"].non_field_errors()
    assert Organisation.objects.get(pk=committee.pk).phone == "0990-11112222"


def _queries(client: Client, url: str, params: dict[str, str | int] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_list_pages_make_a_fixed_number_of_queries(
    client_as: Callable[[str], Client], world: World
) -> None:
    client = client_as("demo_city")
    client.get("/")  # the first request after login stamps the session; measure the steady state
    office = world.org("东湖街道司法所")
    committee = world.org("东湖社区人民调解委员会")
    before = {
        "tree": _queries(client, "/organisations/"),
        "branch": _queries(client, "/organisations/", {"parent": office.pk}),
        "search": _queries(client, "/organisations/", {"q": "社区"}),
        "detail": _queries(client, f"/organisations/{office.pk}/"),
    }
    # Ten more children and their staff must not add a single query.
    for n in range(10):
        org = organisation_create(
            actor=None,
            parent=office,
            data=OrganisationData(
                kind="committee", committee_kind="community", name=f"新建社区{n}人民调解委员会"
            ),
        )
        organisation_create(
            actor=None, parent=org, data=OrganisationData(kind="grid", name="第一网格")
        )
    after = {
        "tree": _queries(client, "/organisations/"),
        "branch": _queries(client, "/organisations/", {"parent": office.pk}),
        "search": _queries(client, "/organisations/", {"q": "社区"}),
        "detail": _queries(client, f"/organisations/{office.pk}/"),
    }
    assert after == before
    # Pinned: session and user, then the page's own reads: the tree's root; a branch's parent and
    # children; the search results and the root; for the detail page itself, breadcrumb,
    # children, staff count and staff, and whether there is a place to move it to. Full pages
    # (not the htmx branch) add the header's unread-notification count.
    assert before == {"tree": 4, "branch": 4, "search": 5, "detail": 9}, before
    assert _queries(client, f"/organisations/{committee.pk}/") == before["detail"]
