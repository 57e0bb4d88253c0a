"""A client takes a case from intake to archive through the API alone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.utils import timezone

from tests.api.schema import call
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.tests import factories as f


def _today() -> str:
    """Today in Beijing when the request is built, not when the module was imported: a run
    that straddles midnight would date records before the case's registration."""
    return timezone.localdate().isoformat()


def _new_case() -> dict[str, Any]:
    return {
        "dispute_type": "neighbours",
        "source": "application",
        "summary": "楼上漏水殃及楼下",
        "narrative": "申请人称楼上卫生间漏水三个月，天花板发霉。",
        "amount": "3000.00",
        "parties": [
            {"role": "applicant", "name": "王建华", "id_number": f.WANG_ID, "phone": "13812345678"},
            {"role": "respondent", "name": "李秀英", "id_number": f.LI_ID, "phone": "13987654321"},
        ],
    }


def test_a_client_takes_a_case_from_intake_to_archive(
    db: None, api_as: Callable[[str], Client]
) -> None:
    mediator, director = api_as("demo_mediator"), api_as("demo_director")
    types = call(mediator, "get", "/dispute-types").json()
    assert {"婚姻家庭", "邻里", "欠薪", "其他"} <= {t["name"] for t in types}

    created = call(mediator, "post", "/cases", _new_case())
    assert created.status_code == 201, created.json()
    case = created.json()
    case_id = case["id"]
    assert case["number"].endswith("人调字第1号") and case["status"] == "registered"
    assert case["parties"][0]["id_number"] == f.WANG_ID[:3] + "*" * 11 + f.WANG_ID[-4:]
    assert case["allowed_actions"] == ["accept", "decline"]

    def move(client: Client, action: str, **extra: Any) -> dict[str, Any]:
        response = call(
            client,
            "post",
            "/cases/{case_id}/transitions",
            {"action": action, **extra},
            case_id=case_id,
        )
        assert response.status_code == 200, response.json()
        return response.json()  # type: ignore[no-any-return]

    move(mediator, "accept")
    me = call(mediator, "get", "/me").json()
    move(mediator, "start_mediation", mediator_ids=[me["id"]])
    assert (
        call(
            mediator,
            "post",
            "/cases/{case_id}/sessions",
            {
                "held_at": timezone.now().isoformat(),
                "place": "东湖社区调解室",
                "parties_present": "王建华、李秀英",
                "recorder": "李建国",
                "content": "双方陈述，调解员释法。",
            },
            case_id=case_id,
        ).status_code
        == 201
    )
    assert (
        call(
            mediator,
            "post",
            "/cases/{case_id}/agreement",
            {
                "kind": "written",
                "facts": "漏水系防水老化所致",
                "content": "被申请人十日内修复并赔偿2000元",
                "performance_manner": "转账",
                "formed_on": _today(),
            },
            case_id=case_id,
        ).status_code
        == 201
    )
    current = call(mediator, "get", "/cases/{case_id}", case_id=case_id).json()
    assert len(current["agreement"]["missing"]) == 4
    first, *others = current["parties"]
    # One signature: the answer says who has signed and what is still missing.
    state = call(
        mediator,
        "post",
        "/cases/{case_id}/agreement/signatures",
        {"signed_on": _today(), "parties": [{"party_id": first["id"]}]},
        case_id=case_id,
    ).json()
    assert [p["signed"] for p in state["parties"]] == [True] + [False] * len(others)
    assert len(state["missing"]) == 3 and state["in_effect"] is False
    assert state["case_status"] == "in_mediation"
    # The rest in one call: the agreement takes effect and the case is agreed, no move needed.
    state = call(
        mediator,
        "post",
        "/cases/{case_id}/agreement/signatures",
        {
            "signed_on": _today(),
            "parties": [{"party_id": p["id"]} for p in others],
            "mediator": True,
            "seal": True,
        },
        case_id=case_id,
    ).json()
    assert state["missing"] == [] and state["in_effect"] is True
    assert state["effective_on"] == _today() and state["case_status"] == "agreed"
    assert (
        call(mediator, "get", "/cases/{case_id}/agreement/signatures", case_id=case_id).json()
        == state
    )
    agreed = call(mediator, "get", "/cases/{case_id}", case_id=case_id).json()
    assert agreed["status"] == "agreed" and agreed["agreement"]["effective_on"] == _today()
    assert (
        call(
            mediator,
            "post",
            "/cases/{case_id}/follow-ups",
            {
                "visited_on": _today(),
                "method": "phone",
                "party_visited": "王建华",
                "performance": "performed",
                "satisfaction": "satisfied",
            },
            case_id=case_id,
        ).status_code
        == 201
    )
    archived = move(director, "archive")
    assert archived["status"] == "archived" and archived["missing_documents"] == []

    history = call(mediator, "get", "/cases/{case_id}/history", case_id=case_id).json()
    assert [h["action"] for h in history] == [
        "accept",
        "start_mediation",
        "reach_agreement",
        "archive",
    ]
    listed = call(director, "get", "/cases", query={"status": "archived", "q": "漏水"}).json()
    assert [c["id"] for c in listed["results"]] == [case_id]


