"""The records of a case through the API (issue 9, item 11): a client finds the record id that
``?record=`` of a document download needs, within the case's scope."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.utils import timezone

from conftest import World
from tests import personas as p
from tiaojie.cases.services import aftercare, records
from tiaojie.cases.tests import factories as f


def test_a_client_lists_sessions_and_downloads_the_record_of_one(
    world: World, api_as: Callable[[str], Client]
) -> None:
    mediator = world.user(p.MEDIATOR_A)
    case = f.with_session(mediator, f.to_mediation(mediator, f.register(mediator)))
    client = api_as(p.MEDIATOR_A)
    sessions = client.get(f"/api/v1/cases/{case.pk}/sessions")
    assert sessions.status_code == 200
    [session] = sessions.json()
    assert session["place"] == "东湖社区调解室" and session["rights_told"] is True
    one = client.get(f"/api/v1/cases/{case.pk}/sessions/{session['id']}")
    assert one.json() == session
    document = client.get(
        f"/api/v1/cases/{case.pk}/documents/mediation_record?record={session['id']}"
    )
    assert document.status_code == 200 and document.content.startswith(b"%PDF")


def test_a_record_of_another_case_is_not_found_under_this_one(
    world: World, api_as: Callable[[str], Client]
) -> None:
    mediator = world.user(p.MEDIATOR_A)
    with_session = f.with_session(mediator, f.to_mediation(mediator, f.register(mediator)))
    other = f.register(mediator)
    session_id = with_session.sessions.get().pk
    response = api_as(p.MEDIATOR_A).get(f"/api/v1/cases/{other.pk}/sessions/{session_id}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    # Another committee's mediator does not learn the case exists.
    response = api_as(p.MEDIATOR_B).get(f"/api/v1/cases/{with_session.pk}/sessions")
    assert response.status_code == 404


def test_mediators_list_keeps_the_withdrawn_ones(
    world: World, api_as: Callable[[str], Client]
) -> None:
    mediator, director = world.user(p.MEDIATOR_A), world.user(p.DIRECTOR_A)
    case = f.to_mediation(mediator, f.register(mediator))
    records.mediator_add(actor=director, case=case, mediator=director)
    records.mediator_withdraw(
        actor=director, case=case, mediator=mediator, reason="与当事人系亲属，申请回避"
    )
    rows = api_as(p.DIRECTOR_A).get(f"/api/v1/cases/{case.pk}/mediators").json()
    by_name = {row["full_name"]: row for row in rows}
    assert by_name[mediator.full_name]["withdrawn_at"] is not None
    assert by_name[mediator.full_name]["withdrawal_reason"] == "与当事人系亲属，申请回避"
    assert by_name[director.full_name]["withdrawn_at"] is None


def test_follow_ups_and_confirmations_are_listed(
    world: World, api_as: Callable[[str], Client]
) -> None:
    mediator = world.user(p.MEDIATOR_A)
    case = f.to_agreement(mediator, f.register(mediator))
    today = timezone.localdate()
    aftercare.confirmation_apply(
        actor=mediator, case=case, applied_on=today, court="东湖区人民法院", joint=True
    )
    aftercare.follow_up_add(
        actor=mediator,
        case=case,
        visited_on=today,
        method="visit",
        party_visited="王建华",
        performance="performed",
        satisfaction="satisfied",
    )
    client = api_as(p.STREET)  # an officer of the subtree reads them too
    [confirmation] = client.get(f"/api/v1/cases/{case.pk}/confirmations").json()
    assert confirmation["court"] == "东湖区人民法院" and confirmation["outcome"] == "pending"
    [visit] = client.get(f"/api/v1/cases/{case.pk}/follow-ups").json()
    assert visit["method"] == "visit" and visit["visitor_name"] == mediator.full_name
