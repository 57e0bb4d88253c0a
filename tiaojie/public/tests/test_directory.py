"""The directory by district: committees with hours as published, mediators' public fields
only, filters by district, street and dispute type, and from an entry an application to that
committee or mediator."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tiaojie.accounts.models import User
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.models import DisputeType
from tiaojie.mediators import studios
from tiaojie.mediators.models import Mediator
from tiaojie.mediators.tests.helpers import register
from tiaojie.organisations.models import Organisation
from tiaojie.public.models import Application
from tiaojie.public.tests.helpers import COMMITTEE_A, answer_neighbours_leak, details, sign_in
from tiaojie.routing.triage import triage

pytestmark = pytest.mark.django_db


def _mediator() -> Mediator:
    mediator = register(
        User.objects.get(username="demo_director"), name="王秀兰", phone="13812345678"
    )
    mediator.expertise.add(DisputeType.objects.get(code="neighbours"))
    return mediator


def test_the_directory_shows_public_fields_only_and_filters() -> None:
    _mediator()
    page = Client().get(reverse("public:directory")).content.decode()
    assert COMMITTEE_A in page and "王秀兰" in page and "邻里" in page
    assert "13812345678" not in page and "中北路" not in page
    only_neighbours = Client().get(reverse("public:directory"), {"dispute_type": "neighbours"})
    assert COMMITTEE_A in only_neighbours.content.decode()
    none = Client().get(reverse("public:directory"), {"dispute_type": "medical"}).content.decode()
    assert COMMITTEE_A not in none
    api = Client().get("/api/v1/citizen/directory", {"dispute_type": "neighbours"}).json()
    entry = next(c for c in api["committees"] if c["name"] == COMMITTEE_A)
    assert entry["mediators"][0]["name"] == "王秀兰"
    assert set(entry["mediators"][0]) == {
        "id",
        "name",
        "grade",
        "expertise",
        "committee_id",
    }
    by_street = Client().get(reverse("public:directory"), {"street": entry["street_id"]})
    assert COMMITTEE_A in by_street.content.decode()


def test_applying_to_a_mediator_from_the_directory() -> None:
    mediator = _mediator()
    client = Client()
    sign_in(client)
    client.get(reverse("public:apply"), {"place": f"mediator:{mediator.pk}"})
    answer_neighbours_leak(client)
    form = client.get(reverse("public:apply_details")).content.decode()
    assert f'value="mediator:{mediator.pk}" selected' in form
    response = client.post(
        reverse("public:apply_details"), details(committee=f"mediator:{mediator.pk}")
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    assert Application.objects.get().preferred_mediator == mediator


def test_applying_to_a_committee_from_the_directory_keeps_the_wish_end_to_end(
    client_as: Any, api_as: Any
) -> None:
    committee = Organisation.objects.get(name=COMMITTEE_A)
    client = Client()
    sign_in(client)
    client.get(reverse("public:apply"), {"place": f"committee:{committee.pk}"})
    answer_neighbours_leak(client)
    form = client.get(reverse("public:apply_details")).content.decode()
    assert f'value="committee:{committee.pk}" selected' in form
    response = client.post(
        reverse("public:apply_details"), details(committee=f"committee:{committee.pk}")
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    # The street centre's queue holds the case; the wish is kept as data, and audited.
    case = Application.objects.get().case
    assert case.status == CaseStatus.QUEUED and case.committee.name == "东湖街道司法所"
    assert case.wished_committee == committee
    recorded = AuditEvent.objects.get(event_type=EventType.COMMITTEE_WISH_RECORDED)
    assert (recorded.after or {})["wished_committee"] == committee.pk
    # Routing proposes it, with the reason; the queue, the case page and the API show it.
    suggestion = triage(case)
    assert suggestion.target == committee and suggestion.wish_followed
    officer = client_as("demo_street")
    queue = officer.get(reverse("routing:queue")).content.decode()
    assert f"申请人希望：{COMMITTEE_A}" in queue
    page = officer.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert 'id="case-wish"' in page and COMMITTEE_A in page
    detail = api_as("demo_street").get(f"/api/v1/cases/{case.pk}").json()
    assert detail["wished_committee"] == {"id": committee.pk, "name": COMMITTEE_A}
    # No personal data in the addresses the applicant went through.
    assert "赵丽华" not in response["Location"]


def test_the_directory_lists_open_studios_with_their_lead() -> None:
    director = User.objects.get(username="demo_director")
    lead = _mediator()
    committee = Organisation.objects.get(name=COMMITTEE_A)
    studios.studio_add(
        actor=director,
        committee=committee,
        data=studios.StudioData("金牌调解员王秀兰工作室", "personal", lead.pk, dt.date(2025, 3, 1)),
    )
    gone = studios.studio_add(
        actor=director,
        committee=committee,
        data=studios.StudioData("旧调解室", "brand", None, dt.date(2020, 1, 1)),
    )
    studios.studio_close(actor=director, studio=gone, closed_on=dt.date(2021, 1, 1), version=None)
    page = Client().get(reverse("public:directory")).content.decode()
    assert "金牌调解员王秀兰工作室" in page and "个人调解工作室" in page
    assert "旧调解室" not in page
    answer = Client().get("/api/v1/citizen/directory").json()
    entry = next(c for c in answer["committees"] if c["id"] == committee.pk)
    assert entry["studios"] == [
        {
            "name": "金牌调解员王秀兰工作室",
            "kind": "personal",
            "kind_name": "个人调解工作室",
            "mediator": "王秀兰",
        }
    ]
