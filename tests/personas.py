"""The personas of the permission suite and the objects they reach, from the demo world."""

from __future__ import annotations

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Role
from tiaojie.accounts.services import AccountData, user_create
from tiaojie.organisations.models import Organisation

MEDIATOR_A = "demo_mediator"
MEDIATOR_B = "demo_mediator_b"
DIRECTOR_A = "demo_director"
GRID_A = "demo_grid"
STREET = "demo_street"
DISTRICT = "demo_district"
CITY = "demo_city"
SYSADMIN = "demo_sysadmin"
SECADMIN = "demo_secadmin"
AUDITADMIN = "demo_auditadmin"
# Administrators of the other district, created by ``other_district_admins`` for scope tests.
XISHAN_SYSADMIN = "xishan_sysadmin"
XISHAN_SECADMIN = "xishan_secadmin"
XISHAN_AUDITADMIN = "xishan_auditadmin"

ALL_STAFF = [
    MEDIATOR_A,
    MEDIATOR_B,
    DIRECTOR_A,
    GRID_A,
    STREET,
    DISTRICT,
    CITY,
    SYSADMIN,
    SECADMIN,
    AUDITADMIN,
]

COMMITTEE_A = "东湖社区人民调解委员会"
COMMITTEE_B = "梨园社区人民调解委员会"
DONGHU_OFFICE = "东湖街道司法所"
QINGSHAN_OFFICE = "青山街道司法所"
DONGHU_DISTRICT = "东湖区司法局"
XISHAN_DISTRICT = "西山区司法局"


def org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def other_district_admins() -> None:
    """Three administrators at 西山区司法局: their scope excludes 东湖区."""
    xishan = org(XISHAN_DISTRICT)
    for username, role in (
        (XISHAN_SYSADMIN, Role.SYSTEM_ADMIN),
        (XISHAN_SECADMIN, Role.SECURITY_ADMIN),
        (XISHAN_AUDITADMIN, Role.AUDIT_ADMIN),
    ):
        if not User.objects.filter(username=username).exists():
            user_create(
                actor=None,
                data=AccountData(
                    username=username, full_name=username, organisation=xishan, role=role
                ),
                password="Xishan-Admin-2026",
            )
