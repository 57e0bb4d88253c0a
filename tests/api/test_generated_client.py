"""A client generated from the committed OpenAPI snapshot (openapi-python-client) works against
a live server: it registers and moves a case, downloads a PDF and a DOCX, and reads a history
entry with typed fields. What a client author meets, tried as they would."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

from conftest import restore_world
from tiaojie.accounts.models import User
from tiaojie.accounts.services import token_issue
from tiaojie.cases.tests import factories as f

SNAPSHOT = Path(__file__).with_name("openapi.json")
CONFIG = Path(__file__).with_name("openapi-client.yaml")
GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@pytest.fixture(scope="module")
def tiaojie_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    if not GENERATOR.exists():
        pytest.skip("openapi-python-client is not installed (pip install -e '.[dev]')")
    root = tmp_path_factory.mktemp("generated")
    subprocess.run(  # noqa: S603 - the generator installed next to this interpreter
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(SNAPSHOT),
            "--config",
            str(CONFIG),
            "--meta",
            "none",
            "--output-path",
            str(root / "tiaojie_client"),
        ],
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("tiaojie_client")
    finally:
        sys.path.remove(str(root))


def _module(package: ModuleType, name: str) -> Any:
    return importlib.import_module(f"{package.__name__}.{name}")


def test_a_generated_client_downloads_documents_and_reads_typed_history(
    transactional_db: None, live_server: LiveServer, tiaojie_client: ModuleType
) -> None:
    restore_world()
    token = token_issue(user=User.objects.get(username="demo_mediator")).raw
    client = tiaojie_client.AuthenticatedClient(base_url=live_server.url, token=token)
    models = _module(tiaojie_client, "models")
    api = "api.cases."

    me = _module(tiaojie_client, "api.accounts.me_read").sync(client=client)
    case_in = models.CaseIn.from_dict(
        {
            "dispute_type": "neighbours",
            "source": "application",
            "summary": "楼上漏水殃及楼下",
            "narrative": "申请人称楼上卫生间漏水三个月，天花板发霉。",
            "parties": [
                {"role": "applicant", "name": "王建华", "id_number": f.WANG_ID},
                {"role": "respondent", "name": "李秀英", "id_number": f.LI_ID},
            ],
        }
    )
    case = _module(tiaojie_client, api + "cases_create").sync(client=client, body=case_in)
    assert isinstance(case, models.CaseCreatedOut), case
    move = _module(tiaojie_client, api + "cases_transition")
    for body in ({"action": "accept"}, {"action": "start_mediation", "mediator_ids": [me.id]}):
        moved = move.sync(case.id, client=client, body=models.TransitionIn.from_dict(body))
        assert isinstance(moved, models.CaseOut), moved

    documents = _module(tiaojie_client, "api.documents.case_documents_read")
    kind = models.CaseDocumentsReadKind
    fmt = models.CaseDocumentsReadFormat
    pdf = documents.sync_detailed(case.id, kind.APPLICATION, client=client, format_=fmt.PDF)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    docx = documents.sync_detailed(case.id, kind.REGISTRATION, client=client, format_=fmt.DOCX)
    assert docx.status_code == 200
    assert docx.content.startswith(b"PK")  # a DOCX is a zip

    history = _module(tiaojie_client, api + "cases_history").sync(case.id, client=client)
    assert [entry.action for entry in history] == ["accept", "start_mediation"]
    started = history[-1]
    assert isinstance(started.data, models.TransitionDataOut)
    assert started.data.mediator_ids == [me.id]
    assert started.data.mediator_names == [me.full_name]
