"""API: tokens, the current user, and account management (same services as the pages)."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from tiaojie.accounts import services, throttle, twofactor
from tiaojie.accounts.error_codes import AccountsErrorCode as E
from tiaojie.accounts.models import ApiToken, User, hash_token
from tiaojie.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from tiaojie.accounts.rules import account_policy
from tiaojie.accounts.schemas import (
    AccountIn,
    AccountOut,
    ActiveIn,
    ApprovalIn,
    MeOut,
    PasswordChangeIn,
    PasswordSetIn,
    ReasonIn,
    RoleIn,
    TokenIn,
    TokenOut,
)
from tiaojie.core.api import ERRORS, PAGE, PAGE_SIZE, Page, caller, paginate
from tiaojie.core.errors import NotPermitted
from tiaojie.core.middleware import client_ip
from tiaojie.organisations.rules import organisation_policy

router = Router(tags=["accounts"])


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, **ERRORS},
    operation_id="token_create",
)
def token_create(request: HttpRequest, body: TokenIn) -> Status[object]:
    """Exchange a username and password for a bearer token."""
    source = client_ip(request)
    if throttle.refused(body.username, source):
        throttle.failed(body.username, source)
        # The same answer whether or not the username exists.
        return Status(
            401, {"code": "locked", "message": _("Too many failed attempts. Try again later.")}
        )
    user = authenticate(request, username=body.username, password=body.password)
    if user is None:
        services.login_failed(username=body.username)
        throttle.failed(body.username, source)
        return Status(
            401,
            {
                "code": "invalid_credentials",
                "message": _("The username or password is not correct."),
            },
        )
    if twofactor.enrolled(user):
        # A token is as good as a session: it needs the second factor too (decision 0012).
        if not body.otp:
            return Status(
                401,
                {
                    "code": "otp_required",
                    "message": _("Enter the code of your authenticator app."),
                },
            )
        if not twofactor.verify(user, body.otp):
            throttle.failed(body.username, source)
            return Status(401, {"code": "otp_invalid", "message": _("This code is not correct.")})
    elif twofactor.required(user):
        return Status(
            401,
            {
                "code": "otp_enrolment_required",
                "message": _(
                    "Your role must sign in with a second factor: set it up on the web first."
                ),
            },
        )
    throttle.succeeded(body.username, source)
    issued = services.token_issue(user=user)
    return Status(200, {"token": issued.raw, "expires_at": issued.token.expires_at})


@router.delete("/auth/token", response={204: None, **ERRORS}, operation_id="token_revoke")
def token_revoke(request: HttpRequest) -> Status[None]:
    """Revoke the token this request was made with."""
    raw = request.headers.get("Authorization", "").partition(" ")[2].strip()
    token = ApiToken.objects.select_related("user__organisation").get(key_hash=hash_token(raw))
    services.token_revoke(actor=caller(request), token=token)
    return Status(204, None)


@router.get("/me", response={200: MeOut, **ERRORS}, operation_id="me_read")
def me(request: HttpRequest) -> dict[str, object]:
    """Who am I: account, role, capabilities and organisation."""
    user = caller(request)
    role = Role(user.role)
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "roles": [role.value],
        "role_labels": [str(role.label)],
        "capabilities": sorted(c.value for c in ROLE_CAPABILITIES[role]),
        "organisation": user.organisation,
    }


def _account_capability(user: User) -> Capability:
    if user.can(Capability.ACCOUNT_MANAGE):
        return Capability.ACCOUNT_MANAGE
    if user.can(Capability.ACCOUNT_SECURE):
        return Capability.ACCOUNT_SECURE
    raise NotPermitted(E.NOT_PERMITTED, _("Your role may not do this."))


@router.get(
    "/accounts",
    response={200: Page[AccountOut], **ERRORS},
    operation_id="accounts_list",
)
def accounts_list(
    request: HttpRequest,
    q: str = "",
    role: str = "",
    organisation: int | None = None,
    page: int = PAGE,
    page_size: int = PAGE_SIZE,
) -> dict[str, object]:
    """Staff accounts within the caller's scope (system and security administrators)."""
    actor = caller(request)
    qs = account_policy.visible(actor, _account_capability(actor)).order_by(
        "organisation__path", "username"
    )
    if q:
        qs = qs.filter(Q(full_name__icontains=q) | Q(username__icontains=q))
    if role:
        qs = qs.filter(role=role)
    if organisation is not None:
        qs = qs.filter(organisation_id=organisation)
    return paginate(qs, page, page_size)


