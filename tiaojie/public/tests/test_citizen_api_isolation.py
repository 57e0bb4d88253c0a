"""Isolation of the citizen API: a citizen reaches only their own applications (any other id
is 404, as a missing one), staff tokens mean nothing on citizen operations and citizen tokens
nothing on staff operations, and no token at all is 401."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tiaojie.public.tests.helpers import OTHER_PHONE, PHONE
from tiaojie.public.tests.test_citizen_api import API, _json, applied, signed_in

pytestmark = pytest.mark.django_db

OWN_CASE_OPERATIONS = [
    ("get", "/applications/{id}", None),
    ("get", "/applications/{id}/messages", None),
    ("post", "/applications/{id}/messages", {"text": "你好"}),
    ("get", "/applications/{id}/slots", None),
    ("post", "/applications/{id}/bookings", {"slot_id": 1}),
    ("delete", "/applications/{id}/bookings/1", None),
    ("post", "/applications/{id}/signing/code", None),
    ("post", "/applications/{id}/signing", {"signature": "data:image/png;base64,", "code": "1"}),
    ("get", "/applications/{id}/signed.pdf", None),
    ("post", "/applications/{id}/rating", {"score": 5}),
    ("get", "/applications/{id}/evidence/1", None),
]


@pytest.mark.parametrize(("method", "path", "body"), OWN_CASE_OPERATIONS)
def test_citizen_b_cannot_reach_citizen_a_case(method: str, path: str, body: Any) -> None:
    a = signed_in(PHONE)
    case_id = applied(a)["id"]
    b = signed_in(OTHER_PHONE)
    response = _json(b, method, path.format(id=case_id), body)
    assert response.status_code == 404, (path, response.content)
    assert response.json()["code"] == "not_found"
    # Nor does an id that was never a case answer any differently.
    missing = _json(b, method, path.format(id=case_id + 1000), body)
    assert missing.status_code == 404
    assert _json(b, "get", "/applications").json() == []


def test_a_staff_token_is_refused_on_citizen_operations(api_as: Any) -> None:
    staff = api_as("demo_mediator")
    assert staff.get(f"{API}/me").status_code == 401
    assert staff.get(f"{API}/applications").status_code == 401


def test_a_citizen_token_is_refused_on_staff_operations() -> None:
    citizen = signed_in()
    for path in ("/api/v1/me", "/api/v1/cases", "/api/v1/public/engagement"):
        assert citizen.get(path).status_code == 401, path


def test_no_token_is_401_but_the_directory_and_sign_in_are_open() -> None:
    anonymous = Client()
    assert anonymous.get(f"{API}/applications").status_code == 401
    assert anonymous.get(f"{API}/me").json()["code"] == "unauthorized"
    assert anonymous.get(f"{API}/directory").status_code == 200
    assert anonymous.get(f"{API}/dispute-types").status_code == 200