def test_illegal_moves_and_stale_versions_are_409(
    db: None, api_as: Callable[[str], Client]
) -> None:
    mediator = api_as("demo_mediator")
    case = call(mediator, "post", "/cases", _new_case()).json()
    illegal = call(
        mediator, "post", "/cases/{case_id}/transitions", {"action": "archive"}, case_id=case["id"]
    )
    assert illegal.status_code in (403, 409)
    wrong = call(
        mediator,
        "post",
        "/cases/{case_id}/transitions",
        {"action": "reach_agreement"},
        case_id=case["id"],
    )
    assert wrong.status_code == 409 and wrong.json()["code"] == "illegal_move"
    call(
        mediator,
        "post",
        "/cases/{case_id}/transitions",
        {"action": "accept", "version": case["version"]},
        case_id=case["id"],
    )
    stale = call(
        mediator,
        "post",
        "/cases/{case_id}/transitions",
        {"action": "terminate", "version": case["version"], "reason": "x", "end_reason": "other"},
        case_id=case["id"],
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"


def test_bad_input_gets_422_with_the_field(db: None, api_as: Callable[[str], Client]) -> None:
    body = _new_case()
    body["parties"][0]["id_number"] = "110105194912310021"
    body["amount"] = "-5"
    response = call(api_as("demo_mediator"), "post", "/cases", body)
    assert response.status_code == 422
    assert {"parties.0.id_number", "amount"} <= set(response.json()["fields"])


def test_personal_data_in_full_only_for_roles_that_need_it_and_audited(
    db: None, api_as: Callable[[str], Client]
) -> None:
    case = call(api_as("demo_mediator"), "post", "/cases", _new_case()).json()
    officer = call(api_as("demo_street"), "get", "/cases/{case_id}", case_id=case["id"])
    assert officer.status_code == 200 and f.WANG_ID not in officer.content.decode()
    assert (
        call(
            api_as("demo_street"), "get", "/cases/{case_id}/personal-data", case_id=case["id"]
        ).status_code
        == 403
    )
    full = call(
        api_as("demo_director"), "get", "/cases/{case_id}/personal-data", case_id=case["id"]
    )
    assert full.status_code == 200 and f.WANG_ID in full.content.decode()
    assert (
        AuditEvent.objects.filter(
            event_type=EventType.PERSONAL_DATA_VIEWED, actor_username="demo_director"
        ).count()
        == 1
    )


def test_another_committee_sees_nothing(db: None, api_as: Callable[[str], Client]) -> None:
    case = call(api_as("demo_mediator"), "post", "/cases", _new_case()).json()
    other = api_as("demo_mediator_b")
    assert call(other, "get", "/cases/{case_id}", case_id=case["id"]).status_code == 404
    assert call(other, "get", "/cases").json()["count"] == 0


def test_a_move_on_a_case_missing_or_not_yours_is_404_alike_and_changes_nothing(
    db: None, api_as: Callable[[str], Client]
) -> None:
    """The move is not preceded by a read (ADR 0062): its locking read decides scope, and the
    answer must still not tell another committee's mediator that the case exists."""
    mine = api_as("demo_mediator")
    case = call(mine, "post", "/cases", _new_case()).json()
    other = api_as("demo_mediator_b")
    moves_before = AuditEvent.objects.filter(event_type=EventType.CASE_MOVED).count()

    def accept(client: Client, case_id: int) -> Any:
        return call(
            client, "post", "/cases/{case_id}/transitions", {"action": "accept"}, case_id=case_id
        )

    not_yours = accept(other, case["id"])
    missing = accept(other, case["id"] + 10_000)
    assert not_yours.status_code == missing.status_code == 404
    assert not_yours.json() == missing.json()
    # Nothing moved and nothing was recorded; the case's own mediator still accepts it.
    assert call(mine, "get", "/cases/{case_id}", case_id=case["id"]).json()["status"] == (
        "registered"
    )
    assert AuditEvent.objects.filter(event_type=EventType.CASE_MOVED).count() == moves_before
    accepted = accept(mine, case["id"])
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