@router.get(
    "/accounts/approvals",
    response={200: list[AccountOut], **ERRORS},
    operation_id="accounts_approvals",
)
def accounts_approvals(request: HttpRequest) -> list[User]:
    """Accounts whose creation or role change awaits the caller's approval."""
    actor = caller(request)
    _account_capability(actor)
    return services.pending_for(actor)


@router.get(
    "/accounts/{id:account_id}",
    response={200: AccountOut, **ERRORS},
    operation_id="accounts_read",
)
def accounts_read(request: HttpRequest, account_id: int) -> User:
    actor = caller(request)
    return account_policy.get_or_404(actor, _account_capability(actor), pk=account_id)


@router.post(
    "/accounts",
    response={201: AccountOut, **ERRORS},
    operation_id="accounts_create",
)
def accounts_create(request: HttpRequest, body: AccountIn) -> Status[User]:
    """Open an account (system administrator)."""
    actor = caller(request)
    if not actor.can(Capability.ACCOUNT_MANAGE):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not do this."))
    organisation = organisation_policy.get_or_404(
        actor, Capability.ORGANISATION_VIEW, pk=body.organisation_id
    )
    data = services.AccountData(
        username=body.username,
        full_name=body.full_name,
        organisation=organisation,
        role=body.role,
        title=body.title,
        email=body.email,
    )
    return Status(201, services.user_create(actor=actor, data=data))


@router.post(
    "/accounts/{id:account_id}/role",
    response={200: AccountOut, **ERRORS},
    operation_id="accounts_change_role",
)
def accounts_change_role(request: HttpRequest, account_id: int, body: RoleIn) -> User:
    """Change an account's role (security administrator)."""
    actor = caller(request)
    target = account_policy.get_or_404(actor, Capability.ACCOUNT_SECURE, pk=account_id)
    return services.user_change_role(
        actor=actor, user=target, role=body.role, reason=body.reason, version=body.version
    )


@router.post(
    "/accounts/{id:account_id}/active",
    response={200: AccountOut, **ERRORS},
    operation_id="accounts_set_active",
)
def accounts_set_active(request: HttpRequest, account_id: int, body: ActiveIn) -> User:
    """Deactivate or reactivate an account (security administrator)."""
    actor = caller(request)
    target = account_policy.get_or_404(actor, Capability.ACCOUNT_SECURE, pk=account_id)
    return services.user_set_active(
        actor=actor, user=target, active=body.active, reason=body.reason
    )


@router.post(
    "/auth/password",
    response={204: None, **ERRORS},
    operation_id="password_change",
)
def password_change(request: HttpRequest, body: PasswordChangeIn) -> Status[None]:
    """Change one's own password (also what a forced change after a reset or expiry needs)."""
    services.password_change(
        user=caller(request), old_password=body.old_password, new_password=body.new_password
    )
    return Status(204, None)


@router.post(
    "/auth/password/set",
    auth=None,
    response={204: None, **ERRORS},
    operation_id="password_set",
)
def password_set(request: HttpRequest, body: PasswordSetIn) -> Status[None]:
    """Choose a password with the one-time code from the link a person received by e-mail."""
    services.password_set_by_link(raw=body.token, new_password=body.new_password)
    return Status(204, None)


@router.post(
    "/accounts/{id:account_id}/approval",
    response={200: AccountOut, **ERRORS},
    operation_id="accounts_decide",
)
def accounts_decide(request: HttpRequest, account_id: int, body: ApprovalIn) -> User:
    """Approve or refuse a new account (security administrator) or a role change (system
    administrator); never one's own request."""
    actor = caller(request)
    target = account_policy.get_or_404(actor, _account_capability(actor), pk=account_id)
    return services.approval_decide(
        actor=actor,
        user=target,
        approve=body.approve,
        reason=body.reason,
        site_url=request.build_absolute_uri("/"),
    )


@router.post(
    "/accounts/{id:account_id}/password-reset",
    response={200: AccountOut, **ERRORS},
    operation_id="accounts_reset_password",
)
def accounts_reset_password(request: HttpRequest, account_id: int, body: ReasonIn) -> User:
    """Reset a password (security administrator): the old one stops working and the person
    receives a one-time link by e-mail; the caller never sees a password or the link."""
    actor = caller(request)
    target = account_policy.get_or_404(actor, Capability.ACCOUNT_SECURE, pk=account_id)
    return services.user_reset_password(
        actor=actor, user=target, reason=body.reason, site_url=request.build_absolute_uri("/")
    )
