"""A document the case does not have is explained, not a bare 404 (issue 9 item 15)."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from tiaojie.accounts.models import User
from tiaojie.cases.choices import CaseSource
from tiaojie.cases.tests import factories


def test_the_application_of_a_case_referred_by_the_police_is_a_422_naming_what_applies(
    api_as: Callable[[str], Client], mediator: User
) -> None:
    case = factories.register(mediator, source=CaseSource.POLICE)
    response = api_as("demo_mediator").get(f"/api/v1/cases/{case.pk}/documents/application")
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "document_not_applicable"
    assert "公安" in body["message"], body  # the source, in words
    reason, listed = body["fields"]["kind"]
    assert reason == body["message"]
    assert "registration" in listed and "cover" in listed and "application (" not in listed


def test_the_application_of_a_case_a_party_applied_for_is_a_pdf(
    api_as: Callable[[str], Client], mediator: User
) -> None:
    case = factories.register(mediator, source=CaseSource.APPLICATION)
    response = api_as("demo_mediator").get(f"/api/v1/cases/{case.pk}/documents/application")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
