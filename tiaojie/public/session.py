"""The citizen's session: a signed cookie of its own, apart from the staff session.

The cookie ``tj_citizen`` holds ``<citizen id>:<session version>`` signed with a timestamp
under its own salt; it is never the Django session, so ``request.user`` stays anonymous for a
citizen (every staff page sends them to the staff login) and a staff session means nothing to
a citizen page (it asks for the phone). Signing out raises the citizen's ``session_version``:
copies of the old cookie stop working everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse

from tiaojie.public.models import Citizen

COOKIE = "tj_citizen"
SALT = "tiaojie.public.citizen-session"
# The access rule a citizen page declares (tests/test_url_access.py reads ``access_rule``).
CITIZEN = "citizen"

ViewFunc = Callable[..., HttpResponseBase]


def _max_age() -> int:
    return int(settings.TIAOJIE_CITIZEN_SESSION_HOURS) * 3600


def sign_in(response: HttpResponse, citizen: Citizen) -> None:
    value = signing.TimestampSigner(salt=SALT).sign(f"{citizen.pk}:{citizen.session_version}")
    response.set_cookie(
        COOKIE,
        value,
        max_age=_max_age(),
        httponly=True,
        samesite="Lax",
        secure=bool(settings.SESSION_COOKIE_SECURE),
    )


def sign_out(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, samesite="Lax")


def current_citizen(request: HttpRequest) -> Citizen | None:
    """The citizen whose valid cookie came with the request, or None."""
    raw = request.COOKIES.get(COOKIE, "")
    if not raw:
        return None
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(raw, max_age=_max_age())
        pk, version = (int(part) for part in value.split(":"))
    except (signing.BadSignature, ValueError):
        return None
    return Citizen.objects.filter(pk=pk, session_version=version).first()


def citizen_required(verified: bool = False) -> Callable[[ViewFunc], ViewFunc]:
    """A citizen page: without a citizen session, to the phone sign-in (whatever staff session
    the browser has); ``verified``: the real-name step must be done first."""

    def decorate(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            citizen = current_citizen(request)
            if citizen is None:
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse('public:sign_in')}?{query}")
            if verified and not citizen.is_verified:
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse('public:real_name')}?{query}")
            request.citizen = citizen  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapper.access_rule = CITIZEN  # type: ignore[attr-defined]
        return wrapper

    return decorate
