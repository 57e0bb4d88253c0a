"""The ledger import over the API: 200 for a small file, 202 and a status to follow for a large
one, 422 with every problem keyed "<row>:<column>"; responses checked against the schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import personas as p
from tests.api.schema import call
from tiaojie.accounts.models import User
from tiaojie.cases.ledger_jobs import ledger_import_queue
from tiaojie.cases.models import Case
from tiaojie.cases.tests.ledger_files import many_rows, mixed_rows, table, xlsx

IMPORT = "/cases/import"
STATUS = "/cases/import/{import_id}"


def upload(content: bytes, name: str = "台账.xlsx") -> dict[str, Any]:
    return {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")}


def test_a_small_ledger_is_imported_at_once(api_as: Callable[[str], Client]) -> None:
    response = call(
        api_as(p.DIRECTOR_A), "post", IMPORT, multipart=upload(xlsx(table(mixed_rows())))
    )
    assert response.status_code == 200
    assert response.json() == {"created": 7}


def test_a_bad_ledger_answers_422_with_each_problem_by_row_and_column(
    api_as: Callable[[str], Client],
) -> None:
    rows = mixed_rows()
    rows[0]["纠纷类型"] = "宠物"
    rows[3]["调解员"] = "张三"
    before = Case.objects.count()
    response = call(api_as(p.DIRECTOR_A), "post", IMPORT, multipart=upload(xlsx(table(rows))))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import_invalid"
    assert list(body["fields"]) == ["2:纠纷类型", "5:调解员"]
    assert Case.objects.count() == before


def test_a_file_of_another_type_is_refused(api_as: Callable[[str], Client]) -> None:
    response = call(api_as(p.DIRECTOR_A), "post", IMPORT, multipart=upload(b"x", "台账.xls"))
    assert response.status_code == 422
    assert response.json()["code"] == "import_file_type"


def test_a_large_ledger_is_queued_and_followed_to_the_end(
    api_as: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = api_as(p.MEDIATOR_A)
    with django_capture_on_commit_callbacks(execute=True):
        response = call(client, "post", IMPORT, multipart=upload(xlsx(table(many_rows(201)))))
    assert response.status_code == 202
    queued = response.json()
    assert queued["status"] == "queued"
    status = call(client, "get", STATUS, import_id=queued["import_id"])
    assert status.status_code == 200
    body = status.json()
    assert (body["status"], body["progress"], body["created_cases"]) == ("done", 100, 201)
    assert body["errors"] == []


def test_an_import_is_seen_only_by_its_committee(api_as: Callable[[str], Client]) -> None:
    job = ledger_import_queue(
        actor=User.objects.get(username=p.MEDIATOR_A),
        content=xlsx(table(many_rows(3))),
        file_name="t.xlsx",
        rows=3,
    )
    director = call(api_as(p.DIRECTOR_A), "get", STATUS, import_id=job.pk)
    assert director.status_code == 200 and director.json()["progress"] == 0
    assert call(api_as(p.MEDIATOR_B), "get", STATUS, import_id=job.pk).status_code == 404
    assert call(api_as(p.GRID_A), "get", STATUS, import_id=job.pk).status_code == 403
    assert call(api_as(p.DISTRICT), "get", STATUS, import_id=job.pk).status_code == 403
