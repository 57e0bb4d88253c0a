"""Work stopped at its limit in a page that does not answer it itself (a report's PDF): the
user is sent back to the page they came from with the reason, and the stop is recorded in the
audit trail; never a 500 (core.isolation, decision 21). The documents pages answer their own
stops, with the case in the event; the API answers every domain error as JSON."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core.isolation import LimitExceeded


class LimitExceededMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, LimitExceeded):
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            match = request.resolver_match
            audit.record(
                EventType.DOCUMENT_RENDER_STOPPED,
                actor=user,
                organisation=getattr(user, "organisation", None),
                after={"page": match.view_name if match else "", "limit": exception.limit},
            )
        messages.error(request, exception.message)
        back = request.headers.get("referer", "")
        if back and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(back)
        return redirect("/")
