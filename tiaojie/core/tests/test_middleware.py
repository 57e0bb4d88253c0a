"""Every response carries a request id, and a forged one is replaced."""

from __future__ import annotations

from django.test import Client


def test_every_response_has_a_request_id(db: None) -> None:
    first = Client().get("/login/")["X-Request-ID"]
    second = Client().get("/login/")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_well_formed_incoming_id_is_kept_and_a_forged_one_replaced(db: None) -> None:
    kept = Client().get("/login/", headers={"X-Request-ID": "gateway-1234-abcd"})["X-Request-ID"]
    assert kept == "gateway-1234-abcd"
    forged = Client().get("/login/", headers={"X-Request-ID": "x\nFAKE LOG LINE"})["X-Request-ID"]
    assert forged != "x\nFAKE LOG LINE" and len(forged) == 32


def test_api_responses_carry_it_too(db: None) -> None:
    assert Client().get("/api/v1/me")["X-Request-ID"]
