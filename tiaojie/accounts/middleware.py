"""Session rules: the idle timeout (a session left unused for TIAOJIE_IDLE_TIMEOUT_MINUTES is
logged out) and the forced password change (nothing but choosing a new password until done)."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _

from tiaojie.accounts import twofactor
from tiaojie.accounts.services import logged_out

SESSION_KEY = "tiaojie_last_seen"
REFRESH_SECONDS = 60


def allowed_paths(names: tuple[str, ...]) -> frozenset[str]:
    """The paths of the URL ``names`` a held person may still open: reversed once per process
    (a held person's every request asks), not once per request."""
    return _reversed_paths(names, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@functools.lru_cache(maxsize=16)
def _reversed_paths(names: tuple[str, ...], urlconf: str, prefix: str) -> frozenset[str]:
    """``allowed_paths`` for one URLconf and script prefix (both in the key, so a test that
    swaps the URLconf or a server mounted below a prefix gets its own answer)."""
    return frozenset(reverse(name, urlconf=urlconf) for name in names)


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            last_seen = request.session.get(SESSION_KEY)
            limit = settings.TIAOJIE_IDLE_TIMEOUT_MINUTES * 60
            if last_seen is not None and now - float(last_seen) > limit:
                user = request.user
                logout(request)
                logged_out(user=user, timed_out=True)
                messages.info(request, _("You were logged out after a period of inactivity."))
            elif last_seen is None or now - float(last_seen) > REFRESH_SECONDS:
                # A minute's precision is plenty for a 30-minute timeout, and saves writing
                # the session on every request.
                request.session[SESSION_KEY] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """A person whose password must change may only change it, or log out, until they do.

    The API refuses the same way in its bearer authentication (``core.api``).
    """

    ALLOWED_NAMES = ("accounts:password_change", "accounts:logout", "set_language")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.must_choose_password()
            and not request.path.startswith(("/static/", "/api/"))
            and request.path not in allowed_paths(self.ALLOWED_NAMES)
        ):
            messages.warning(request, _("Choose a new password before you continue."))
            return redirect("accounts:password_change")
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """Someone whose role requires a second factor and has none may only set one up (or
    change their password, or log out) until they have."""

    ALLOWED_NAMES = (
        "accounts:two_factor",
        "accounts:password_change",
        "accounts:logout",
        "set_language",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and hasattr(request, "session")
            and not request.session.get(twofactor.CHECKED_KEY)
            and twofactor.required(user)
            and not request.path.startswith(("/static/", "/api/"))
            and request.path not in allowed_paths(self.ALLOWED_NAMES)
        ):
            if twofactor.enrolled(user):
                request.session[twofactor.CHECKED_KEY] = True
            else:
                messages.warning(
                    request, _("Your role must sign in with a second factor: set it up now.")
                )
                return redirect("accounts:two_factor")
        return self.get_response(request)
