"""The ledger import pages: the template, a small ledger imported at once, a large one in the
background with its polled status, and who may see what."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from tests import personas as p
from tiaojie.accounts.models import User
from tiaojie.cases.choices import CaseStatus, LedgerImportStatus
from tiaojie.cases.ledger_columns import COLUMNS
from tiaojie.cases.ledger_jobs import ProgressReport, ledger_import_queue
from tiaojie.cases.models import Case, LedgerImport
from tiaojie.cases.tests.ledger_files import many_rows, mixed_rows, table, xlsx

IMPORT = reverse("cases:ledger_import")


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return _(message)


def post(client: Client, content: bytes, name: str = "台账.xlsx") -> Any:
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(IMPORT, {"file": upload})


def status_url(job: LedgerImport) -> str:
    return reverse("cases:ledger_import_status", args=[job.pk])


def test_the_template_explains_each_column_and_its_examples_import_as_they_are(
    client_as: Callable[[str], Client],
) -> None:
    client = client_as(p.MEDIATOR_A)
    response = client.get(reverse("cases:ledger_import_template"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == [column.header for column in COLUMNS]
    assert len(rows) == 5  # headers, explanations, three examples
    mediator_column = rows[0].index("调解员")
    assert {row[mediator_column] for row in rows[2:]} == {"李建国"}
    results = [row[rows[0].index("调解结果")] for row in rows[2:]]
    assert results == ["成功", "成功", "不成功"]

    imported = post(client, response.content, "模板.xlsx")
    assert imported.status_code == 302
    created = Case.objects.filter(
        summary__in=[row[rows[0].index("纠纷简要情况")] for row in rows[2:]]
    )
    assert sorted(created.values_list("status", flat=True)) == [
        CaseStatus.AGREED,
        CaseStatus.AGREED,
        CaseStatus.FAILED,
    ]
    assert {c.year for c in created} == {timezone.localdate().year - 1}


def test_a_small_ledger_is_imported_at_once_with_a_link_to_its_cases(
    client_as: Callable[[str], Client],
) -> None:
    upload = SimpleUploadedFile("台账.xlsx", xlsx(table(mixed_rows())))
    response = client_as(p.DIRECTOR_A).post(IMPORT, {"file": upload}, follow=True)
    assert response.redirect_chain == [(IMPORT, 302)]
    year = timezone.localdate().year
    link = (
        f"{reverse('cases:case_list')}?sort=registered"
        f"&registered_from={year - 2}-01-15&registered_to={year - 1}-03-01"
    )
    assert f'href="{link}"' in response.content.decode().replace("&amp;", "&")
    assert not LedgerImport.objects.exists()  # nothing queued: done within the request


def test_a_bad_ledger_shows_each_problem_and_writes_nothing(
    client_as: Callable[[str], Client],
) -> None:
    rows = mixed_rows()
    rows[2]["纠纷类型"] = "宠物纠纷"
    before = Case.objects.count()
    response = post(client_as(p.DIRECTOR_A), xlsx(table(rows)))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="import-errors"' in html
    assert f'<td data-label="{zh("Row")}">4</td>' in html
    assert f'<td data-label="{zh("Column")}">纠纷类型</td>' in html
    assert Case.objects.count() == before


def test_a_large_ledger_runs_in_the_background_and_ends_done(
    client_as: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_as(p.MEDIATOR_A)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, xlsx(table(many_rows(300))))
    job = LedgerImport.objects.get()
    assert response.status_code == 302 and response["Location"] == status_url(job)
    assert (job.status, job.progress, job.created_cases) == (LedgerImportStatus.DONE, 100, 300)
    assert (job.total_rows, job.done_rows, job.errors) == (300, 300, [])
    assert job.file == "" and job.finished_at is not None
    assert Case.objects.filter(summary__endswith="号邻里纠纷").count() == 300

    page = client.get(status_url(job))
    html = page.content.decode()
    assert page.status_code == 200 and "<html" in html
    assert f"registered_from={job.registered_from}" in html.replace("&amp;", "&")
    fragment = client.get(status_url(job), headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode()
    assert "hx-trigger" not in fragment.content.decode()  # finished: polling stops


def test_a_large_ledger_with_a_bad_row_fails_with_the_errors_and_no_cases(
    client_as: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    rows = many_rows(250)
    rows[200]["调解员"] = "张三"
    before = Case.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        post(client_as(p.MEDIATOR_A), xlsx(table(rows)))
    job = LedgerImport.objects.get()
    assert job.status == LedgerImportStatus.FAILED
    assert [(e["row"], e["column"]) for e in job.errors] == [(202, "调解员")]
    assert Case.objects.count() == before
    html = client_as(p.DIRECTOR_A).get(status_url(job)).content.decode()
    assert 'id="import-errors"' in html and "张三" in html


def test_a_queued_import_is_polled_every_two_seconds(db: None) -> None:
    mediator = User.objects.get(username=p.MEDIATOR_A)
    job = ledger_import_queue(
        actor=mediator, content=xlsx(table(many_rows(3))), file_name="t.xlsx", rows=3
    )
    assert default_storage.exists(job.file) and job.file.startswith("imports/")
    client = Client()
    client.force_login(mediator)
    fragment = client.get(status_url(job), headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in fragment
    assert "<progress" in fragment


@pytest.mark.parametrize(
    ("username", "expected"),
    [(p.MEDIATOR_A, 200), (p.DIRECTOR_A, 200), (p.MEDIATOR_B, 404), (p.GRID_A, 403)],
)
def test_only_the_committee_follows_its_imports(
    client_as: Callable[[str], Client], username: str, expected: int
) -> None:
    job = ledger_import_queue(
        actor=User.objects.get(username=p.MEDIATOR_A),
        content=xlsx(table(many_rows(3))),
        file_name="t.xlsx",
        rows=3,
    )
    assert client_as(username).get(status_url(job)).status_code == expected


def test_the_case_list_links_to_the_import_for_those_who_may_import(
    client_as: Callable[[str], Client],
) -> None:
    link = f'href="{IMPORT}"'
    assert link in client_as(p.MEDIATOR_A).get(reverse("cases:case_list")).content.decode()
    assert link not in client_as(p.GRID_A).get(reverse("cases:case_list")).content.decode()
    assert link not in client_as(p.STREET).get(reverse("cases:case_list")).content.decode()
    assert client_as(p.GRID_A).get(IMPORT).status_code == 403


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_progress_is_seen_by_other_connections_while_the_import_is_uncommitted() -> None:
    from conftest import restore_world

    restore_world()  # transactional tests start from an empty database
    mediator = User.objects.get(username=p.MEDIATOR_A)
    job = LedgerImport.objects.create(
        committee=mediator.organisation, uploaded_by=mediator, file_name="t.xlsx"
    )
    report = ProgressReport(job.pk)
    page = connections.create_connection(DEFAULT_DB_ALIAS)  # the polling page's connection
    table = LedgerImport._meta.db_table
    try:
        with transaction.atomic():
            report(150, 300)
            with page.cursor() as cursor:
                cursor.execute(
                    f"SELECT status, done_rows, total_rows FROM {table} WHERE id = %s",  # noqa: S608
                    [job.pk],
                )
                assert cursor.fetchone() == ("importing", 150, 300)
    finally:
        report.close()
        page.close()
