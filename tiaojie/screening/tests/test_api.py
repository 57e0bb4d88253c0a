"""The screening API as a phone or another system uses it: replays answered, not doubled;
bad input refused by field; not yours 404, not your level's to do 403."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from conftest import World
from tests.api.schema import call
from tiaojie.cases.models import Case, DisputeType
from tiaojie.cases.tests import factories as f
from tiaojie.screening.choices import RoundStatus
from tiaojie.screening.models import Finding, PreventedEscalation
from tiaojie.screening.tests import helpers as h

pytestmark = pytest.mark.django_db
ApiAs = Callable[[str], Client]
FINDINGS = "/screening/rounds/{round_id}/findings"


def test_a_finding_replayed_with_its_key_is_recorded_once(world: World, api_as: ApiAs) -> None:
    screening_round = h.make_round()
    client = api_as("demo_director")
    body = {"place": "梨园路12号", "people": "刘某", "what": "租金纠纷", "risk": "high"}
    key = {"Idempotency-Key": "phone-1-report-7"}
    first = call(client, "post", FINDINGS, body, headers=key, round_id=screening_round.pk)
    again = call(client, "post", FINDINGS, body, headers=key, round_id=screening_round.pk)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Finding.objects.count() == 1
    listed = call(client, "get", FINDINGS, round_id=screening_round.pk).json()
    assert [row["place"] for row in listed] == ["梨园路12号"]


def test_bad_findings_are_refused_by_field(world: World, api_as: ApiAs) -> None:
    screening_round = h.make_round()
    client = api_as("demo_director")
    no_place = call(
        client, "post", FINDINGS, {"place": " ", "what": "x"}, round_id=screening_round.pk
    )
    assert no_place.status_code == 422 and "place" in no_place.json()["fields"]
    long = call(
        client, "post", FINDINGS, {"place": "x", "what": "纠" * 10_001}, round_id=screening_round.pk
    )
    assert long.status_code == 422 and "what" in long.json()["fields"]
    risk = call(
        client, "post", FINDINGS, {"place": "x", "risk": "huge"}, round_id=screening_round.pk
    )
    assert risk.status_code == 422 and "risk" in risk.json()["fields"]
    assert not Finding.objects.exists()


def test_the_level_above_reads_but_does_not_report_and_others_do_not_find(
    world: World, api_as: ApiAs
) -> None:
    screening_round = h.make_round()
    above = api_as("demo_street")
    assert (
        call(above, "get", "/screening/rounds/{round_id}", round_id=screening_round.pk).status_code
        == 200
    )
    posted = call(above, "post", FINDINGS, {"place": "x", "what": "y"}, round_id=screening_round.pk)
    assert posted.status_code == 403
    other = api_as("demo_mediator_b")
    assert (
        call(other, "get", "/screening/rounds/{round_id}", round_id=screening_round.pk).status_code
        == 404
    )
    assert call(api_as("demo_director"), "get", "/screening/hotspots").status_code == 403
    assert call(above, "get", "/screening/hotspots").status_code == 200
    assert call(above, "get", "/screening/duplicates").status_code == 200


def test_a_nil_report_sent_twice_is_one_report(world: World, api_as: ApiAs) -> None:
    screening_round = h.make_round()
    client = api_as("demo_director")
    url = "/screening/rounds/{round_id}/report"
    first = call(client, "post", url, {"nil": True}, round_id=screening_round.pk)
    again = call(client, "post", url, {"nil": True}, round_id=screening_round.pk)
    assert first.status_code == again.status_code == 200
    assert again.json()["status"] == RoundStatus.REPORTED and again.json()["nil_report"]
    # Changing one's mind after reporting is a conflict, not a second report.
    assert call(client, "post", url, {"nil": False}, round_id=screening_round.pk).status_code == 409


def test_a_finding_becomes_one_case_and_a_closed_one_stays_closed(
    world: World, api_as: ApiAs
) -> None:
    screening_round = h.make_round()
    client = api_as("demo_director")
    made = call(
        client, "post", FINDINGS, {"place": "梨园路", "what": "漏水"}, round_id=screening_round.pk
    )
    code = DisputeType.objects.valid_on(timezone.localdate()).values_list("code", flat=True)[0]
    body = {"dispute_type": code, "summary": "漏水纠纷", "applicant": "刘某", "respondent": "陈某"}
    url = "/screening/findings/{finding_id}/case"
    first = call(client, "post", url, body, finding_id=made.json()["id"])
    again = call(client, "post", url, body, finding_id=made.json()["id"])
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["case_id"] == again.json()["case_id"]
    assert Case.objects.get(pk=first.json()["case_id"]).source == "screening"
    unknown = call(
        client, "post", FINDINGS, {"place": "b", "what": "c"}, round_id=screening_round.pk
    )
    bad = call(
        client, "post", url, {**body, "dispute_type": "nonsense"}, finding_id=unknown.json()["id"]
    )
    assert bad.status_code == 422 and "dispute_type" in bad.json()["fields"]
    close = "/screening/findings/{finding_id}/close"
    closed = call(client, "post", close, {"reason": "已和解"}, finding_id=unknown.json()["id"])
    replay = call(client, "post", close, {"reason": "已和解"}, finding_id=unknown.json()["id"])
    assert closed.status_code == replay.status_code == 200
    assert replay.json()["status"] == "closed"


def test_a_prevented_escalation_replayed_is_recorded_once(world: World, api_as: ApiAs) -> None:
    case = f.register(world.user("demo_mediator"))
    url = "/screening/cases/{case_id}/escalations"
    body = {"kind": "criminal", "people": 3, "recorded_on": timezone.localdate().isoformat()}
    client = api_as("demo_mediator")
    first = call(client, "post", url, body, case_id=case.pk)
    again = call(client, "post", url, body, case_id=case.pk)
    assert (first.status_code, again.status_code) == (201, 200)
    assert PreventedEscalation.objects.count() == 1
    assert call(client, "post", url, {**body, "people": 4}, case_id=case.pk).status_code == 422
    assert call(api_as("demo_mediator_b"), "get", url, case_id=case.pk).status_code == 404
    assert call(api_as("demo_street"), "post", url, body, case_id=case.pk).status_code == 403
