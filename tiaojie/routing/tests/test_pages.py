"""The routing pages as their users see them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import personas as p
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.models import Case, CaseTransition
from tiaojie.cases.tests.factories import register
from tiaojie.organisations.choices import Sector
from tiaojie.routing.choices import Tier, TransferStatus
from tiaojie.routing.models import MediatorExpertise, RoutingRule, Transfer
from tiaojie.routing.services.joint import joint_committee_add
from tiaojie.routing.services.transfers import transfer_request
from tiaojie.routing.tests.helpers import dispute_type, queued, rule, user

pytestmark = pytest.mark.django_db
Login = Callable[[str], Client]


def test_the_queue_shows_the_suggestion_and_routes_it_with_one_click(client_as: Login) -> None:
    rule("医疗纠纷", 10, Tier.SECTOR, types=["medical"], sector=Sector.MEDICAL)
    case = queued(dispute_type="medical")
    other = queued()
    client = client_as(p.STREET)
    page = client.get(reverse("routing:queue")).content.decode()
    assert case.number in page and other.number in page
    assert "东湖区医疗纠纷人民调解委员会" in page and "医疗纠纷" in page
    response = client.post(
        reverse("routing:route_suggested", args=[case.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#queued-{case.pk}"
    assert "东湖区医疗纠纷人民调解委员会" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REGISTERED
    assert case.number not in client.get(reverse("routing:queue")).content.decode()


def test_routing_elsewhere_without_a_reason_keeps_the_choice(client_as: Login) -> None:
    case = queued()
    client = client_as(p.STREET)
    url = reverse("routing:route_elsewhere", args=[case.pk])
    committee_b = p.org(p.COMMITTEE_B)
    response = client.post(url, {"committee": committee_b.pk, "reason": ""})
    assert response.status_code == 422
    assert f'value="{committee_b.pk}" selected' in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.QUEUED
    response = client.post(url, {"committee": committee_b.pk, "reason": "当事人要求"})
    assert response.status_code == 302
    move = CaseTransition.objects.get(case=case, action="route")
    assert move.data["overridden"] is True and move.reason == "当事人要求"


def test_another_centre_cannot_route_a_case_it_does_not_hold(client_as: Login) -> None:
    case = queued(p.DISTRICT)  # queued at the district centre, above the street officer
    response = client_as(p.STREET).post(reverse("routing:route_suggested", args=[case.pk]))
    assert response.status_code == 404


def test_a_refused_rule_keeps_what_was_typed_and_says_why(client_as: Login) -> None:
    rule("兜底", 100, Tier.COMMUNITY)
    client = client_as(p.DISTRICT)
    form = {
        "name": "全部到街道",
        "priority": "10",
        "active": "on",
        "spread": "any",
        "tier": "street",
    }
    response = client.post(reverse("routing:rule_create"), form)
    assert response.status_code == 422
    body = response.content.decode()
    assert "全部到街道" in body and "兜底" in body
    assert not RoutingRule.objects.filter(name="全部到街道").exists()
    form["amount_min"] = "100000"
    assert client.post(reverse("routing:rule_create"), form).status_code == 302
    page = client.get(reverse("routing:rules")).content.decode()
    assert "全部到街道" in page and "100,000" in page


def test_a_stale_rule_edit_is_refused_with_409(client_as: Login) -> None:
    saved = rule("医疗", 10, Tier.SECTOR, types=["medical"], sector=Sector.MEDICAL)
    client = client_as(p.DISTRICT)
    form = {
        "name": "医疗纠纷",
        "priority": "10",
        "active": "on",
        "spread": "any",
        "tier": "sector",
        "sector": "medical",
        "dispute_types": [dispute_type("medical").pk],
        "version": str(saved.version),
    }
    url = reverse("routing:rule_edit", args=[saved.pk])
    assert client.post(url, form).status_code == 302
    response = client.post(url, {**form, "name": "又改"})
    assert response.status_code == 409 and "又改" in response.content.decode()


def test_the_case_panel_shows_the_routing_and_is_404_out_of_scope(client_as: Login) -> None:
    case = queued()
    from tiaojie.routing.services.routing import case_route

    case_route(actor=user(p.STREET), case=case, committee=p.org(p.COMMITTEE_A), reason="就近")
    url = reverse("routing:case_panel", args=[case.pk])
    body = client_as(p.DIRECTOR_A).get(url).content.decode()
    assert p.DONGHU_OFFICE in body and "就近" in body
    assert "routing:transfer_request" not in body
    assert f"/routing/cases/{case.pk}/transfer/" in body  # the director may transfer it
    assert client_as(p.MEDIATOR_B).get(url).status_code == 404


def test_the_receiving_director_accepts_on_the_transfers_page(client_as: Login) -> None:
    case = register(user(p.MEDIATOR_A))
    transfer = transfer_request(
        actor=user(p.DIRECTOR_A),
        case=case,
        to_organisation=p.org(p.COMMITTEE_B),
        kind="transfer",
        reason="双方住梨园社区",
    )
    client = client_as("director02")
    page = client.get(reverse("routing:transfers")).content.decode()
    assert case.number in page and "双方住梨园社区" in page
    # The sender and the receiver are named as such, not as dates (开始日期/结束日期).
    assert "<th>移出方</th>" in page and "开始日期" not in page
    sent = client_as(p.DIRECTOR_A).get(reverse("routing:transfers")).content.decode()
    assert "<th>接收方</th>" in sent and "结束日期" not in sent
    client.post(reverse("routing:transfer_decide", args=[transfer.pk]), {"action": "accept"})
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.ACCEPTED
    assert Case.objects.get(pk=case.pk).committee == p.org(p.COMMITTEE_B)


def test_the_director_transfers_from_the_panel_with_htmx(client_as: Login) -> None:
    case = register(user(p.MEDIATOR_A))
    client = client_as(p.DIRECTOR_A)
    url = reverse("routing:transfer_request", args=[case.pk])
    outside = p.org("红卫路社区人民调解委员会")
    response = client.post(
        url,
        {"kind": "transfer", "to_organisation": outside.pk, "reason": "试"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422  # not even offered: outside the district
    response = client.post(
        url,
        {"kind": "transfer", "to_organisation": p.org(p.COMMITTEE_B).pk, "reason": "就近"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and 'id="pending-transfer"' in response.content.decode()


def test_joint_committees_are_listed_and_removed_from_the_panel(client_as: Login) -> None:
    case = register(user(p.MEDIATOR_A))
    joint_committee_add(actor=user(p.DIRECTOR_A), case=case, committee=p.org(p.COMMITTEE_B))
    assert case.number in client_as(p.MEDIATOR_B).get(reverse("cases:case_list")).content.decode()
    client = client_as(p.DIRECTOR_A)
    listed = f'data-joint="{p.org(p.COMMITTEE_B).pk}"'
    assert listed in client.get(reverse("routing:case_panel", args=[case.pk])).content.decode()
    response = client.post(
        reverse("routing:joint_remove", args=[case.pk, p.org(p.COMMITTEE_B).pk]),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert f'data-joint="{p.org(p.COMMITTEE_B).pk}"' not in response.content.decode()


def test_a_director_sets_a_mediators_expertise(client_as: Login) -> None:
    mediator = user(p.MEDIATOR_A)
    response = client_as(p.DIRECTOR_A).post(
        reverse("routing:expertise"),
        {"mediator": mediator.pk, "dispute_types": [dispute_type("neighbours").pk]},
    )
    assert response.status_code == 302
    assert list(
        MediatorExpertise.objects.filter(mediator=mediator).values_list(
            "dispute_type__code", flat=True
        )
    ) == ["neighbours"]


def test_a_bureau_officer_makes_an_office_a_governance_centre(client_as: Login) -> None:
    office = p.org("水果湖街道司法所")
    response = client_as(p.DISTRICT).post(
        reverse("routing:centre_edit", args=[office.pk]),
        {"is_centre": "on", "channels": ["hotline"], "version": office.version},
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.is_governance_centre and office.centre_channels == ["hotline"]


def test_routing_elsewhere_is_a_page_of_its_own_with_a_proper_form(client_as: Login) -> None:
    case = queued()
    client = client_as(p.STREET)
    queue_page = client.get(reverse("routing:queue")).content.decode()
    url = reverse("routing:route_elsewhere", args=[case.pk])
    # The queue links to the page rather than squeezing the form into its last column.
    assert f'href="{url}" data-action="route_elsewhere"' in queue_page
    assert f'hx-get="{url}"' not in queue_page
    page = client.get(url, headers={"HX-Request": "true"})
    html = page.content.decode()
    assert "<html" in html  # the whole page, even when asked by htmx
    assert "---------" not in html and "请选择调委会" in html
    assert 'rows="4"' in html
    assert case.summary in html


def test_a_grid_report_lands_in_the_street_centres_queue(client_as: Login) -> None:
    """The demo centres receive every channel that does not start at a committee (统一受理),
    grid reports included."""
    case = register(user("demo_grid"), source="grid")
    assert case.status == CaseStatus.QUEUED
    assert case.committee == p.org(p.DONGHU_OFFICE)
    assert case.number in client_as(p.STREET).get(reverse("routing:queue")).content.decode()


def test_rules_and_suggestions_read_with_chinese_punctuation(client_as: Login) -> None:
    rule("大额纠纷", 10, Tier.STREET, amount_min=100000, requires_group=True)
    page = client_as(p.DISTRICT).get(reverse("routing:rules")).content.decode()
    shown = page[page.index("大额纠纷") :]
    assert "元</span>；" in shown and "群体性纠纷；" in shown
    assert "元; " not in page and "纠纷; " not in page


# The queue's statements (ADR 0051): the dispute type names were once read again for each row.
QUEUE_QUERIES = 13


def test_the_queue_costs_the_same_statements_for_one_dispute_or_many(client_as: Login) -> None:
    client = client_as(p.STREET)
    queued(dispute_type="medical")
    client.get(reverse("routing:queue"))  # the session's first write

    def statements() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("routing:queue")).status_code == 200
        return len(ctx.captured_queries)

    few = statements()
    for _ in range(5):
        queued(is_group=True, people_involved=12)
    assert (few, statements()) == (QUEUE_QUERIES, QUEUE_QUERIES)
