"""The screening pages as users meet them: record a finding (a missing place refused in
Chinese with what was typed kept), report, nil report, turn a finding into a case, close one,
the overdue page of the level above, the schedule, prevented escalations on a case."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tiaojie.cases.choices import CaseSource, PartyRole
from tiaojie.cases.models import Case, DisputeType
from tiaojie.cases.tests import factories as f
from tiaojie.core.models import OutboxEvent
from tiaojie.screening.choices import EscalationKind, FindingStatus, RoundStatus
from tiaojie.screening.models import Finding, PreventedEscalation
from tiaojie.screening.services import findings, rounds
from tiaojie.screening.tests import helpers as h

pytestmark = pytest.mark.django_db
Clients = Callable[[str], Client]


def test_a_finding_without_a_place_is_refused_and_nothing_typed_is_lost(
    client_as: Clients,
) -> None:
    screening_round = h.make_round()
    page = client_as("demo_director").post(
        reverse("screening:finding_add", args=[screening_round.pk]),
        {
            "place": "",
            "people": "张某、李某",
            "what": "宅基地边界争执，双方言语冲突",
            "risk": "high",
        },
    )
    assert page.status_code == 422
    html = page.content.decode()
    assert "请填写地点" in html
    assert "宅基地边界争执，双方言语冲突" in html and "张某、李某" in html
    assert not Finding.objects.exists()


def test_report_a_round_with_a_finding(client_as: Clients) -> None:
    screening_round = h.make_round()
    client = client_as("demo_director")
    added = client.post(
        reverse("screening:finding_add", args=[screening_round.pk]),
        {"place": "东湖小区3栋", "people": "王某、赵某", "what": "楼上漏水", "risk": "medium"},
    )
    assert added.status_code == 302
    page = client.post(
        reverse("screening:round_report", args=[screening_round.pk]),
        {"version": screening_round.version},
    )
    assert page.status_code == 302
    screening_round.refresh_from_db()
    assert screening_round.status == RoundStatus.REPORTED and screening_round.findings_count == 1
    detail = client.get(reverse("screening:round_detail", args=[screening_round.pk])).content
    assert "东湖小区3栋" in detail.decode()


def test_an_empty_report_without_the_nil_box_is_refused_in_chinese(client_as: Clients) -> None:
    screening_round = h.make_round()
    page = client_as("demo_director").post(
        reverse("screening:round_report", args=[screening_round.pk]), {"version": 1}
    )
    assert page.status_code == 422
    assert "零报告" in page.content.decode()
    screening_round.refresh_from_db()
    assert screening_round.status == RoundStatus.OPEN


def test_a_stale_report_is_refused(client_as: Clients) -> None:
    screening_round = h.make_round()
    page = client_as("demo_director").post(
        reverse("screening:round_report", args=[screening_round.pk]), {"version": 7, "nil": "on"}
    )
    assert page.status_code == 422
    screening_round.refresh_from_db()
    assert screening_round.status == RoundStatus.OPEN


def _finding(world: World, username: str = "demo_director") -> Finding:
    screening_round = h.make_round(assignee=world.user("demo_grid"))
    return findings.finding_record(
        actor=world.user(username),
        screening_round=screening_round,
        data=findings.FindingData(place="梨园路12号", people="刘某、陈某", what="租金纠纷"),
    )


def test_a_finding_becomes_a_case_in_one_step(world: World, client_as: Clients) -> None:
    finding = _finding(world)
    dispute_type = DisputeType.objects.valid_on(timezone.localdate()).first()
    assert dispute_type is not None
    page = client_as("demo_director").post(
        reverse("screening:finding_to_case", args=[finding.pk]),
        {
            "version": finding.version,
            "dispute_type": dispute_type.pk,
            "summary": "租金纠纷",
            "applicant": "刘某",
            "respondent": "陈某",
        },
    )
    assert page.status_code == 302
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CASE and finding.case is not None
    case = finding.case
    assert case.source == CaseSource.SCREENING
    assert "梨园路12号" in case.narrative
    assert sorted(case.parties.values_list("role", flat=True)) == sorted(
        [PartyRole.APPLICANT, PartyRole.RESPONDENT]
    )
    again = client_as("demo_director").post(
        reverse("screening:finding_to_case", args=[finding.pk]),
        {
            "version": finding.version,
            "dispute_type": dispute_type.pk,
            "summary": "x",
            "applicant": "a",
            "respondent": "b",
        },
    )
    assert again.status_code == 422
    assert Case.objects.filter(pk=case.pk).count() == 1


def test_a_grid_workers_finding_becomes_a_grid_report(world: World) -> None:
    finding = _finding(world, "demo_grid")
    dispute_type = DisputeType.objects.valid_on(timezone.localdate()).first()
    assert dispute_type is not None
    case = findings.finding_to_case(
        actor=world.user("demo_grid"),
        finding=finding,
        data=findings.CaseFromFinding(dispute_type, "刘某", "陈某", "租金纠纷"),
    )
    assert case.source == CaseSource.GRID


def test_to_case_without_parties_keeps_what_was_typed(world: World, client_as: Clients) -> None:
    finding = _finding(world)
    page = client_as("demo_director").post(
        reverse("screening:finding_to_case", args=[finding.pk]),
        {
            "version": finding.version,
            "dispute_type": "",
            "summary": "房屋租金争议",
            "applicant": "刘某",
        },
    )
    assert page.status_code == 422
    assert "房屋租金争议" in page.content.decode()
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN


def test_a_finding_is_closed_with_a_reason(world: World, client_as: Clients) -> None:
    finding = _finding(world)
    client = client_as("demo_director")
    refused = client.post(
        reverse("screening:finding_close", args=[finding.pk]), {"version": 1, "reason": " "}
    )
    assert refused.status_code == 422
    done = client.post(
        reverse("screening:finding_close", args=[finding.pk]),
        {"version": 1, "reason": "双方已自行和解"},
    )
    assert done.status_code == 302
    finding.refresh_from_db()
    assert (finding.status, finding.close_reason) == (FindingStatus.CLOSED, "双方已自行和解")


def test_overdue_rounds_show_to_the_level_above_only(world: World, client_as: Clients) -> None:
    late = h.make_round(weeks_ago=2)
    rounds.mark_overdue()
    late.refresh_from_db()
    assert late.status == RoundStatus.OVERDUE
    for username in ("demo_street", "demo_district", "demo_city"):
        page = client_as(username).get(reverse("screening:overdue"))
        assert "东湖社区人民调解委员会" in page.content.decode(), username
    assert client_as("demo_director").get(reverse("screening:overdue")).status_code == 403


def test_overdue_rounds_appear_in_the_deadlines_list_of_the_level_above(
    world: World, client_as: Clients
) -> None:
    late = h.make_round(weeks_ago=2)
    rounds.mark_overdue()
    page = client_as("demo_street").get(reverse("deadlines:deadline_list")).content.decode()
    assert 'data-overdue-source="screening.rounds"' in page
    assert "东湖社区人民调解委员会" in page
    assert reverse("screening:round_detail", args=[late.pk]) in page
    own = client_as("demo_director").get(reverse("deadlines:deadline_list")).content.decode()
    assert "screening.rounds" not in own  # the committee that owes it is not "the level above"


def test_a_bureau_sets_its_schedule(world: World, client_as: Clients) -> None:
    page = client_as("demo_district").post(
        reverse("screening:schedule"), {"level": "community", "frequency": "monthly"}
    )
    assert page.status_code == 302
    assert "每月" in client_as("demo_district").get(reverse("screening:schedule")).content.decode()


def test_a_prevented_escalation_is_recorded_on_a_case(world: World, client_as: Clients) -> None:
    case = f.register(world.user("demo_mediator"))
    url = reverse("screening:case_escalations", args=[case.pk])
    client = client_as("demo_mediator")
    bad = client.post(url, {"kind": "criminal", "people": "0", "recorded_on": ""})
    assert bad.status_code == 422
    assert not PreventedEscalation.objects.exists()
    today = timezone.localdate()
    done = client.post(url, {"kind": "criminal", "people": "3", "recorded_on": today.isoformat()})
    assert done.status_code == 302
    row = PreventedEscalation.objects.get()
    assert (row.kind, row.people) == (EscalationKind.CRIMINAL, 3)
    assert OutboxEvent.objects.get(name="escalation.prevented").payload == {
        "case_id": case.pk,
        "committee_id": case.committee_id,
        "kind": "criminal",
        "people": 3,
        "recorded_on": today.isoformat(),
    }
    twice = client.post(url, {"kind": "criminal", "people": "3", "recorded_on": today.isoformat()})
    assert twice.status_code == 422
    # Another committee's mediator does not find the case.
    assert client_as("demo_mediator_b").get(url).status_code == 404


def test_the_case_page_offers_screening_through_the_registry(
    world: World, client_as: Clients
) -> None:
    finding = _finding(world)
    dispute_type = DisputeType.objects.valid_on(timezone.localdate()).first()
    assert dispute_type is not None
    case = findings.finding_to_case(
        actor=world.user("demo_director"),
        finding=finding,
        data=findings.CaseFromFinding(dispute_type, "刘某", "陈某", "租金纠纷"),
    )
    record = reverse("screening:case_escalations", args=[case.pk])
    panel = reverse("screening:case_panel", args=[case.pk])
    page = client_as("demo_director").get(reverse("cases:case_detail", args=[case.pk]))
    html = page.content.decode()
    assert 'data-case-action="screening.escalation"' in html and record in html
    assert panel in html
    shown = client_as("demo_director").get(panel).content.decode()
    assert reverse("screening:finding_detail", args=[finding.pk]) in shown
    assert "梨园路12号" in shown
    # The level above reads the case but does not handle it: the panel, not the action.
    above = client_as("demo_street").get(reverse("cases:case_detail", args=[case.pk]))
    assert above.status_code == 200
    assert 'data-case-action="screening.escalation"' not in above.content.decode()
    assert client_as("demo_street").get(panel).status_code == 200
    # Another committee's mediator does not find it.
    assert client_as("demo_mediator_b").get(panel).status_code == 404


def test_the_same_finding_sent_twice_is_recorded_once(client_as: Clients) -> None:
    screening_round = h.make_round()
    client = client_as("demo_director")
    page = client.get(reverse("screening:round_detail", args=[screening_round.pk])).content
    key = re.search(rb'name="client_key" value="([0-9a-f]{32})"', page)
    assert key is not None
    sent = {
        "place": "东湖小区3栋",
        "what": "楼上漏水",
        "risk": "low",
        "client_key": key[1].decode(),
    }
    url = reverse("screening:finding_add", args=[screening_round.pk])
    assert client.post(url, sent).status_code == 302
    assert client.post(url, sent).status_code == 302  # a double click, a replayed sync
    assert Finding.objects.filter(round=screening_round).count() == 1
    # A missing place: the form comes back with the same key, so the fixed report is one.
    refused = client.post(url, {**sent, "place": "", "client_key": "f" * 32})
    assert b'value="' + b"f" * 32 + b'"' in refused.content
