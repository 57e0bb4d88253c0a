"""The generic permission suite over every page: anonymous refused, out of scope 404, a role
without the capability 403, in scope 200. A page without cases here fails the suite."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import personas as p
from tests.permission_kit import PageCase, app_cases
from tiaojie.accounts.models import User
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.models import Case


def committee_a() -> dict[str, int]:
    return {"pk": p.org(p.COMMITTEE_A).pk}


def user_pk(username: str) -> Callable[[], dict[str, int]]:
    return lambda: {"pk": User.objects.get(username=username).pk}


def event_of_district() -> dict[str, int]:
    """An audit event recorded against 东湖区 (the demo's creation of committee A)."""
    event = AuditEvent.objects.filter(object_repr__endswith=p.COMMITTEE_A).earliest("id")
    return {"pk": event.pk}


ORG_VIEWERS = {
    p.MEDIATOR_A: 200,
    p.DIRECTOR_A: 200,
    p.STREET: 200,
    p.DISTRICT: 200,
    p.CITY: 200,
    p.SYSADMIN: 200,
    p.SECADMIN: 200,
}
ORG_MANAGERS = {p.STREET: 200, p.DISTRICT: 200, p.CITY: 200, p.SYSADMIN: 200}
CASE_READERS_ALL = {
    p.MEDIATOR_A: 200,
    p.MEDIATOR_B: 200,
    p.DIRECTOR_A: 200,
    p.GRID_A: 200,
    p.STREET: 200,
    p.DISTRICT: 200,
    p.CITY: 200,
}
# The street and district officers register into their governance centres' queues; the city
# bureau is no governance centre in the demo, so its officer has no intake (403).
CASE_REGISTRARS = {
    p.MEDIATOR_A: 200,
    p.MEDIATOR_B: 200,
    p.DIRECTOR_A: 200,
    p.GRID_A: 200,
    p.STREET: 200,
    p.DISTRICT: 200,
}
CASE_READERS_A = {
    p.MEDIATOR_A: 200,
    p.DIRECTOR_A: 200,
    p.MEDIATOR_B: 404,
    p.GRID_A: 404,
    p.STREET: 200,
    p.DISTRICT: 200,
    p.CITY: 200,
}


def party_of_committee_a() -> dict[str, Any]:
    case_id = case_of_committee_a()["pk"]
    party = Case.objects.get(pk=case_id).parties.first()
    assert party is not None
    return {"pk": case_id, "party_id": party.pk}


def case_of_committee_a() -> dict[str, int]:
    from tiaojie.cases.tests.factories import register

    return {"pk": register(User.objects.get(username=p.MEDIATOR_A)).pk}


def attachment_of_committee_a() -> dict[str, int]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tiaojie.cases.services.attachments import attachment_add
    from tiaojie.cases.tests.factories import register

    mediator = User.objects.get(username=p.MEDIATOR_A)
    attachment = attachment_add(
        actor=mediator,
        case=register(mediator),
        kind="evidence",
        title="现场照片",
        file=SimpleUploadedFile("photo.pdf", b"%PDF-1.4 permission test"),
    )
    return {"pk": attachment.pk}


CASES: list[PageCase] = [
    PageCase("accounts:login", public=True, default=200),
    PageCase("set_language", public=True, method="post", default=302),
    PageCase("workbench:home", default=200),
    # The settings page lists what a role configures; a role with nothing to configure: 403.
    PageCase(
        "core:configuration",
        expect={
            p.DISTRICT: 200,
            p.CITY: 200,
            p.SYSADMIN: 200,
            p.XISHAN_SYSADMIN: 200,
            p.DIRECTOR_A: 200,
        },
    ),
    PageCase("accounts:password_change", default=200),
    PageCase("accounts:logout", method="post", default=302),
    PageCase(
        "organisations:tree",
        expect={
            **ORG_VIEWERS,
            p.MEDIATOR_B: 200,
            p.GRID_A: 200,
            p.XISHAN_SYSADMIN: 200,
            p.XISHAN_SECADMIN: 200,
        },
    ),
    # Committee A: its mediator and everyone above see it; the sibling's mediator and the grid
    # worker below it get "not found"; the audit admin's role has no tree at all.
    PageCase(
        "organisations:detail",
        committee_a,
        {
            **ORG_VIEWERS,
            p.MEDIATOR_B: 404,
            p.GRID_A: 404,
            p.XISHAN_SYSADMIN: 404,
            p.XISHAN_SECADMIN: 404,
        },
    ),
    PageCase(
        "organisations:create",
        lambda: {"parent_pk": p.org(p.COMMITTEE_A).pk},
        {**ORG_MANAGERS, p.XISHAN_SYSADMIN: 404},
    ),
    PageCase("organisations:edit", committee_a, {**ORG_MANAGERS, p.XISHAN_SYSADMIN: 404}),
    PageCase("organisations:change_status", committee_a, {**ORG_MANAGERS, p.XISHAN_SYSADMIN: 404}),
    PageCase("organisations:import", expect={p.SYSADMIN: 200, p.XISHAN_SYSADMIN: 200}),
    PageCase("organisations:import_template", expect={p.SYSADMIN: 200, p.XISHAN_SYSADMIN: 200}),
    PageCase(
        "accounts:user_list",
        expect={p.SYSADMIN: 200, p.SECADMIN: 200, p.XISHAN_SYSADMIN: 200, p.XISHAN_SECADMIN: 200},
    ),
    PageCase("accounts:user_create", expect={p.SYSADMIN: 200, p.XISHAN_SYSADMIN: 200}),
    PageCase(
        "accounts:user_detail",
        user_pk(p.MEDIATOR_A),
        {p.SYSADMIN: 200, p.SECADMIN: 200, p.XISHAN_SYSADMIN: 404, p.XISHAN_SECADMIN: 404},
        default=404,
    ),
    PageCase(
        "accounts:token_revoke_all",
        user_pk(p.MEDIATOR_A),
        {p.SECADMIN: 302, p.XISHAN_SECADMIN: 404},
        method="post",
    ),
    PageCase("audit:event_list", expect={p.AUDITADMIN: 200, p.XISHAN_AUDITADMIN: 200}),
    PageCase("audit:event_export", expect={p.AUDITADMIN: 200, p.XISHAN_AUDITADMIN: 200}),
    PageCase(
        "audit:event_detail", event_of_district, {p.AUDITADMIN: 200, p.XISHAN_AUDITADMIN: 404}
    ),
    # Cases: committee staff and the officers above read; grid workers only what they reported.
    PageCase("cases:case_list", expect=CASE_READERS_ALL),
    PageCase("cases:case_register", expect=CASE_REGISTRARS),
    PageCase("cases:party_row", expect=CASE_REGISTRARS),
    PageCase("cases:party_lookup", expect=CASE_REGISTRARS),
    PageCase("cases:case_duplicates", expect=CASE_REGISTRARS),
    PageCase(
        "cases:case_export", expect={p.DIRECTOR_A: 200, p.STREET: 200, p.DISTRICT: 200, p.CITY: 200}
    ),
    # A case of committee A, registered by its mediator: the grid worker did not report it.
    PageCase("cases:case_detail", case_of_committee_a, CASE_READERS_A),
    PageCase("cases:case_action", case_of_committee_a, CASE_READERS_A),
    PageCase(
        "cases:parties_reveal",
        case_of_committee_a,
        {p.MEDIATOR_A: 200, p.DIRECTOR_A: 200, p.MEDIATOR_B: 404},
        method="post",
    ),
    PageCase("cases:attachment_download", attachment_of_committee_a, CASE_READERS_A),
    # Editing shows personal data in full: mediators and directors only; officers may read the
    # case but not handle it (403), another committee's mediator finds nothing (404).
    PageCase(
        "cases:party_edit",
        party_of_committee_a,
        {p.MEDIATOR_A: 200, p.DIRECTOR_A: 200, p.MEDIATOR_B: 404},
    ),
]


# --- Documents ------------------------------------------------------------------------------


def rendered_case_of_committee_a() -> dict[str, int]:
    """A committee-A case whose whole file a bureau officer rendered (identity masked, so every
    reader in scope may have it)."""
    from tiaojie.cases.tests.factories import register
    from tiaojie.documents import services

    case = register(User.objects.get(username=p.MEDIATOR_A))
    render = services.case_file_render_request(
        actor=User.objects.get(username=p.DISTRICT), case=case
    )
    services.case_file_render_run(render_id=render.pk)
    return {"pk": case.pk}


def document_of_committee_a() -> dict[str, Any]:
    return {**case_of_committee_a(), "kind": "registration", "fmt": "pdf"}


# A bureau's administrators (who manage organisations there) set its document templates.
TEMPLATE_ADMINS = {p.DISTRICT: 200, p.CITY: 200, p.SYSADMIN: 200, p.XISHAN_SYSADMIN: 200}
CASES += [
    PageCase("documents:case_documents", case_of_committee_a, CASE_READERS_A),
    PageCase("documents:document_download", document_of_committee_a, CASE_READERS_A),
    PageCase("documents:case_file", rendered_case_of_committee_a, CASE_READERS_A),
    PageCase(
        "documents:case_file_render",
        case_of_committee_a,
        {k: 302 if v == 200 else v for k, v in CASE_READERS_A.items()},
        method="post",
    ),
    PageCase("documents:case_file_status", case_of_committee_a, CASE_READERS_A),
    PageCase("documents:template_list", expect=TEMPLATE_ADMINS),
    PageCase("documents:template_download", lambda: {"kind": "agreement"}, TEMPLATE_ADMINS),
]

# --- Ledger import ---------------------------------------------------------------------------


def ledger_import_of_committee_a() -> dict[str, int]:
    """A large ledger queued by committee A's mediator (its task not run)."""
    from tiaojie.cases.ledger_jobs import ledger_import_queue
    from tiaojie.cases.tests.ledger_files import many_rows, table, xlsx

    mediator = User.objects.get(username=p.MEDIATOR_A)
    content = xlsx(table(many_rows(3)))
    job = ledger_import_queue(actor=mediator, content=content, file_name="t.xlsx", rows=3)
    return {"pk": job.pk}


# Mediators and directors import into their committee; grid workers register but do not handle.
LEDGER_IMPORTERS = {p.MEDIATOR_A: 200, p.MEDIATOR_B: 200, p.DIRECTOR_A: 200}
CASES += [
    PageCase("cases:ledger_import", expect=LEDGER_IMPORTERS),
    PageCase("cases:ledger_import_template", expect=LEDGER_IMPORTERS),
    PageCase(
        "cases:ledger_import_status",
        ledger_import_of_committee_a,
        {p.MEDIATOR_A: 200, p.DIRECTOR_A: 200, p.MEDIATOR_B: 404},
    ),
]

CASES += app_cases("PAGE_CASES")

PERSONAS = [*p.ALL_STAFF, p.XISHAN_SYSADMIN, p.XISHAN_SECADMIN, p.XISHAN_AUDITADMIN]


def _url_names(patterns: Sequence[object], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("api/"):
                continue  # covered by test_api_permissions
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(namespace + entry.name)
    return names


def test_every_page_has_permission_cases() -> None:
    missing = _url_names(get_resolver().url_patterns) - {case.url_name for case in CASES}
    assert missing == set(), f"add PageCase entries for: {sorted(missing)}"


def _request(client: Client, case: PageCase) -> int:
    url = reverse(case.url_name, kwargs=case.kwargs() or None)
    response = client.post(url) if case.method == "post" else client.get(url)
    return response.status_code


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.url_name)
def test_anonymous_is_sent_to_login(db: None, case: PageCase) -> None:
    p.other_district_admins()
    url = reverse(case.url_name, kwargs=case.kwargs() or None)
    response = Client().post(url) if case.method == "post" else Client().get(url)
    if case.public:
        assert response.status_code == case.default
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("case", [c for c in CASES if not c.public], ids=lambda c: c.url_name)
@pytest.mark.parametrize("username", PERSONAS)
def test_each_persona_gets_what_its_role_and_scope_allow(
    db: None, case: PageCase, username: str
) -> None:
    p.other_district_admins()
    client = Client()
    client.force_login(User.objects.get(username=username))
    expected = case.expect.get(username, case.default)
    assert _request(client, case) == expected, f"{username} on {case.url_name}"
