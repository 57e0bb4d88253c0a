"""Pages of the second factor: the code after the password, and one's own authenticator
(set up, new recovery codes, turn off where allowed). The services are in ``twofactor``."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from tiaojie.accounts import services, throttle, twofactor
from tiaojie.accounts.forms import CodeForm
from tiaojie.accounts.models import User
from tiaojie.core.access import PUBLIC, SIGNED_IN, access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.middleware import client_ip
from tiaojie.core.types import AuthedRequest

# The password was right; the session waits for the code (not yet signed in).
PENDING_KEY = "tiaojie_2fa_pending"
PENDING_SECONDS = 300


def start_pending(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    """After a right password: remember who, and ask for the code (login_view calls this)."""
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", ""),
        "at": time.time(),
        "next": next_url,
    }
    return redirect("accounts:login_verify")


@access(PUBLIC)
def login_verify(request: HttpRequest) -> HttpResponse:
    """The second step of sign-in: a code from the app or a recovery code."""
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        messages.info(request, _("Log in again."))
        return redirect("accounts:login")
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        source = client_ip(request)
        if throttle.refused(user.username, source):
            throttle.failed(user.username, source)
            form.add_error(
                None,
                _("Too many failed attempts. Try again later or ask the security administrator."),
            )
        elif not twofactor.verify(user, form.cleaned_data["code"]):
            throttle.failed(user.username, source)
            form.add_error("code", _("This code is not correct."))
        else:
            throttle.succeeded(user.username, source)
            next_url = str(pending.get("next") or "")
            del request.session[PENDING_KEY]
            login(request, user, backend=pending.get("backend") or None)
            request.session[twofactor.CHECKED_KEY] = True
            services.login_succeeded(user=user, session_key=request.session.session_key)
            if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
                return redirect(next_url)
            return redirect("workbench:home")
    return render(request, "accounts/login_verify.html", {"form": form})


@access(SIGNED_IN)
def two_factor(request: AuthedRequest) -> HttpResponse:
    """One's own authenticator: set it up, renew recovery codes, or turn it off."""
    user: User = request.user
    action = request.POST.get("action") if request.method == "POST" else None
    form = CodeForm(request.POST if action else None)
    codes: list[str] = []
    if action and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            if action == "confirm":
                codes = twofactor.confirm(user, code)
                request.session[twofactor.CHECKED_KEY] = True
                messages.success(request, _("Your second factor is set up."))
            elif action == "renew":
                codes = twofactor.renew_recovery_codes(user, code)
                messages.success(
                    request, _("New recovery codes made; the old ones no longer work.")
                )
            elif action == "remove":
                twofactor.remove(user, code)
                messages.success(request, _("Your second factor is turned off."))
                return redirect("accounts:two_factor")
        except DomainError as exc:
            apply_domain_error(form, exc)
    is_enrolled = twofactor.enrolled(user)
    context: dict[str, object] = {
        "form": form if action else CodeForm(),
        "enrolled": is_enrolled,
        "required": twofactor.required(user),
        "codes": codes,
        "codes_left": twofactor.recovery_codes_left(user) if is_enrolled else 0,
    }
    if action and not form.is_valid():
        context["form"] = form
    if not is_enrolled:
        context["enrolment"] = twofactor.begin(user)
    response = render(request, "accounts/two_factor.html", context)
    # The page shows the secret or recovery codes: never keep it in a cache.
    response["Cache-Control"] = "no-store"
    return response
