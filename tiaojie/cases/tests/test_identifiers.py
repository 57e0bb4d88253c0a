"""Identifiers are stored, searched and blind-indexed as their one validator normalises them,
however they were typed (issue 17: a credit code was stored full-width, ideographic space and
all, and could not be found)."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from conftest import World
from tests.api.schema import call
from tiaojie.cases import selectors
from tiaojie.cases.models import Party
from tiaojie.cases.tests import factories as f
from tiaojie.core.crypto import blind_index

TYPED_CODE = "９１１１００００　６０００３７３４１ｌ"
CODE = "91110000600037341L"
TYPED_ID = " ４２０１０２ １９８００３１５ １２３" + f.WANG_ID[-1].lower()


def _register(client: Client) -> int:
    response = call(
        client,
        "post",
        "/cases",
        {
            "dispute_type": "other",
            "source": "application",
            "summary": "货款结算纠纷",
            "parties": [
                {"role": "applicant", "name": "王建华", "id_number": TYPED_ID},
                {
                    "role": "respondent",
                    "kind": "organisation",
                    "name": "临江云帆科技有限公司",
                    "credit_code": TYPED_CODE,
                },
            ],
        },
    )
    assert response.status_code == 201, response.json()
    return int(response.json()["id"])


def _found(client: Client, q: str) -> list[int]:
    response = call(client, "get", "/cases", query={"q": q})
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_a_credit_code_typed_full_width_is_stored_and_read_back_normalised(
    db: None, api_as: Callable[[str], Client], world: World
) -> None:
    mediator = api_as("demo_mediator")
    case_id = _register(mediator)

    read = call(mediator, "get", "/cases/{case_id}", case_id=case_id).json()
    company = next(p for p in read["parties"] if p["kind"] == "organisation")
    assert company["credit_code"] == CODE
    stored = Party.objects.get(case_id=case_id, kind="organisation")
    assert stored.credit_code == CODE
    person = Party.objects.get(case_id=case_id, kind="person")
    assert person.id_number == f.WANG_ID
    assert person.id_number_index == blind_index(f.WANG_ID, purpose="party.id_number")


def test_the_case_is_found_by_the_code_or_id_number_however_it_is_typed(
    db: None, api_as: Callable[[str], Client], world: World
) -> None:
    mediator = api_as("demo_mediator")
    case_id = _register(mediator)
    for typed in (TYPED_CODE, CODE, CODE.lower(), "91110000 600037341l", TYPED_ID, f.WANG_ID):
        assert _found(mediator, typed) == [case_id], typed
    # Scoped like every search: the sibling committee finds nothing.
    assert _found(api_as("demo_mediator_b"), TYPED_CODE) == []


def test_intake_finds_the_earlier_appearance_of_the_same_organisation(
    db: None, api_as: Callable[[str], Client], world: World
) -> None:
    case_id = _register(api_as("demo_mediator"))
    found = selectors.parties_matching(world.user("demo_mediator"), TYPED_CODE)
    assert [(p.case_id, p.credit_code) for p in found] == [(case_id, CODE)]
