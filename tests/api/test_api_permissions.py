"""The generic permission suite over every API operation: no token 401, out of scope 404, in
scope 200. An operation without cases here fails the suite."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests import personas as p
from tests.api.schema import call, openapi
from tests.permission_kit import ApiCase, app_cases
from tiaojie.accounts.models import User


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


def _mediator() -> User:
    return User.objects.get(username=p.MEDIATOR_A)


def case_in(state: str = "registered") -> Callable[[], dict[str, Any]]:
    """A committee-A case in ``state``, built through the services as its mediator would."""
    from tiaojie.cases.tests import factories as f

    def build() -> dict[str, Any]:
        case = f.register(_mediator())
        if state in ("mediation", "session", "agreed"):
            case = f.to_mediation(_mediator(), case)
        if state == "session":
            case = f.with_session(_mediator(), case)
        if state == "agreed":
            case = f.to_agreement(_mediator(), f.register(_mediator()))
        return {"case_id": case.pk}

    return build


def first_party() -> dict[str, Any]:
    from tiaojie.cases.tests import factories as f

    case = f.register(_mediator())
    return {"case_id": case.pk, "party_id": case.parties.first().pk}  # type: ignore[union-attr]


def _now() -> str:
    """Now, when the request is built: a time taken at import would lie before the case's
    registration once Beijing's midnight falls between the collection and the test."""
    return timezone.now().isoformat()


CASE_READERS = {p.MEDIATOR_A: 200, p.DIRECTOR_A: 200, p.STREET: 200, p.DISTRICT: 200, p.CITY: 200}
# In scope but without the capability: 403. Out of scope, or no case rights at all: 404.
CASE_WORKERS = {p.STREET: 403, p.DISTRICT: 403, p.CITY: 403}


def worker_case(
    operation: str,
    method: str,
    template: str,
    params: Callable[[], dict[str, Any]],
    body: Callable[[], Any],
    ok: int,
) -> ApiCase:
    return ApiCase(
        operation,
        method,
        template,
        params,
        body,
        expect={p.MEDIATOR_A: ok, p.DIRECTOR_A: ok, **CASE_WORKERS},
        default=404,
    )


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
            "email": "api_new@example.cn",
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
        # A role change that reads cases waits for approval: the answer is the account.
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


def _today() -> str:
    """Today in Beijing, when the request is built (see ``_now``)."""
    return timezone.localdate().isoformat()


CASES += [
    ApiCase("dispute_types_list", "get", "/dispute-types"),
    ApiCase("cases_list", "get", "/cases"),
    ApiCase(
        "cases_create",
        "post",
        "/cases",
        body=lambda: {
            "dispute_type": "neighbours",
            "source": "application",
            "summary": "邻里噪音",
            "parties": [{"role": "applicant", "name": "甲"}, {"role": "respondent", "name": "乙"}],
        },
        # Street and district officers register into their governance centres' queues.
        expect={
            p.MEDIATOR_A: 201,
            p.MEDIATOR_B: 201,
            p.DIRECTOR_A: 201,
            p.GRID_A: 201,
            p.STREET: 201,
            p.DISTRICT: 201,
        },
        default=403,
    ),
    ApiCase("cases_read", "get", "/cases/{case_id}", case_in(), expect=CASE_READERS, default=404),
    ApiCase(
        "cases_history",
        "get",
        "/cases/{case_id}/history",
        case_in(),
        expect=CASE_READERS,
        default=404,
    ),
    ApiCase(
        "cases_personal_data",
        "get",
        "/cases/{case_id}/personal-data",
        case_in(),
        expect={p.MEDIATOR_A: 200, p.DIRECTOR_A: 200, **CASE_WORKERS},
        default=404,
    ),
    worker_case(
        "cases_update",
        "put",
        "/cases/{case_id}",
        case_in(),
        lambda: {
            "dispute_type": "neighbours",
            "source": "application",
            "summary": "改",
            "version": 1,
        },
        200,
    ),
    worker_case(
        "cases_transition",
        "post",
        "/cases/{case_id}/transitions",
        case_in(),
        lambda: {"action": "accept"},
        200,
    ),
    worker_case(
        "parties_create",
        "post",
        "/cases/{case_id}/parties",
        case_in(),
        lambda: {"role": "third_party", "name": "丙"},
        201,
    ),
    worker_case(
        "parties_update",
        "put",
        "/cases/{case_id}/parties/{party_id}",
        first_party,
        lambda: {"role": "applicant", "name": "王建华"},
        200,
    ),
    worker_case(
        "investigations_create",
        "post",
        "/cases/{case_id}/investigations",
        case_in("mediation"),
        lambda: {
            "held_at": _now(),
            "place": "社区",
            "interviewee": "邻居",
            "investigators": "李建国",
            "recorder": "李建国",
            "content": "问答",
        },
        201,
    ),
    worker_case(
        "sessions_create",
        "post",
        "/cases/{case_id}/sessions",
        case_in("mediation"),
        lambda: {
            "held_at": _now(),
            "place": "调解室",
            "parties_present": "双方",
            "recorder": "李建国",
            "content": "记录",
        },
        201,
    ),
    worker_case(
        "agreement_create",
        "post",
        "/cases/{case_id}/agreement",
        case_in("session"),
        lambda: {
            "kind": "oral",
            "facts": "事实",
            "content": "内容",
            "performance_manner": "当面",
            "formed_on": _today(),
        },
        201,
    ),
    worker_case(
        "agreement_sign",
        "post",
        "/cases/{case_id}/agreement/signatures",
        case_in("session"),
        lambda: {"signed_on": _today(), "seal": True},
        409,
    ),
    worker_case(
        "performance_create",
        "post",
        "/cases/{case_id}/performance",
        case_in("agreed"),
        lambda: {"status": "performed", "recorded_on": _today()},
        201,
    ),
    worker_case(
        "confirmations_create",
        "post",
        "/cases/{case_id}/confirmations",
        case_in("agreed"),
        lambda: {"applied_on": _today(), "court": "东湖区人民法院", "joint": True},
        201,
    ),
    worker_case(
        "confirmations_decide",
        "post",
        "/cases/{case_id}/confirmations/decision",
        case_in("agreed"),
        lambda: {"outcome": "confirmed", "decided_on": _today(), "ruling_number": "民特1号"},
        409,
    ),
    worker_case(
        "follow_ups_create",
        "post",
        "/cases/{case_id}/follow-ups",
        case_in("agreed"),
        lambda: {
            "visited_on": _today(),
            "method": "phone",
            "party_visited": "王建华",
            "performance": "performed",
            "satisfaction": "satisfied",
        },
        201,
    ),
    ApiCase(
        "cases_extend",
        "post",
        "/cases/{case_id}/extension",
        case_in("mediation"),
        lambda: {"until": "2099-12-31", "reason": "双方同意延长", "parties_consent": True},
        # The director approves an extension; the mediator may not grant it alone.
        expect={p.DIRECTOR_A: 200, p.MEDIATOR_A: 403, **CASE_WORKERS},
        default=404,
    ),
]

