"""Request id stamping: every request gets an id, echoed as ``X-Request-ID`` and kept in audit."""

from __future__ import annotations

import re
from collections.abc import Callable
from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from tiaojie.core import context

# A client or proxy may pass its own id so a request can be followed across systems;
# anything that is not a short plain token is replaced, so logs cannot be forged.
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for the audit trail.

    X-Forwarded-For is believed only when the request comes from a configured proxy, and then
    read from the right: each trusted proxy appends the address it saw, so the first address
    from the right that is not a trusted proxy is the client. Entries further left were written
    by the client itself and could say anything.
    """
    remote: str | None = request.META.get("REMOTE_ADDR") or None
    trusted = set(settings.TIAOJIE_TRUSTED_PROXIES)
    if not remote or remote not in trusted:
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    for candidate in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        try:
            ip_address(candidate)
        except ValueError:
            return remote
        if candidate not in trusted:
            return candidate
    return remote


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _VALID_ID.match(incoming) else context.new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        token = context.set_current(
            context.RequestContext(
                request_id=request_id,
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            )
        )
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = request_id
        return response
