"""Demo data: a small city's mediation network with one account per role, built through the
services so that it obeys every rule real data does. Running it twice changes nothing."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Role
from tiaojie.accounts.services import AccountData, user_create
from tiaojie.organisations.choices import CommitteeKind, OrganisationKind, Sector, Station
from tiaojie.organisations.models import Organisation
from tiaojie.organisations.services import organisation_create
from tiaojie.organisations.validation import OrganisationData

DEFAULT_PASSWORD = "tiaojie-demo"  # noqa: S105 - documented demo password, never for production


def demo_password() -> str:
    return os.environ.get("TIAOJIE_DEMO_PASSWORD") or DEFAULT_PASSWORD


@dataclass
class DemoAccount:
    username: str
    full_name: str
    role: Role
    org_key: str
    title: str = ""


# The stable demo accounts the README and scripts rely on.
DEMO_ACCOUNTS = [
    DemoAccount("demo_city", "周建华", Role.BUREAU_OFFICER, "city", "人民参与和促进法治科科长"),
    DemoAccount("demo_district", "刘晓燕", Role.BUREAU_OFFICER, "donghu_district", "基层科科员"),
    DemoAccount("demo_street", "陈立新", Role.OFFICE_OFFICER, "donghu_office", "司法所所长"),
    DemoAccount("demo_director", "王秀兰", Role.COMMITTEE_DIRECTOR, "committee_a", "调委会主任"),
    DemoAccount("demo_mediator", "李建国", Role.MEDIATOR, "committee_a", "专职人民调解员"),
    DemoAccount("demo_mediator_b", "张桂英", Role.MEDIATOR, "committee_b", "兼职人民调解员"),
    DemoAccount("demo_grid", "赵志强", Role.GRID_WORKER, "grid_a1", "网格员"),
    DemoAccount("demo_sysadmin", "孙明", Role.SYSTEM_ADMIN, "city", "系统管理员"),
    DemoAccount("demo_secadmin", "钱丽", Role.SECURITY_ADMIN, "city", "安全保密管理员"),
    DemoAccount("demo_auditadmin", "吴刚", Role.AUDIT_ADMIN, "city", "安全审计员"),
]

MEDIATOR_NAMES = [
    "陈淑芬",
    "杨德明",
    "黄伟",
    "周丽华",
    "吴国庆",
    "徐春燕",
    "孙海涛",
    "胡晓玲",
    "朱永红",
    "高建华",
    "林美玲",
    "何志刚",
    "郭红霞",
    "马俊",
    "罗丽娟",
    "梁国栋",
    "宋玉兰",
    "郑海波",
]


DIRECTOR_NAMES = [
    "邓国华",
    "曹桂芳",
    "彭建军",
    "曾淑英",
    "萧德才",
    "田玉珍",
    "董志远",
    "袁秀梅",
    "潘永胜",
]


@dataclass
class Node:
    key: str
    kind: OrganisationKind
    name: str
    parent: str | None
    extra: dict[str, object] = field(default_factory=dict)


def _committee(key: str, name: str, parent: str, kind: CommitteeKind, **extra: object) -> Node:
    return Node(key, OrganisationKind.COMMITTEE, name, parent, {"committee_kind": kind, **extra})


TREE: list[Node] = [
    Node(
        "city",
        OrganisationKind.CITY_BUREAU,
        "临江市司法局",
        None,
        {
            "short_name": "临江市",
            "division_code": "990100",
            "address": "临江市江滨大道88号",
            "phone": "0990-82345678",
            "longitude": Decimal("114.305000"),
            "latitude": Decimal("30.593000"),
        },
    ),
    Node("association", OrganisationKind.ASSOCIATION, "临江市人民调解协会", "city"),
    Node(
        "donghu_district",
        OrganisationKind.DISTRICT_BUREAU,
        "东湖区司法局",
        "city",
        {
            "short_name": "东湖区",
            "division_code": "990102",
            "address": "东湖区湖滨路12号",
            "phone": "0990-86781234",
        },
    ),
    Node(
        "xishan_district",
        OrganisationKind.DISTRICT_BUREAU,
        "西山区司法局",
        "city",
        {
            "short_name": "西山区",
            "division_code": "990105",
            "address": "西山区建设大道200号",
            "phone": "0990-86542310",
        },
    ),
    Node(
        "donghu_office",
        OrganisationKind.JUSTICE_OFFICE,
        "东湖街道司法所",
        "donghu_district",
        {"short_name": "东湖街", "division_code": "990102001", "address": "东湖街道中北路5号"},
    ),
    Node(
        "shuiguohu_office",
        OrganisationKind.JUSTICE_OFFICE,
        "水果湖街道司法所",
        "donghu_district",
        {"short_name": "水果湖街", "division_code": "990102002"},
    ),
    Node(
        "qingshan_office",
        OrganisationKind.JUSTICE_OFFICE,
        "青山街道司法所",
        "xishan_district",
        {"short_name": "青山街", "division_code": "990105001"},
    ),
    _committee(
        "donghu_street_committee",
        "东湖街道人民调解委员会",
        "donghu_office",
        CommitteeKind.STREET,
        short_name="东湖街道",
        division_code="990102001",
    ),
    _committee(
        "shuiguohu_street_committee",
        "水果湖街道人民调解委员会",
        "shuiguohu_office",
        CommitteeKind.STREET,
        short_name="水果湖街道",
    ),
    _committee(
        "qingshan_street_committee",
        "青山街道人民调解委员会",
        "qingshan_office",
        CommitteeKind.STREET,
        short_name="青山街道",
    ),
    _committee(
        "committee_a",
        "东湖社区人民调解委员会",
        "donghu_office",
        CommitteeKind.COMMUNITY,
        short_name="东湖社区",
        division_code="990102001001",
        address="东湖街道东湖社区党群服务中心",
        brand_name="老王调解工作室",
        established_on=dt.date(2011, 3, 1),
    ),
    _committee(
        "committee_b",
        "梨园社区人民调解委员会",
        "donghu_office",
        CommitteeKind.COMMUNITY,
        short_name="梨园社区",
        division_code="990102001002",
    ),
    _committee(
        "cuiliu",
        "翠柳社区人民调解委员会",
        "shuiguohu_office",
        CommitteeKind.COMMUNITY,
        short_name="翠柳社区",
        division_code="990102002001",
    ),
    _committee(
        "chagang",
        "茶港社区人民调解委员会",
        "shuiguohu_office",
        CommitteeKind.COMMUNITY,
        short_name="茶港社区",
        division_code="990102002002",
    ),
    _committee(
        "ganghua",
        "钢花村社区人民调解委员会",
        "qingshan_office",
        CommitteeKind.COMMUNITY,
        short_name="钢花村",
        division_code="990105001001",
    ),
    _committee(
        "hongwei",
        "红卫路社区人民调解委员会",
        "qingshan_office",
        CommitteeKind.COMMUNITY,
        short_name="红卫路",
        division_code="990105001002",
    ),
    _committee(
        "medical",
        "东湖区医疗纠纷人民调解委员会",
        "donghu_district",
        CommitteeKind.SECTORAL,
        short_name="东湖医调委",
        sector=Sector.MEDICAL,
    ),
    _committee(
        "traffic",
        "西山区道路交通事故纠纷人民调解委员会",
        "xishan_district",
        CommitteeKind.SECTORAL,
        short_name="西山交调委",
        sector=Sector.TRAFFIC,
    ),
    _committee(
        "police_room",
        "东湖街道派出所人民调解室",
        "donghu_office",
        CommitteeKind.STATIONED,
        short_name="东湖派出所调解室",
        station=Station.POLICE,
    ),
]
_COMMUNITIES = ("committee_a", "committee_b", "cuiliu", "chagang", "ganghua", "hongwei")
_COMMUNITY_NAMES = {
    node.key: node.name.removesuffix("人民调解委员会") for node in TREE if node.key in _COMMUNITIES
}
for _community in _COMMUNITIES:
    for _n, _label in ((1, "第一网格"), (2, "第二网格")):
        # Named with their community (东湖社区第一网格), so lists tell the twelve apart.
        TREE.append(
            Node(
                f"grid_{_community}_{_n}",
                OrganisationKind.GRID,
                f"{_COMMUNITY_NAMES[_community]}{_label}",
                _community,
            )
        )
GRID_A1 = "grid_committee_a_1"

# Both centres receive every channel that does not start at a committee itself (统一受理): grid
# reports, the hotline, online applications and every referral. A party applying at their
# committee, and the committee's own initiative, start where they are.
CENTRE_CHANNELS = [
    "grid",
    "hotline",
    "online",
    "petition",
    "court",
    "police",
    "procuratorate",
    "other_department",
]
CENTRES = {"donghu_office": CENTRE_CHANNELS, "donghu_district": CENTRE_CHANNELS}

MEDIATOR_COMMITTEES = [
    "committee_a",
    "committee_b",
    "cuiliu",
    "chagang",
    "ganghua",
    "hongwei",
    "medical",
    "traffic",
    "police_room",
    "donghu_street_committee",
]


@transaction.atomic
def seed_demo() -> dict[str, Organisation]:
    """Create (or find) the demo network and accounts; returns the organisations by key."""
    orgs: dict[str, Organisation] = {}
    for node in TREE:
        parent = orgs[node.parent] if node.parent else None
        existing = Organisation.objects.filter(parent=parent, name=node.name).first()
        if existing is None:
            data = OrganisationData(kind=node.kind, name=node.name, **node.extra)  # type: ignore[arg-type]
            existing = organisation_create(actor=None, parent=parent, data=data)
        orgs[node.key] = existing
    orgs["grid_a1"] = orgs[GRID_A1]
    # The street and district governance centres of 东湖区 (统一受理): their officers register
    # disputes into the centre's queue; grid reports, the hotline, online applications and
    # referrals land there too.
    for key, channels in CENTRES.items():
        Organisation.objects.filter(pk=orgs[key].pk, is_governance_centre=False).update(
            is_governance_centre=True, centre_channels=channels
        )

    password = demo_password()
    for account in DEMO_ACCOUNTS:
        _ensure_user(
            account.username,
            account.full_name,
            account.role,
            orgs[account.org_key],
            account.title,
            password,
        )
    for index, name in enumerate(MEDIATOR_NAMES):
        committee = orgs[MEDIATOR_COMMITTEES[index % len(MEDIATOR_COMMITTEES)]]
        _ensure_user(
            f"mediator{index + 1:02d}",
            name,
            Role.MEDIATOR,
            committee,
            "专职人民调解员" if index % 3 == 0 else "兼职人民调解员",
            password,
        )
    # Every other committee gets a director too, so its demo cases can be archived.
    for index, key in enumerate(k for k in MEDIATOR_COMMITTEES if k != "committee_a"):
        _ensure_user(
            f"director{index + 2:02d}",
            DIRECTOR_NAMES[index],
            Role.COMMITTEE_DIRECTOR,
            orgs[key],
            "调委会主任",
            password,
        )
    for index, community in enumerate(["committee_b", "cuiliu", "chagang", "ganghua", "hongwei"]):
        _ensure_user(
            f"grid{index + 2:02d}",
            f"{['钱', '冯', '卫', '蒋', '沈'][index]}网格员",
            Role.GRID_WORKER,
            orgs[f"grid_{community}_1"],
            "网格员",
            password,
        )
    return orgs


def _ensure_user(
    username: str, full_name: str, role: Role, org: Organisation, title: str, password: str
) -> User:
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    data = AccountData(
        username=username, full_name=full_name, organisation=org, role=role, title=title
    )
    return user_create(actor=None, data=data, password=password, enforce_policy=False)
