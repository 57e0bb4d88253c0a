"""Writes to staff accounts: creation, profile, role, locking, passwords, API tokens, sessions.

The three administrators are kept apart here, not only in the views: the system administrator
creates accounts and edits profiles; the security administrator changes roles, locks, unlocks,
resets passwords and revokes tokens; nobody changes an administrator account through the app.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.models import ApiToken, User, hash_token
from tiaojie.accounts.roles import (
    ADMIN_ROLES,
    ROLE_ORGANISATION_KINDS,
    Capability,
    Role,
)
from tiaojie.accounts.rules import account_policy
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.organisations.models import Organisation
from tiaojie.organisations.rules import organisation_policy

MAX_FAILED_LOGINS = 5
LOCKOUT_MINUTES = 15
PROFILE_FIELDS = ["full_name", "title", "email", "organisation"]


def _field_error(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        "invalid", _("Please correct the errors below."), fields={field: [message]}
    )


def _check_role_fits(role: str, organisation: Organisation) -> None:
    if role not in Role.values:
        raise _field_error("role", _("Choose a valid role."))
    if organisation.kind not in ROLE_ORGANISATION_KINDS[Role(role)]:
        raise _field_error(
            "organisation",
            _("A %(role)s cannot belong to a %(kind)s.")
            % {"role": Role(role).label, "kind": organisation.kind_label},
        )


def _require(actor: User | None, capability: Capability, target: User | None = None) -> None:
    """``actor`` must hold ``capability`` and, for an existing account, have it in scope."""
    if actor is None:
        return
    if not actor.can(capability):
        raise NotPermitted("not_permitted", _("Your role may not do this."))
    if target is not None:
        if target.pk == actor.pk:
            raise NotPermitted("not_permitted", _("You cannot change your own account here."))
        if target.role in ADMIN_ROLES:
            raise NotPermitted(
                "not_permitted", _("Administrator accounts are managed from the command line.")
            )
        if not account_policy.allows(actor, capability, target):
            raise NotPermitted("not_permitted", _("This account is outside your scope."))


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(
            "invalid_password",
            _("The password is not strong enough."),
            fields={"password": list(exc.messages)},
        ) from exc


@dataclass
class AccountData:
    username: str
    full_name: str
    organisation: Organisation
    role: str
    title: str = ""
    email: str = ""


@transaction.atomic
def user_create(
    *, actor: User | None, data: AccountData, password: str, enforce_policy: bool = True
) -> User:
    """Open a staff account in an organisation within the actor's scope.

    ``enforce_policy=False`` is for the system only (the demo data's documented password).
    """
    if not enforce_policy and actor is not None:
        raise NotPermitted("not_permitted", _("Only the system may skip the password policy."))
    _require(actor, Capability.ACCOUNT_MANAGE)
    if actor is not None:
        if data.role in ADMIN_ROLES:
            raise _field_error(
                "role", _("Administrator accounts are created from the command line.")
            )
        if not organisation_policy.allows(actor, Capability.ORGANISATION_VIEW, data.organisation):
            raise _field_error("organisation", _("Choose an organisation within your scope."))
    username = data.username.strip()
    if not username:
        raise _field_error("username", _("Enter a username."))
    if User.objects.filter(username__iexact=username).exists():
        raise _field_error("username", _("This username is taken."))
    if not data.full_name.strip():
        raise _field_error("full_name", _("Enter the person's full name."))
    _check_role_fits(data.role, data.organisation)
    user = User(
        username=username,
        full_name=data.full_name.strip(),
        organisation=data.organisation,
        role=data.role,
        title=data.title.strip(),
        email=data.email.strip(),
    )
    if enforce_policy:
        _check_password(password, user)
    user.set_password(password)
    user.save()
    audit.record(
        EventType.ACCOUNT_CREATED,
        actor=actor,
        organisation=user.organisation,
        obj=user,
        after={
            **audit.snapshot(user, PROFILE_FIELDS),
            "username": user.username,
            "role": user.role,
        },
    )
    return user


@transaction.atomic
def user_update_profile(
    *,
    actor: User | None,
    user: User,
    full_name: str,
    title: str,
    email: str,
    organisation: Organisation,
    version: int,
) -> User:
    """Edit name, title, e-mail or organisation (a transfer); the role stays as it is."""
    _require(actor, Capability.ACCOUNT_MANAGE, user)
    locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    if locked.version != version:
        raise Conflict(
            "stale_version", _("Someone else changed this account while you were editing.")
        )
    if actor is not None and not organisation_policy.allows(
        actor, Capability.ORGANISATION_VIEW, organisation
    ):
        raise _field_error("organisation", _("Choose an organisation within your scope."))
    if not full_name.strip():
        raise _field_error("full_name", _("Enter the person's full name."))
    _check_role_fits(locked.role, organisation)
    before = audit.snapshot(locked, PROFILE_FIELDS)
    locked.full_name, locked.title, locked.email = full_name.strip(), title.strip(), email.strip()
    locked.organisation = organisation
    locked.version += 1
    locked.save()
    b, a = audit.changed(before, audit.snapshot(locked, PROFILE_FIELDS))
    audit.record(
        EventType.ACCOUNT_UPDATED,
        actor=actor,
        organisation=organisation,
        obj=locked,
        before=b,
        after=a,
    )
    return locked


@transaction.atomic
def user_change_role(
    *, actor: User | None, user: User, role: str, reason: str, version: int
) -> User:
    """Give an account another business role that fits its organisation."""
    _require(actor, Capability.ACCOUNT_SECURE, user)
    locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    if locked.version != version:
        raise Conflict(
            "stale_version", _("Someone else changed this account while you were editing.")
        )
    if role in ADMIN_ROLES:
        raise _field_error("role", _("Administrator roles are given from the command line."))
    if not reason.strip():
        raise _field_error("reason", _("Say why the role changes."))
    _check_role_fits(role, locked.organisation)
    before = {"role": locked.role}
    locked.role = role
    locked.version += 1
    locked.save()
    audit.record(
        EventType.ACCOUNT_ROLE_CHANGED,
        actor=actor,
        organisation=locked.organisation,
        obj=locked,
        reason=reason,
        before=before,
        after={"role": role},
    )
    return locked


@transaction.atomic
def user_set_active(*, actor: User | None, user: User, active: bool, reason: str) -> User:
    """Deactivate (the account can no longer log in, its tokens stop) or reactivate an account."""
    _require(actor, Capability.ACCOUNT_SECURE, user)
    if not reason.strip():
        raise _field_error("reason", _("Say why."))
    locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    if locked.is_active == active:
        return locked
    locked.is_active = active
    locked.version += 1
    locked.save()
    if not active:
        ApiToken.objects.filter(user=locked, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    audit.record(
        EventType.ACCOUNT_REACTIVATED if active else EventType.ACCOUNT_DEACTIVATED,
        actor=actor,
        organisation=locked.organisation,
        obj=locked,
        reason=reason,
        before={"is_active": not active},
        after={"is_active": active},
    )
    return locked


@transaction.atomic
def user_reset_password(*, actor: User | None, user: User, password: str, reason: str) -> User:
    """An administrator sets a new password (e.g. the person forgot theirs); unlocks too."""
    _require(actor, Capability.ACCOUNT_SECURE, user)
    locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    _check_password(password, locked)
    locked.set_password(password)
    locked.failed_logins = 0
    locked.locked_until = None
    locked.version += 1
    locked.save()
    audit.record(
        EventType.PASSWORD_RESET,
        actor=actor,
        organisation=locked.organisation,
        obj=locked,
        reason=reason,
    )
    return locked


@transaction.atomic
def user_unlock(*, actor: User | None, user: User, reason: str) -> User:
    _require(actor, Capability.ACCOUNT_SECURE, user)
    locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    locked.failed_logins = 0
    locked.locked_until = None
    locked.save(update_fields=["failed_logins", "locked_until"])
    audit.record(
        EventType.ACCOUNT_UNLOCKED,
        actor=actor,
        organisation=locked.organisation,
        obj=locked,
        reason=reason,
    )
    return locked


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> User:
    """A person changes their own password."""
    if not user.check_password(old_password):
        raise _field_error("old_password", _("The current password is not correct."))
    _check_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit.record(EventType.PASSWORD_CHANGED, actor=user, obj=user)
    return user


# --- Logins ---------------------------------------------------------------------------------


def login_failed(*, username: str) -> None:
    """Count a failed login; lock the account for a while after too many in a row.

    The event is recorded whether or not the username exists, and the page says the same
    thing either way, so that a failed login does not reveal which part was wrong.
    """
    with transaction.atomic():
        user = (
            User.objects.select_for_update(of=("self",)).filter(username__iexact=username).first()
        )
        if user is None:
            audit.record(EventType.LOGIN_FAILED, actor=None, after={"username": username[:150]})
            return
        User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
        user.refresh_from_db(fields=["failed_logins"])
        audit.record(EventType.LOGIN_FAILED, actor=None, organisation=user.organisation, obj=user)
        if user.failed_logins >= MAX_FAILED_LOGINS and not user.is_locked():
            user.locked_until = timezone.now() + dt.timedelta(minutes=LOCKOUT_MINUTES)
            user.save(update_fields=["locked_until"])
            audit.record(
                EventType.ACCOUNT_LOCKED_OUT, actor=None, organisation=user.organisation, obj=user
            )


def login_succeeded(*, user: User) -> None:
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    audit.record(EventType.LOGIN_SUCCEEDED, actor=user, obj=user)


def logged_out(*, user: User, timed_out: bool = False) -> None:
    audit.record(
        EventType.SESSION_TIMED_OUT if timed_out else EventType.LOGGED_OUT, actor=user, obj=user
    )


# --- API tokens -----------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedToken:
    raw: str
    token: ApiToken


@transaction.atomic
def token_issue(*, user: User) -> IssuedToken:
    """A new bearer token for ``user``; the raw value exists only in the return value."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=hash_token(raw),
        prefix=raw[:8],
        expires_at=timezone.now() + dt.timedelta(hours=settings.TIAOJIE_API_TOKEN_HOURS),
    )
    audit.record(
        EventType.API_TOKEN_ISSUED, actor=user, obj=token, after={"expires_at": token.expires_at}
    )
    return IssuedToken(raw=raw, token=token)


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken, reason: str = "") -> ApiToken:
    """Revoke a token: one's own, or any in scope for the security administrator."""
    if token.user_id != actor.pk:
        _require(actor, Capability.ACCOUNT_SECURE, token.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            EventType.API_TOKEN_REVOKED,
            actor=actor,
            organisation=token.user.organisation,
            obj=token,
            reason=reason,
        )
    return token


def token_authenticate(raw: str) -> User | None:
    """The active user behind a usable token, or None. Marks the token as used."""
    token = (
        ApiToken.objects.usable()
        .select_related("user__organisation")
        .filter(key_hash=hash_token(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Writing on every request would turn reads into writes; a minute's precision is enough.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
