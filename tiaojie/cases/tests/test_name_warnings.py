"""A name with a character no installed font can print is saved as typed, and the clerk is
warned (page and API) that the printed documents will show an empty box in its place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from tests.api.schema import call
from tiaojie.cases.models import Case
from tiaojie.cases.tests import factories as f
from tiaojie.cases.tests.test_pages_intake import REGISTER, intake, party, two_parties

# CJK Extension I (Unicode 15.1): in none of the documents' fonts.
UNPRINTABLE = "\U0002ebf0"
# CJK Extension B: printed from the fallback font, nothing to warn about.
RARE = "𪚥"


def _case(*names: str) -> dict[str, Any]:
    parties = [
        {"role": "applicant", "name": "王建华", "id_number": f.WANG_ID},
        {"role": "respondent", "name": "李秀英", "id_number": f.LI_ID},
    ]
    parties += [{"role": "third_party", "name": name} for name in names]
    return {"dispute_type": "neighbours", "source": "application", "summary": "楼上漏水"} | {
        "parties": parties
    }


def test_the_api_registers_the_case_and_warns_about_an_unprintable_name(
    db: None, api_as: Callable[[str], Client]
) -> None:
    mediator = api_as("demo_mediator")
    created = call(mediator, "post", "/cases", _case(f"黄{UNPRINTABLE}", f"黄{RARE}"))
    assert created.status_code == 201, created.json()
    body = created.json()
    assert len(body["warnings"]) == 1
    assert f"黄{UNPRINTABLE}" in body["warnings"][0] and "U+2EBF0" in body["warnings"][0]
    assert Case.objects.get().parties.filter(name=f"黄{UNPRINTABLE}").exists()
    plain = call(mediator, "post", "/cases", _case(f"黄{RARE}")).json()
    assert plain["warnings"] == []


def test_adding_a_party_through_the_api_warns_too(
    db: None, api_as: Callable[[str], Client]
) -> None:
    mediator = api_as("demo_mediator")
    case = call(mediator, "post", "/cases", _case()).json()
    added = call(
        mediator,
        "post",
        "/cases/{case_id}/parties",
        {"role": "third_party", "name": "物业", "agent_name": f"张{UNPRINTABLE}"},
        case_id=case["id"],
    )
    assert added.status_code == 201, added.json()
    assert f"张{UNPRINTABLE}" in added.json()["warnings"][0]


def test_the_intake_page_registers_and_shows_the_warning(
    client_as: Callable[[str], Client],
) -> None:
    third = party(2, role="third_party", name=f"黄{UNPRINTABLE}")
    response = client_as("demo_mediator").post(
        REGISTER, intake(*two_parties(), third, total=3), follow=True
    )
    page = response.content.decode()
    assert Case.objects.get().parties.filter(name=f"黄{UNPRINTABLE}").exists()
    assert "msg-warning" in page
    assert "U+2EBF0" in page
