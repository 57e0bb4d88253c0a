"""The tree import service: a valid file creates the whole tree, as organisation_create would."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest

from tests import personas as p
from tiaojie.accounts.models import User
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.core.errors import NotPermitted
from tiaojie.organisations.choices import CommitteeKind, Sector, Station
from tiaojie.organisations.import_columns import COLUMNS, explanation
from tiaojie.organisations.import_services import organisation_tree_import
from tiaojie.organisations.models import Organisation
from tiaojie.organisations.services import AUDITED_FIELDS
from tiaojie.organisations.tests.import_files import (
    GOOD_ROWS,
    csv_bytes,
    table,
    xlsx,
)

DISTRICT = "东湖区司法局"


@pytest.fixture
def admin(db: None) -> User:
    return User.objects.get(username="demo_sysadmin")


@pytest.fixture
def anchor(db: None) -> Organisation:
    return Organisation.objects.get(name=DISTRICT)


def run(
    content: bytes, name: str, anchor: Organisation | None, actor: User | None
) -> list[Organisation]:
    return organisation_tree_import(
        actor=actor, anchor=anchor, file=io.BytesIO(content), file_name=name
    )


def test_an_xlsx_file_creates_the_tree_with_parents_paths_and_supervisors(
    admin: User, anchor: Organisation
) -> None:
    created = run(xlsx(table(GOOD_ROWS)), "东湖区.xlsx", anchor, admin)

    assert len(created) == 5
    by_name = {org.name: Organisation.objects.get(pk=org.pk) for org in created}
    office = by_name["新湖街道司法所"]
    community = by_name["新湖社区人民调解委员会"]
    grid = by_name["第一网格"]
    sectoral = by_name["东湖区物业纠纷人民调解委员会"]
    police = by_name["新湖派出所人民调解室"]
    assert (office.parent, community.parent, grid.parent) == (anchor, office, community)
    assert (sectoral.parent, police.parent) == (anchor, office)
    assert community.path == f"{office.path}{community.pk:010d}."
    assert grid.path.startswith(anchor.path) and grid.depth == anchor.depth + 3
    assert [o.supervising_office for o in (office, community, grid, sectoral)] == [
        anchor,
        office,
        office,
        anchor,
    ]
    assert (community.committee_kind, community.established_on) == (
        CommitteeKind.COMMUNITY,
        dt.date(2020, 3, 1),
    )
    assert (sectoral.committee_kind, sectoral.sector) == (CommitteeKind.SECTORAL, Sector.PROPERTY)
    assert (police.committee_kind, police.station) == (CommitteeKind.STATIONED, Station.POLICE)
    assert set(Organisation.objects.descendants_of(anchor)) >= set(by_name.values())


def test_each_new_organisation_has_the_audit_event_organisation_create_writes(
    admin: User, anchor: Organisation
) -> None:
    created = run(xlsx(table(GOOD_ROWS)), "东湖区.xlsx", anchor, admin)

    for org in created:
        event = AuditEvent.objects.get(
            event_type=EventType.ORGANISATION_CREATED, object_id=str(org.pk)
        )
        fresh = Organisation.objects.get(pk=org.pk)
        assert event.after == audit.snapshot(fresh, AUDITED_FIELDS)
        assert (event.actor, event.organisation, event.organisation_path) == (
            admin,
            fresh,
            fresh.path,
        )
        assert event.object_type == "organisations.organisation"
        assert event.object_repr == str(getattr(fresh, "audit_label", fresh))
    summary = AuditEvent.objects.get(event_type=EventType.ORGANISATION_TREE_IMPORTED)
    assert (summary.actor, summary.organisation) == (admin, anchor)
    assert summary.after == {"file_name": "东湖区.xlsx", "rows": 5, "created": 5}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_a_csv_file_in_any_usual_encoding_creates_the_same_tree(
    admin: User, anchor: Organisation, encoding: str
) -> None:
    created = run(csv_bytes(table(GOOD_ROWS), encoding), "东湖区.csv", anchor, admin)
    grid = next(org for org in created if org.name == "第一网格")
    assert grid.parent is not None and grid.parent.name == "新湖社区人民调解委员会"
    assert len(created) == 5


def test_cells_are_read_as_people_type_them(admin: User, anchor: Organisation) -> None:
    """Excel numbers and dates, full-width digits, English headers, a title line, blank rows."""
    rows: list[list[object]] = [
        ["东湖区组织机构导入"],
        [],
        [
            "Ref",
            "Parent",
            "Name",
            "Kind",
            "Committee kind",
            "Division code",
            "经度",
            "纬度",
            "成立日期",
        ],
        [
            1,
            None,
            "新湖街道司法所",
            "Justice office",
            None,
            "９９０１０２００９",
            None,
            None,
            "2019/3/1",
        ],
        [],
        [
            2,
            1.0,
            "新湖社区人民调解委员会",
            "调委会",
            "社区",
            990102009001,
            114.3051234,
            30.5,
            dt.date(2021, 5, 4),
        ],
    ]
    created = run(xlsx(rows), "tree.xlsx", anchor, admin)

    office, community = sorted(created, key=lambda o: o.depth)
    assert (office.division_code, office.established_on) == ("990102009", dt.date(2019, 3, 1))
    assert community.parent == office
    assert community.division_code == "990102009001"
    assert (community.longitude, community.latitude) == (Decimal("114.305123"), Decimal("30.5"))
    assert community.established_on == dt.date(2021, 5, 4)


def test_the_system_may_import_a_root_city_bureau_without_anchor(db: None) -> None:
    rows = table(
        [
            {"编号": "city", "名称": "新江市司法局", "类型": "市司法局"},
            {"编号": "d1", "上级编号": "city", "名称": "新江区司法局", "类型": "区县司法局"},
        ]
    )
    created = run(csv_bytes(rows), "fresh.csv", None, None)
    city, district = created
    assert (city.parent, city.depth, city.supervising_office) == (None, 0, None)
    assert (district.parent, district.supervising_office) == (city, city)
    summary = AuditEvent.objects.get(event_type=EventType.ORGANISATION_TREE_IMPORTED)
    assert summary.actor is None and summary.organisation == city


def test_the_template_explanation_row_and_notes_columns_are_ignored(
    admin: User, anchor: Organisation
) -> None:
    headers: list[object] = [*(c.header for c in COLUMNS), "备注"]
    rows: list[list[object]] = [
        headers,
        [*(explanation(c) for c in COLUMNS), "说明"],
        ["S1", "", "新湖街道司法所", "司法所", *[""] * (len(COLUMNS) - 4), "任意备注"],
    ]
    created = organisation_tree_import(actor=admin, anchor=anchor, rows=rows, file_name="t.xlsx")
    assert [o.name for o in created] == ["新湖街道司法所"]


def test_the_importer_needs_the_capability_and_the_anchor_in_scope(
    db: None, anchor: Organisation
) -> None:
    content = xlsx(table(GOOD_ROWS))
    with pytest.raises(NotPermitted):
        run(content, "t.xlsx", anchor, User.objects.get(username="demo_district"))
    p.other_district_admins()
    with pytest.raises(NotPermitted):
        run(content, "t.xlsx", anchor, User.objects.get(username=p.XISHAN_SYSADMIN))
    with pytest.raises(NotPermitted):
        run(content, "t.xlsx", None, User.objects.get(username="demo_sysadmin"))
    assert not Organisation.objects.filter(name="新湖街道司法所").exists()


def test_a_large_tree_is_written_in_a_bounded_number_of_queries(
    admin: User, anchor: Organisation, django_assert_max_num_queries: Any
) -> None:
    rows: list[dict[str, object]] = []
    for s in range(10):
        rows.append({"编号": f"S{s}", "名称": f"第{s}街道司法所", "类型": "司法所"})
        for c in range(20):
            ref = f"S{s}C{c}"
            rows.append(
                {
                    "编号": ref,
                    "上级编号": f"S{s}",
                    "名称": f"第{c}社区调委会",
                    "类型": "调委会",
                    "调委会类型": "村",
                }
            )
            for g in range(4):
                rows.append(
                    {"编号": f"{ref}G{g}", "上级编号": ref, "名称": f"第{g}网格", "类型": "网格"}
                )
    events = AuditEvent.objects.filter(event_type=EventType.ORGANISATION_CREATED)
    before = events.count()
    # One organisation_create per row would be over 5,000 queries; the bulk path batches.
    with django_assert_max_num_queries(len(rows) // 10):
        created = organisation_tree_import(
            actor=admin, anchor=anchor, rows=table(rows), file_name="big.xlsx"
        )
    assert len(created) == 1010
    assert events.count() - before == 1010
    grid = Organisation.objects.get(pk=created[-1].pk)
    assert grid.path.startswith(grid.supervising_office.path)  # type: ignore[union-attr]
