"""The audit trail records the client's real address, not one the client made up."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from tiaojie.core.middleware import client_ip

PROXY = "10.0.0.2"


@pytest.mark.parametrize(
    "remote, forwarded, expected",
    [
        ("203.0.113.9", "", "203.0.113.9"),
        # Not from our proxy: the header is the client's own claim and is ignored.
        ("203.0.113.9", "1.2.3.4", "203.0.113.9"),
        # From our proxy, which appended the address it saw.
        (PROXY, "198.51.100.7", "198.51.100.7"),
        # The client forged an entry in front; the proxy's own entry (rightmost) wins.
        (PROXY, "6.6.6.6, 198.51.100.7", "198.51.100.7"),
        # Two trusted hops: skip them from the right.
        (PROXY, "198.51.100.7, 10.0.0.3", "198.51.100.7"),
        (PROXY, "not-an-ip", PROXY),
    ],
)
def test_forwarded_addresses_are_read_from_the_right(
    settings: object, remote: str, forwarded: str, expected: str
) -> None:
    settings.TIAOJIE_TRUSTED_PROXIES = [PROXY, "10.0.0.3"]  # type: ignore[attr-defined]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
