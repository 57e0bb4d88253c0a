"""docs/permissions.md shows exactly what roles.py grants."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from tiaojie.accounts.permissions_doc import table
from tiaojie.accounts.roles import ADMIN_ROLES, ROLE_CAPABILITIES, Capability


def test_the_documented_table_is_the_one_roles_py_gives() -> None:
    doc = (Path(settings.BASE_DIR) / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert table() in doc, "run: .venv/bin/python manage.py permissions_table --write"


def test_no_administrator_reads_case_contents_and_none_does_anothers_work() -> None:
    for role in ADMIN_ROLES:
        assert Capability.CASE_CONTENT not in ROLE_CAPABILITIES[role]
    admin_only = {
        cap
        for role in ADMIN_ROLES
        for cap in ROLE_CAPABILITIES[role]
        if cap in {Capability.ACCOUNT_MANAGE, Capability.ACCOUNT_SECURE, Capability.AUDIT_VIEW}
    }
    assert admin_only == {
        Capability.ACCOUNT_MANAGE,
        Capability.ACCOUNT_SECURE,
        Capability.AUDIT_VIEW,
    }
    holders = {cap: [r for r in ADMIN_ROLES if cap in ROLE_CAPABILITIES[r]] for cap in admin_only}
    assert all(len(roles) == 1 for roles in holders.values()), holders
