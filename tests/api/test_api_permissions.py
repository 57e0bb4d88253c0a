"""The generic permission suite over every API operation: no token 401, out of scope 404, in
scope 200. An operation without cases here fails the suite."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import personas as p
from tests.api.schema import call, openapi
from tiaojie.accounts.models import User


@dataclass
class ApiCase:
    operation_id: str
    method: str
    template: str
    params: Callable[[], dict[str, Any]] = dict
    body: Callable[[], Any] | None = None
    multipart: Callable[[], dict[str, Any]] | None = None
    expect: dict[str, int] = field(default_factory=dict)
    default: int = 200


def committee_a() -> dict[str, Any]:
    return {"org_id": p.org(p.COMMITTEE_A).pk}


def mediator_a() -> dict[str, Any]:
    return {"account_id": User.objects.get(username=p.MEDIATOR_A).pk}


def org_fields() -> dict[str, Any]:
    org = p.org(p.COMMITTEE_A)
    return {"name": org.name, "committee_kind": "community", "version": org.version}


def tree_file() -> dict[str, Any]:
    """A one-row CSV adding a grid under committee A."""
    upload = SimpleUploadedFile(
        "grid.csv", "编号,上级编号,名称,类型\nG9,,第九网格,网格\n".encode(), content_type="text/csv"
    )
    return {"anchor_id": p.org(p.COMMITTEE_A).pk, "file": upload}


MANAGERS = {p.STREET: 200, p.DISTRICT: 200, p.CITY: 200, p.SYSADMIN: 200}

CASES = [
    ApiCase("me_read", "get", "/me"),
    ApiCase("organisations_list", "get", "/organisations"),
    ApiCase(
        "organisations_read",
        "get",
        "/organisations/{org_id}",
        committee_a,
        expect={
            p.MEDIATOR_B: 404,
            p.GRID_A: 404,
            p.AUDITADMIN: 404,
            p.XISHAN_SYSADMIN: 404,
            p.XISHAN_SECADMIN: 404,
            p.XISHAN_AUDITADMIN: 404,
        },
    ),
    ApiCase(
        "organisations_create",
        "post",
        "/organisations",
        body=lambda: {"parent_id": p.org(p.COMMITTEE_A).pk, "kind": "grid", "name": "第九网格"},
        expect={**{k: 201 for k in MANAGERS}, p.XISHAN_SYSADMIN: 404},
        default=404,
    ),
    ApiCase(
        "organisations_update",
        "put",
        "/organisations/{org_id}",
        committee_a,
        org_fields,
        expect={**MANAGERS, p.XISHAN_SYSADMIN: 404},
        default=404,
    ),
    ApiCase(
        "organisations_change_status",
        "post",
        "/organisations/{org_id}/status",
        committee_a,
        lambda: {"status": "active", "reason": "核对", "version": p.org(p.COMMITTEE_A).version},
        expect={**MANAGERS, p.XISHAN_SYSADMIN: 404},
        default=404,
    ),
    ApiCase(
        "organisations_import",
        "post",
        "/organisations/import",
        multipart=tree_file,
        expect={p.SYSADMIN: 200, p.XISHAN_SYSADMIN: 404},
        default=403,
    ),
    ApiCase(
        "accounts_list",
        "get",
        "/accounts",
        expect={p.SYSADMIN: 200, p.SECADMIN: 200, p.XISHAN_SYSADMIN: 200, p.XISHAN_SECADMIN: 200},
        default=403,
    ),
    ApiCase(
        "accounts_read",
        "get",
        "/accounts/{account_id}",
        mediator_a,
        expect={p.SYSADMIN: 200, p.SECADMIN: 200, p.XISHAN_SYSADMIN: 404, p.XISHAN_SECADMIN: 404},
        default=403,
    ),
    ApiCase(
        "accounts_create",
        "post",
        "/accounts",
        body=lambda: {
            "username": "api_new",
            "full_name": "新人",
            "organisation_id": p.org(p.COMMITTEE_A).pk,
            "role": "mediator",
            "password": "Tiaojie-API-2026",
        },
        expect={p.SYSADMIN: 201, p.XISHAN_SYSADMIN: 404},
        default=403,
    ),
    ApiCase(
        "accounts_change_role",
        "post",
        "/accounts/{account_id}/role",
        mediator_a,
        lambda: {
            "role": "mediator",
            "reason": "核对",
            "version": User.objects.get(username=p.MEDIATOR_A).version,
        },
        expect={p.SECADMIN: 200, p.XISHAN_SECADMIN: 404},
        default=404,
    ),
    ApiCase(
        "accounts_set_active",
        "post",
        "/accounts/{account_id}/active",
        mediator_a,
        lambda: {"active": True, "reason": "核对"},
        expect={p.SECADMIN: 200, p.XISHAN_SECADMIN: 404, p.MEDIATOR_A: 404},
        default=404,
    ),
]

PERSONAS = [*p.ALL_STAFF, p.XISHAN_SYSADMIN, p.XISHAN_SECADMIN, p.XISHAN_AUDITADMIN]
# Operations checked elsewhere: getting and revoking tokens (test_auth_api).
ELSEWHERE = {"token_create", "token_revoke"}


def test_every_operation_has_permission_cases() -> None:
    declared = {
        op["operationId"] for methods in openapi()["paths"].values() for op in methods.values()
    }
    missing = declared - {c.operation_id for c in CASES} - ELSEWHERE
    assert missing == set(), f"add ApiCase entries for: {sorted(missing)}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.operation_id)
def test_no_token_gets_401(db: None, case: ApiCase) -> None:
    body = case.body() if case.body else None
    multipart = case.multipart() if case.multipart else None
    response = call(
        Client(), case.method, case.template, body, multipart=multipart, **case.params()
    )
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.operation_id)
@pytest.mark.parametrize("username", PERSONAS)
def test_each_persona_gets_what_its_role_and_scope_allow(
    db: None, api_as: Callable[[str], Client], case: ApiCase, username: str
) -> None:
    p.other_district_admins()
    body = case.body() if case.body else None
    multipart = case.multipart() if case.multipart else None
    response = call(
        api_as(username), case.method, case.template, body, multipart=multipart, **case.params()
    )
    expected = case.expect.get(username, case.default)
    assert response.status_code == expected, f"{username}: {response.content[:200]!r}"
