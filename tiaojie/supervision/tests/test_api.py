"""The supervision API: the same rules as the pages, answers checked against the schema."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.utils import timezone

from conftest import World
from tests.api.schema import call
from tiaojie.cases.tests import factories as f
from tiaojie.cases.workflow import transition
from tiaojie.supervision import months
from tiaojie.supervision.tests.helpers import flag, rest_day, working_day


def test_flag_report_extend_and_escalate_over_the_api(
    world: World, api_as: Callable[[str], Client]
) -> None:
    case = f.register(world.user("demo_mediator"))
    street = api_as("demo_street")
    bad = call(
        street,
        "post",
        "/cases/{case_id}/supervisions",
        {"instructions": "限期化解", "deadline": rest_day().isoformat()},
        case_id=case.pk,
    )
    assert bad.status_code == 422 and "deadline" in bad.json()["fields"]
    created = call(
        street,
        "post",
        "/cases/{case_id}/supervisions",
        {"instructions": "限期化解"},
        case_id=case.pk,
    )
    assert created.status_code == 201
    sup = created.json()
    assert sup["supervising_org"]["name"] == "东湖街道司法所" and sup["deadline"] > str(
        timezone.localdate()
    )
    assert set(sup["allowed_actions"]) == {"extend", "close", "escalate"}
    again = call(
        api_as("demo_district"),
        "post",
        "/cases/{case_id}/supervisions",
        {"instructions": "x"},
        case_id=case.pk,
    )
    assert again.status_code == 409 and again.json()["code"] == "already_supervised"
    reported = call(
        api_as("demo_director"),
        "post",
        "/supervisions/{supervision_id}/transitions",
        {"action": "report", "reason": "已约谈"},
        supervision_id=sup["id"],
    )
    assert reported.status_code == 200 and reported.json()["reports"][-1]["progress"] == "已约谈"
    extended = call(
        street,
        "post",
        "/supervisions/{supervision_id}/transitions",
        {
            "action": "extend",
            "reason": "当事人外出",
            "deadline": working_day(15).isoformat(),
            "version": reported.json()["version"],
        },
        supervision_id=sup["id"],
    )
    assert extended.status_code == 200 and extended.json()["deadline"] == str(working_day(15))
    stale = call(
        street,
        "post",
        "/supervisions/{supervision_id}/transitions",
        {"action": "escalate", "reason": "x", "version": 1},
        supervision_id=sup["id"],
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    escalated = call(
        street,
        "post",
        "/supervisions/{supervision_id}/transitions",
        {"action": "escalate", "reason": "久拖不决"},
        supervision_id=sup["id"],
    )
    assert escalated.json()["status"] == "escalated"
    listed = call(api_as("demo_district"), "get", "/supervisions").json()
    assert [(s["supervising_org"]["name"], s["status"]) for s in listed["results"]] == [
        ("东湖区司法局", "open")
    ]


def test_ledger_close_out_and_carry_over_over_the_api(
    world: World, api_as: Callable[[str], Client]
) -> None:
    mediator = world.user("demo_mediator")
    running = f.register(mediator)
    ended = transition(
        actor=mediator,
        case=f.register(mediator),
        action="decline",
        reason="已起诉",
        data={"decline_reason": "before_other_body"},
    )
    director = api_as("demo_director")
    listed = call(director, "get", "/ledger").json()
    assert {r["number"] for r in listed["results"]} == {running.number, ended.number}
    assert listed["figures"]["new"] == 2 and listed["frozen"] is False
    row = next(r for r in listed["results"] if r["id"] == running.pk)
    assert row["parties"] == "王建华、李秀英" and f.WANG_ID not in str(listed)
    refused = call(
        director, "post", "/cases/{case_id}/close-out", {"reason": "other"}, case_id=running.pk
    )
    assert refused.status_code == 409 and refused.json()["code"] == "case_not_ended"
    done = call(
        director, "post", "/cases/{case_id}/close-out", {"reason": "declined"}, case_id=ended.pk
    )
    assert done.status_code == 201 and done.json()["reason"] == "declined"
    assert [r["id"] for r in call(director, "get", "/ledger").json()["results"]] == [running.pk]
    committee = world.org("东湖社区人民调解委员会")
    last = months.previous_month(months.first_of(timezone.localdate()))
    body = {"organisation_id": committee.pk, "month": f"{last:%Y-%m}"}
    assert call(director, "post", "/ledger/carry-over", body).status_code == 201
    twice = call(director, "post", "/ledger/carry-over", body)
    assert twice.status_code == 409 and twice.json()["code"] == "already_carried_over"
    periods = call(director, "get", "/ledger/periods").json()
    assert [p["month"] for p in periods] == [f"{last:%Y-%m}"]
    other = world.org("翠柳社区人民调解委员会")
    assert call(director, "get", "/ledger", query={"organisation_id": other.pk}).status_code == 404


def test_the_trace_over_the_api(world: World, api_as: Callable[[str], Client]) -> None:
    mediator = world.user("demo_mediator")
    case = f.to_mediation(mediator, f.register(mediator))
    steps = call(api_as("demo_district"), "get", "/cases/{case_id}/trace", case_id=case.pk).json()
    assert [s["kind"] for s in steps] == ["acceptance", "mediation", "mediation"]
    assert steps[-1]["end"] is None and steps[-1]["persons"][0]["name"] == "李建国"
    committee = world.org("东湖社区人民调解委员会")
    report = call(
        api_as("demo_director"),
        "get",
        "/trace/organisations/{organisation_id}",
        organisation_id=committee.pk,
    ).json()
    assert report["steps"] == 3 and report["subject"] == committee.name
    mine = call(
        api_as("demo_street"), "get", "/trace/mediators/{mediator_id}", mediator_id=mediator.pk
    ).json()
    assert [r["kind"] for r in mine["rows"]] == ["mediation"]


def test_an_office_officer_lists_what_they_may_read_and_filters_what_they_opened(
    world: World, api_as: Callable[[str], Client]
) -> None:
    """List and detail agree: a supervision the district opened on a case in the street's area
    is listed for the street office (and read); ``scope=ours`` keeps only the office's own."""
    ours = flag(world.user("demo_street"), f.register(world.user("demo_mediator")))
    theirs = flag(world.user("demo_district"), f.register(world.user("demo_mediator")))
    street = api_as("demo_street")

    def listed(**query: str) -> set[int]:
        page = call(street, "get", "/supervisions", query=query or None)
        assert page.status_code == 200, page.json()
        return {s["id"] for s in page.json()["results"]}

    assert listed() == {ours.pk, theirs.pk}
    for sup in (ours, theirs):
        read = call(street, "get", "/supervisions/{supervision_id}", supervision_id=sup.pk)
        assert read.status_code == 200
    assert listed(scope="ours") == {ours.pk}
    unknown = call(street, "get", "/supervisions", query={"scope": "mine"})
    assert unknown.status_code == 422 and "scope" in unknown.json()["fields"]
