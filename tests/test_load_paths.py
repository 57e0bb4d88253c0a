"""The load test's requests still work: every path and body of bench/load/paths.py answers its
persona as the locustfile expects (200 for pages, 201/200 for the API, 302 after a form), on
SQLite with Django's test client, no gunicorn and no locust. The load test itself is a
benchmark (bench/load/run.py), not part of the suite; this keeps it from rotting unnoticed."""

from __future__ import annotations

import importlib.util
import random
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client

from tests.personas import COMMITTEE_A, DONGHU_OFFICE, MEDIATOR_A, STREET
from tiaojie.accounts.models import User
from tiaojie.cases.models import Case, DisputeType
from tiaojie.core.crypto import refresh_blind_indexes
from tiaojie.documents.tests.sample import full_case
from tiaojie.organisations.models import Organisation
from tiaojie.public import session
from tiaojie.public.models import Citizen

PATHS_FILE = Path(__file__).resolve().parent.parent / "bench" / "load" / "paths.py"


def load_paths() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_load_paths", PATHS_FILE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


paths = load_paths()


def test_every_staff_page_of_the_load_answers_its_persona(
    client_as: Callable[[str], Client],
) -> None:
    committee_a = Organisation.objects.get(name=COMMITTEE_A)
    case = Case.objects.filter(committee=committee_a).first() or full_case(
        User.objects.get(username=MEDIATOR_A)
    )
    assert Organisation.objects.filter(name=DONGHU_OFFICE).exists()
    for username in (MEDIATOR_A, STREET):
        client = client_as(username)
        for name in ("case list", "ledger", "statistics report"):
            assert client.get(paths.STAFF_PATHS[name]).status_code == 200, (username, name)
        assert client.get(paths.STAFF_PATHS["case"].format(case=case.pk)).status_code == 200
        for q in paths.SEARCHES[:3] + paths.SEARCHES[-2:]:
            assert client.get(paths.STAFF_PATHS["search"].format(q=q)).status_code == 200


def test_registering_and_accepting_through_the_api_as_the_load_does(
    api_as: Callable[[str], Client],
) -> None:
    client = api_as(MEDIATOR_A)
    rng = random.Random(1)
    response = client.post(
        paths.STAFF_PATHS["register (API)"], paths.case_body(rng), content_type="application/json"
    )
    assert response.status_code == 201, response.content.decode()[:500]
    case = response.json()["id"]
    response = client.post(
        paths.STAFF_PATHS["accept (API)"].format(case=case),
        {"action": "accept"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content.decode()[:500]
    assert response.json()["status"] == "accepted"


def test_the_whole_file_is_clicked_polled_and_downloaded(
    client_as: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    case = full_case(User.objects.get(username=MEDIATOR_A))
    client = client_as(MEDIATOR_A)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            paths.STAFF_PATHS["whole file: click"].format(case=case.pk),
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
    status = client.get(paths.STAFF_PATHS["whole file: status"].format(case=case.pk))
    pdf = paths.STAFF_PATHS["whole file: download"].format(case=case.pk)
    assert pdf in status.content.decode()
    response = client.get(pdf)
    assert response.status_code == 200
    body = b"".join(response) if response.streaming else response.content
    assert body.startswith(b"%PDF")


@pytest.fixture
def citizen_client(db: None) -> Client:
    """A citizen with a real name given and the signed cookie the sign-in leaves."""
    citizen = Citizen(phone="18600000001")
    refresh_blind_indexes(citizen)
    citizen.save()
    citizen.name = "市民"
    citizen.id_number = paths.id_number(random.Random(2))
    citizen.verified_at = citizen.created_at
    refresh_blind_indexes(citizen)
    citizen.save()
    response = HttpResponse()
    session.sign_in(response, citizen)
    client = Client()
    client.cookies[session.COOKIE] = response.cookies[session.COOKIE].value
    return client


def test_a_citizen_applies_and_tracks_along_the_load_tests_paths(citizen_client: Client) -> None:
    urls = paths.CITIZEN_PATHS
    assert Client().post(urls["sign in"], {"phone": "18600000002"}).status_code == 200
    client = citizen_client
    for name in ("home", "directory", "apply", "my cases"):
        assert client.get(urls[name]).status_code == 200, name
    kind = DisputeType.objects.get(code="neighbours", valid_to__isnull=True)
    assert client.post(urls["apply"], {"dispute_type": kind.pk}).status_code == 302
    for question, value in paths.NEIGHBOURS_LEAK:
        answered = client.post(urls["question"], {"question": question, "value": value})
        assert answered.status_code == 302, question
    assert client.get(urls["details"]).status_code == 200
    committee = Organisation.objects.get(name=COMMITTEE_A)
    response = client.post(
        urls["details"], paths.application_details(random.Random(3), committee.pk)
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    found = re.search(r"/m/cases/(\d+)/", response["Location"])
    assert found is not None
    case_url = urls["case"].format(case=found.group(1))
    assert client.get(case_url).status_code == 200
    assert client.post(case_url, {"text": "请问什么时候安排调解？"}).status_code == 302