CASES += [
    ApiCase(
        "case_documents_read",
        "get",
        "/cases/{case_id}/documents/{kind}",
        lambda: {**case_in()(), "kind": "registration"},
        expect=CASE_READERS,
        default=404,
    ),
    ApiCase(
        "agreement_signatures",
        "get",
        "/cases/{case_id}/agreement/signatures",
        case_in("agreed"),
        expect=CASE_READERS,
        default=404,
    ),
]


def ledger_file() -> dict[str, Any]:
    """A one-row ledger mediated by committee A's mediator (unknown at committee B: 422)."""
    from tiaojie.cases.tests.ledger_files import many_rows, table, xlsx

    content = xlsx(table(many_rows(1)))
    return {
        "file": SimpleUploadedFile("台账.xlsx", content, content_type="application/octet-stream")
    }


def ledger_import_of_committee_a() -> dict[str, Any]:
    from tiaojie.cases.ledger_jobs import ledger_import_queue
    from tiaojie.cases.tests.ledger_files import many_rows, table, xlsx

    content = xlsx(table(many_rows(3)))
    job = ledger_import_queue(actor=_mediator(), content=content, file_name="t.xlsx", rows=3)
    return {"import_id": job.pk}


CASES += [
    ApiCase(
        "cases_import",
        "post",
        "/cases/import",
        multipart=ledger_file,
        expect={p.MEDIATOR_A: 200, p.DIRECTOR_A: 200, p.MEDIATOR_B: 422},
        default=403,
    ),
    ApiCase(
        "cases_import_read",
        "get",
        "/cases/import/{import_id}",
        ledger_import_of_committee_a,
        expect={p.MEDIATOR_A: 200, p.DIRECTOR_A: 200, p.MEDIATOR_B: 404},
        default=403,
    ),
]

CASES += app_cases("API_CASES")

PERSONAS = [*p.ALL_STAFF, p.XISHAN_SYSADMIN, p.XISHAN_SECADMIN, p.XISHAN_AUDITADMIN]
# Operations checked elsewhere: getting and revoking tokens (test_auth_api); choosing a password
# with a one-time code, which needs no token (accounts/tests/test_separation).
# The citizen API (operation ids ``citizen_*``) takes no staff token at all; its isolation is
# tested in public/tests/test_citizen_api_isolation.
ELSEWHERE = {"token_create", "token_revoke", "password_set"}


def test_every_operation_has_permission_cases() -> None:
    declared = {
        op["operationId"]
        for methods in openapi()["paths"].values()
        for op in methods.values()
        if not op["operationId"].startswith("citizen_")
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
