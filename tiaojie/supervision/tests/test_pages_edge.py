"""The flag and close-out pages answer a case that cannot be flagged or closed out with a
refusal the officer can read, never a crash."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests.api.schema import call
from tests.api.test_api_edge import _new_case


@pytest.mark.parametrize("name", ["supervision:supervision_flag", "supervision:close_out"])
def test_the_city_officer_opening_flag_or_close_out_on_a_fresh_case_gets_a_page_not_a_crash(
    api_as: Callable[[str], Client], client_as: Callable[[str], Client], name: str
) -> None:
    case_id = call(api_as("demo_mediator"), "post", "/cases", _new_case()).json()["id"]
    for username in ("demo_city", "demo_district", "demo_street"):
        response = client_as(username).get(reverse(name, args=[case_id]))
        assert response.status_code in (200, 403, 404), (username, response.status_code)
        if response.status_code == 200 and name == "supervision:close_out":
            # A case still in hand cannot be closed out: the reason, before any typing.
            assert 'class="form-errors"' in response.content.decode(), username
