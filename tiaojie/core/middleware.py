"""Request id stamping: every request gets an id, echoed as ``X-Request-ID`` and kept in audit."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from ipaddress import ip_address

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
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


# Scripts only from our own static files: no inline script, no eval, nothing from elsewhere.
# Styles allow inline ``style=""`` attributes (templates and htmx's indicator style use them);
# style injection cannot run code under this policy.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# No page needs the camera, microphone, location or payment; say so, for embedded content too.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "camera",
        "microphone",
        "geolocation",
        "payment",
        "usb",
        "serial",
        "bluetooth",
        "interest-cohort",
    )
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (等保 third level)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def api_docs_guard(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The API's interactive docs and schema: for signed-in staff unless
    ``TIAOJIE_API_DOCS_PUBLIC`` (default: only with DEBUG)."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not settings.TIAOJIE_API_DOCS_PUBLIC and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return guarded
