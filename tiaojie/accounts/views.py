"""Login, logout, password change, and account management within one's scope."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import (
    authenticate,
    login,
    logout,
    password_validation,
    update_session_auth_hash,
)
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.accounts import services, throttle, twofactor, views_twofactor
from tiaojie.accounts.forms import (
    AccountCreateForm,
    AccountFilterForm,
    AccountProfileForm,
    ApprovalForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    PasswordSetForm,
    ReasonForm,
    RoleChangeForm,
)
from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.accounts.rules import account_policy
from tiaojie.core.access import PUBLIC, SIGNED_IN, access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.middleware import client_ip
from tiaojie.core.types import AuthedRequest
from tiaojie.organisations.rules import organisation_policy

PAGE_SIZE = 50


@access(PUBLIC)
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("workbench:home")
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        source = client_ip(request)
        if throttle.refused(username, source):
            throttle.failed(username, source)
            # The same answer whether or not the username exists.
            form.add_error(
                None,
                _("Too many failed attempts. Try again later or ask the security administrator."),
            )
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                services.login_failed(username=username)
                throttle.failed(username, source)
                # Deliberately the same message whatever was wrong.
                form.add_error(None, _("The username or password is not correct."))
            elif twofactor.enrolled(user):
                # The password alone signs no one in: the throttle count stays until the
                # code is right too, so guessing codes is as slow as guessing passwords.
                return views_twofactor.start_pending(request, user, next_url)
            else:
                throttle.succeeded(username, source)
                login(request, user)
                services.login_succeeded(user=user, session_key=request.session.session_key)
                if url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
                    return redirect(next_url or "workbench:home")
                return redirect("workbench:home")
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@access(SIGNED_IN)
@require_POST
def logout_view(request: AuthedRequest) -> HttpResponse:
    user = request.user
    logout(request)
    services.logged_out(user=user)
    messages.success(request, _("You have logged out."))
    return redirect("accounts:login")


@access(SIGNED_IN)
def password_change_view(request: AuthedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
                keep_session=request.session.session_key,
            )
        except DomainError as exc:
            if "password" in exc.fields:
                exc.fields["new_password"] = exc.fields.pop("password")
            apply_domain_error(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("workbench:home")
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "password_rules": password_validation.password_validators_help_text_html(),
            "must_change": request.user.must_change_password,
        },
    )


@access(PUBLIC)
def password_set_view(request: HttpRequest, token: str) -> HttpResponse:
    """The page a one-time link opens: the person chooses their password."""
    user = services.password_link_user(token)
    form = PasswordSetForm(request.POST or None)
    if user is not None and request.method == "POST" and form.is_valid():
        try:
            services.password_set_by_link(raw=token, new_password=form.cleaned_data["new_password"])
        except DomainError as exc:
            if "password" in exc.fields:
                exc.fields["new_password"] = exc.fields.pop("password")
            apply_domain_error(form, exc)
        else:
            if request.user.is_authenticated:
                logout(request)
            messages.success(request, _("Your password is set. You can log in now."))
            return redirect("accounts:login")
    response = render(
        request,
        "accounts/password_set.html",
        {
            "form": form,
            "target": user,
            "password_rules": password_validation.password_validators_help_text_html(),
        },
    )
    # The code is in the address: keep it out of Referer headers sent to other sites
    # ("no-referrer" would make the browser send "Origin: null", which CSRF refuses).
    response["Referrer-Policy"] = "same-origin"
    return response


@access(SIGNED_IN)
def approval_list(request: AuthedRequest) -> HttpResponse:
    """Account changes that wait for this administrator's approval; approve or refuse one."""
    actor: User = request.user
    if not _may_list(actor):
        raise PermissionDenied
    pending = services.pending_for(actor)
    form = ApprovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = next((u for u in pending if str(u.pk) == request.POST.get("account")), None)
        if target is None:
            raise Http404
        try:
            services.approval_decide(
                actor=actor,
                user=target,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
                site_url=request.build_absolute_uri("/"),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Decision recorded."))
        return redirect("accounts:approvals")
    return render(request, "accounts/approvals.html", {"pending": pending, "form": form})


def _may_list(user: User) -> bool:
    return user.can(Capability.ACCOUNT_MANAGE) or user.can(Capability.ACCOUNT_SECURE)


def _capability(user: User) -> Capability:
    return (
        Capability.ACCOUNT_MANAGE
        if user.can(Capability.ACCOUNT_MANAGE)
        else Capability.ACCOUNT_SECURE
    )


@access(SIGNED_IN)
def user_list(request: AuthedRequest) -> HttpResponse:
    actor: User = request.user
    if not _may_list(actor):
        raise PermissionDenied
    users = account_policy.visible(actor, _capability(actor))
    form = AccountFilterForm(request.GET or None)
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            users = users.filter(
                Q(username__icontains=q)
                | Q(full_name__icontains=q)
                | Q(organisation__name__icontains=q)
            )
        if form.cleaned_data["role"]:
            users = users.filter(role=form.cleaned_data["role"])
        if form.cleaned_data["active"]:
            users = users.filter(is_active=form.cleaned_data["active"] == "1")
    page = Paginator(users.order_by("organisation__path", "username"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/user_list.html",
        {"page": page, "form": form, "can_create": actor.can(Capability.ACCOUNT_MANAGE)},
    )


@access(Capability.ACCOUNT_MANAGE)
def user_create(request: AuthedRequest) -> HttpResponse:
    actor: User = request.user
    organisations = organisation_policy.visible_tree(actor, Capability.ORGANISATION_VIEW).active()
    initial = {"organisation": request.GET.get("organisation")}
    form = AccountCreateForm(request.POST or None, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = services.AccountData(
            username=form.cleaned_data["username"],
            full_name=form.cleaned_data["full_name"],
            organisation=form.cleaned_data["organisation"],
            role=form.cleaned_data["role"],
            title=form.cleaned_data["title"],
            email=form.cleaned_data["email"],
        )
        try:
            user = services.user_create(actor=actor, data=data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Account %(name)s opened. It takes effect once a security administrator "
                    "approves it; the person then receives a link to choose a password."
                )
                % {"name": user.username},
            )
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@access(SIGNED_IN)
def user_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    actor: User = request.user
    if not _may_list(actor):
        raise Http404
    target = account_policy.get_or_404(actor, _capability(actor), pk=pk)
    profile_form = role_form = None
    may_edit = target.pk != actor.pk and not target.is_admin_role
    if actor.can(Capability.ACCOUNT_MANAGE) and may_edit:
        profile_form = AccountProfileForm(
            request.POST if request.POST.get("form") == "profile" else None,
            organisations=organisation_policy.visible_tree(
                actor, Capability.ORGANISATION_VIEW
            ).active(),
            initial={
                "full_name": target.full_name,
                "organisation": target.organisation_id,
                "title": target.title,
                "email": target.email,
                "version": target.version,
            },
        )
        if (
            request.method == "POST"
            and request.POST.get("form") == "profile"
            and profile_form.is_valid()
        ):
            try:
                services.user_update_profile(
                    actor=actor,
                    user=target,
                    full_name=profile_form.cleaned_data["full_name"],
                    title=profile_form.cleaned_data["title"],
                    email=profile_form.cleaned_data["email"],
                    organisation=profile_form.cleaned_data["organisation"],
                    version=profile_form.cleaned_data["version"],
                )
            except DomainError as exc:
                apply_domain_error(profile_form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("accounts:user_detail", pk=pk)
    secure_forms: dict[str, forms.Form] = {}
    if actor.can(Capability.ACCOUNT_SECURE) and may_edit:
        posted = request.POST.get("form") if request.method == "POST" else None
        role_form = RoleChangeForm(
            request.POST if posted == "role" else None,
            initial={"role": target.role, "version": target.version},
        )
        secure_forms = {
            "role_form": role_form,
            "active_form": ReasonForm(
                request.POST if posted == "active" else None, prefix="active"
            ),
            "reset_form": PasswordResetForm(
                request.POST if posted == "reset" else None, prefix="reset"
            ),
            "unlock_form": ReasonForm(
                request.POST if posted == "unlock" else None, prefix="unlock"
            ),
            "second_factor_form": ReasonForm(
                request.POST if posted == "second_factor" else None, prefix="second_factor"
            ),
        }
        done = _handle_secure_post(request, actor, target, posted, secure_forms)
        if done:
            return redirect("accounts:user_detail", pk=pk)
    tokens = target.api_tokens.usable() if actor.can(Capability.ACCOUNT_SECURE) else None
    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "profile_form": profile_form,
            "tokens": tokens,
            "has_second_factor": twofactor.enrolled(target),
            **secure_forms,
        },
    )


def _handle_secure_post(
    request: AuthedRequest,
    actor: User,
    target: User,
    posted: str | None,
    secure_forms: dict[str, forms.Form],
) -> bool:
    """Run the security administrator's action that was posted; True when it succeeded."""
    form = secure_forms.get(f"{posted}_form") if posted else None
    if form is None or not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        if posted == "role":
            services.user_change_role(
                actor=actor,
                user=target,
                role=data["role"],
                reason=data["reason"],
                version=data["version"],
            )
        elif posted == "active":
            services.user_set_active(
                actor=actor, user=target, active=not target.is_active, reason=data["reason"]
            )
        elif posted == "reset":
            services.user_reset_password(
                actor=actor,
                user=target,
                reason=data["reason"],
                site_url=request.build_absolute_uri("/"),
            )
            messages.success(
                request,
                _(
                    "The old password no longer works. A one-time link to choose a new one "
                    "was sent to the person's e-mail address."
                ),
            )
            return True
        elif posted == "unlock":
            services.user_unlock(actor=actor, user=target, reason=data["reason"])
        elif posted == "second_factor":
            twofactor.reset(actor=actor, user=target, reason=data["reason"])
            messages.success(
                request,
                _("The second factor was removed; the person sets up a new one at next sign-in."),
            )
            return True
    except DomainError as exc:
        apply_domain_error(form, exc)
        return False
    messages.success(request, _("Saved."))
    return True


@access(Capability.ACCOUNT_SECURE)
@require_POST
def token_revoke_all(request: AuthedRequest, pk: int) -> HttpResponse:
    actor: User = request.user
    target = account_policy.get_or_404(actor, Capability.ACCOUNT_SECURE, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.data.get("reason", "") if form.is_bound else ""
    try:
        for token in target.api_tokens.usable():
            services.token_revoke(actor=actor, token=token, reason=str(reason))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("All API tokens of this account were revoked."))
    return redirect("accounts:user_detail", pk=pk)


@access(Capability.ACCOUNT_SECURE)
def lockouts(request: AuthedRequest) -> HttpResponse:
    """Blocked sources and usernames, for the security administrator to see and lift."""
    if request.method == "POST":
        form = ReasonForm(request.POST)
        if form.is_valid():
            try:
                throttle.release(
                    actor=request.user,
                    pk=int(request.POST.get("block") or 0),
                    reason=form.cleaned_data["reason"],
                )
            except (DomainError, ValueError):
                messages.error(request, _("Please correct the errors below."))
            else:
                messages.success(request, _("The block was lifted."))
        else:
            messages.error(request, _("Say why."))
        return redirect("accounts:lockouts")
    return render(request, "accounts/lockouts.html", {"blocks": throttle.active()})
