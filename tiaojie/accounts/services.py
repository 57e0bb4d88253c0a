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
from django.contrib.auth.hashers import check_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import router, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts import throttle
from tiaojie.accounts.error_codes import AccountsErrorCode as E
from tiaojie.accounts.models import AccountSession, ApiToken, Pending, User, hash_token
from tiaojie.accounts.roles import (
    ADMIN_ROLES,
    ROLE_ORGANISATION_KINDS,
    Capability,
    Role,
    has_capability,
)
from tiaojie.accounts.rules import account_policy
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core.compiled import compiled_query
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed, field_error
from tiaojie.organisations.models import Organisation
from tiaojie.organisations.rules import organisation_policy

PROFILE_FIELDS = ["full_name", "title", "email", "organisation"]
PASSWORD_LINK_HOURS = 24


def _check_role_fits(role: str, organisation: Organisation) -> None:
    if role not in Role.values:
        raise field_error(
            "role", _("Choose a valid role."), summary=_("Please correct the errors below.")
        )
    if organisation.kind not in ROLE_ORGANISATION_KINDS[Role(role)]:
        raise field_error(
            "organisation",
            _("A %(role)s cannot belong to a %(kind)s.")
            % {"role": Role(role).label, "kind": organisation.kind_label},
            summary=_("Please correct the errors below."),
        )


def _require(actor: User | None, capability: Capability, target: User | None = None) -> None:
    """``actor`` must hold ``capability`` and, for an existing account, have it in scope."""
    if actor is None:
        return
    if not actor.can(capability):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not do this."))
    if target is not None:
        if target.pk == actor.pk:
            raise NotPermitted(E.NOT_PERMITTED, _("You cannot change your own account here."))
        if target.role in ADMIN_ROLES:
            raise NotPermitted(
                E.NOT_PERMITTED, _("Administrator accounts are managed from the command line.")
            )
        if not account_policy.allows(actor, capability, target):
            raise NotPermitted(E.NOT_PERMITTED, _("This account is outside your scope."))


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(
            E.INVALID_PASSWORD,
            _("The password is not strong enough."),
            fields={"password": list(exc.messages)},
        ) from exc


def end_access(user: User, *, keep_session: str | None = None) -> None:
    """End every session and API token of ``user`` (a password change, a reset, deactivation).

    ``keep_session`` is the session the person changed their own password in.
    """
    now = timezone.now()
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    sessions = AccountSession.objects.filter(user=user).exclude(session_key=keep_session or "")
    keys = list(sessions.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    sessions.delete()
    if revoked or keys:
        audit.record(
            EventType.ACCESS_ENDED,
            actor=None,
            organisation=user.organisation,
            obj=user,
            after={"tokens": revoked, "sessions": len(keys)},
        )


def _remember_password(user: User) -> None:
    """Keep the current password's hash among the last ``TIAOJIE_PASSWORD_HISTORY``."""
    if user.has_usable_password() and user.password:
        kept = [user.password, *[h for h in user.password_history if h != user.password]]
        user.password_history = kept[: settings.TIAOJIE_PASSWORD_HISTORY]


def _check_not_reused(password: str, user: User) -> None:
    earlier = [user.password] if user.has_usable_password() else []
    earlier += list(user.password_history)[: settings.TIAOJIE_PASSWORD_HISTORY]
    if any(check_password(password, encoded) for encoded in earlier if encoded):
        raise field_error(
            "password",
            _("Choose a password you have not used recently."),
            summary=_("Please correct the errors below."),
        )


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
    *,
    actor: User | None,
    data: AccountData,
    password: str | None = None,
    enforce_policy: bool = True,
    must_change: bool = False,
) -> User:
    """Open a staff account in an organisation within the actor's scope.

    Opened by an administrator, the account waits for a security administrator's approval and
    has no password: on approval the person receives a one-time link at their e-mail address
    and chooses their own, so the administrator who opened it can never sign in with it.
    The system (command line, demo data) gives a password directly; ``enforce_policy=False``
    is for the system only (the demo data's documented password).
    """
    if not enforce_policy and actor is not None:
        raise NotPermitted(E.NOT_PERMITTED, _("Only the system may skip the password policy."))
    if actor is not None and password is not None:
        raise NotPermitted(
            E.NOT_PERMITTED, _("The person chooses their own password through a one-time link.")
        )
    if actor is None and password is None:
        raise field_error(
            "password", _("Enter a password."), summary=_("Please correct the errors below.")
        )
    _require(actor, Capability.ACCOUNT_MANAGE)
    if actor is not None:
        if data.role in ADMIN_ROLES:
            raise field_error(
                "role",
                _("Administrator accounts are created from the command line."),
                summary=_("Please correct the errors below."),
            )
        if not organisation_policy.allows(actor, Capability.ORGANISATION_VIEW, data.organisation):
            raise field_error(
                "organisation",
                _("Choose an organisation within your scope."),
                summary=_("Please correct the errors below."),
            )
    username = data.username.strip()
    if not username:
        raise field_error(
            "username", _("Enter a username."), summary=_("Please correct the errors below.")
        )
    if User.objects.filter(username__iexact=username).exists():
        raise field_error(
            "username", _("This username is taken."), summary=_("Please correct the errors below.")
        )
    if not data.full_name.strip():
        raise field_error(
            "full_name",
            _("Enter the person's full name."),
            summary=_("Please correct the errors below."),
        )
    _check_role_fits(data.role, data.organisation)
    if actor is not None and not data.email.strip():
        raise field_error(
            "email",
            _("Enter the person's e-mail address: their password link is sent there."),
            summary=_("Please correct the errors below."),
        )
    user = User(
        username=username,
        full_name=data.full_name.strip(),
        organisation=data.organisation,
        role=data.role,
        title=data.title.strip(),
        email=data.email.strip(),
    )
    if password is None:
        user.set_unusable_password()
        user.is_active = False
        user.pending = Pending.CREATE
        user.pending_role = data.role
        user.pending_by = actor
    else:
        if enforce_policy:
            _check_password(password, user)
        user.set_password(password)
        user.password_changed_at = timezone.now()
        # Someone else typed this password (the operator at the command line).
        user.must_change_password = must_change
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
            "pending": user.pending,
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
            E.STALE_VERSION, _("Someone else changed this account while you were editing.")
        )
    if actor is not None and not organisation_policy.allows(
        actor, Capability.ORGANISATION_VIEW, organisation
    ):
        raise field_error(
            "organisation",
            _("Choose an organisation within your scope."),
            summary=_("Please correct the errors below."),
        )
    if not full_name.strip():
        raise field_error(
            "full_name",
            _("Enter the person's full name."),
            summary=_("Please correct the errors below."),
        )
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
            E.STALE_VERSION, _("Someone else changed this account while you were editing.")
        )
    if role in ADMIN_ROLES:
        raise field_error(
            "role",
            _("Administrator roles are given from the command line."),
            summary=_("Please correct the errors below."),
        )
    if not reason.strip():
        raise field_error(
            "reason", _("Say why the role changes."), summary=_("Please correct the errors below.")
        )
    _check_role_fits(role, locked.organisation)
    if locked.pending:
        raise Conflict(E.PENDING, _("This account already awaits an approval."))
    if role == locked.role:
        return locked
    before = {"role": locked.role}
    if actor is not None and has_capability(role, Capability.CASE_CONTENT):
        # A role that reads case contents takes effect only once a system administrator
        # approves it: the security administrator alone cannot make a case reader.
        locked.pending, locked.pending_role = Pending.ROLE, role
        locked.pending_by, locked.pending_reason = actor, reason.strip()[:200]
        locked.version += 1
        locked.save()
        audit.record(
            EventType.APPROVAL_REQUESTED,
            actor=actor,
            organisation=locked.organisation,
            obj=locked,
            reason=reason,
            before=before,
            after={"pending": Pending.ROLE, "role": role},
        )
        return locked
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


def _approver_capability(pending: str) -> Capability:
    """Who approves what: the administrator of the other kind than the one who asked."""
    return Capability.ACCOUNT_SECURE if pending == Pending.CREATE else Capability.ACCOUNT_MANAGE


def pending_for(actor: User) -> list[User]:
    """Accounts awaiting ``actor``'s approval, within their scope."""
    kinds = [
        kind for kind in (Pending.CREATE, Pending.ROLE) if actor.can(_approver_capability(kind))
    ]
    if not kinds:
        return []
    qs = account_policy.visible(actor, _approver_capability(kinds[0])).filter(pending__in=kinds)
    return list(qs.exclude(pending_by=actor).select_related("pending_by"))


@transaction.atomic
def approval_decide(*, actor: User, user: User, approve: bool, reason: str, site_url: str) -> User:
    """Approve or refuse what ``user`` waits for; only an administrator of the other kind.

    Approving a new account activates it and sends the person a one-time link to choose a
    password; approving a role change gives the role. Refusing leaves the account as it was
    (a refused new account stays deactivated).
    """
    locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    if not locked.pending:
        raise Conflict(E.NOT_PENDING, _("This account awaits no approval."))
    capability = _approver_capability(locked.pending)
    if not actor.can(capability) or locked.pending_by_id == actor.pk or locked.pk == actor.pk:
        raise NotPermitted(
            E.NOT_PERMITTED,
            _("An administrator of the other kind than the one who asked must decide."),
        )
    if not account_policy.allows(actor, capability, locked):
        raise NotPermitted(E.NOT_PERMITTED, _("This account is outside your scope."))
    if not reason.strip():
        raise field_error("reason", _("Say why."), summary=_("Please correct the errors below."))
    kind, role = locked.pending, locked.pending_role
    if approve:
        if kind == Pending.CREATE:
            locked.is_active = True
        _check_role_fits(role, locked.organisation)
        locked.role = role
    locked.pending, locked.pending_role, locked.pending_by, locked.pending_reason = "", "", None, ""
    locked.version += 1
    locked.save()
    audit.record(
        EventType.APPROVAL_GRANTED if approve else EventType.APPROVAL_REFUSED,
        actor=actor,
        organisation=locked.organisation,
        obj=locked,
        reason=reason,
        after={"pending": kind, "role": role},
    )
    if approve and kind == Pending.CREATE:
        _send_password_link(locked, site_url=site_url, first=True)
    return locked


@transaction.atomic
def user_set_active(*, actor: User | None, user: User, active: bool, reason: str) -> User:
    """Deactivate (the account can no longer log in, its tokens stop) or reactivate an account."""
    _require(actor, Capability.ACCOUNT_SECURE, user)
    if not reason.strip():
        raise field_error("reason", _("Say why."), summary=_("Please correct the errors below."))
    locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    if locked.is_active == active:
        return locked
    locked.is_active = active
    locked.version += 1
    locked.save()
    if not active:
        end_access(locked)
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


def _send_password_link(user: User, *, site_url: str, first: bool) -> None:
    """Mail ``user`` a one-time link to choose a password; only its hash is kept.

    The link goes to the address on file, which only a system administrator edits, so the
    security administrator who resets a password never holds a way in (and vice versa).
    """
    raw = secrets.token_urlsafe(32)
    user.password_link_hash = hash_token(raw)
    user.password_link_expires = timezone.now() + dt.timedelta(hours=PASSWORD_LINK_HOURS)
    user.save(update_fields=["password_link_hash", "password_link_expires"])
    link = f"{site_url.rstrip('/')}/password/set/{raw}/"
    subject = (
        _("Your Tiaojie account is ready: choose a password")
        if first
        else _("Your Tiaojie password was reset: choose a new one")
    )
    body = _(
        "Hello %(name)s,\n\n%(what)s Open this link within %(hours)d hours and choose your "
        "password (it works once):\n\n%(link)s\n\nUsername: %(username)s\n\n"
        "If you did not expect this, tell your security administrator."
    ) % {
        "name": user.full_name,
        "what": _("An account was opened for you.")
        if first
        else _("An administrator reset your password; the old one no longer works."),
        "hours": PASSWORD_LINK_HOURS,
        "link": link,
        "username": user.username,
    }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@transaction.atomic
def user_reset_password(*, actor: User | None, user: User, reason: str, site_url: str) -> User:
    """An administrator resets a forgotten password; unlocks too.

    The old password stops working at once and the person receives a one-time link at their
    e-mail address to choose a new one. The administrator sees no password and no link, so
    the reset can never let them sign in as the person.
    """
    _require(actor, Capability.ACCOUNT_SECURE, user)
    if not reason.strip():
        raise field_error("reason", _("Say why."), summary=_("Please correct the errors below."))
    locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    if not locked.email:
        raise field_error(
            "reason",
            _(
                "This account has no e-mail address for the reset link; ask the system "
                "administrator to record one first."
            ),
            summary=_("Please correct the errors below."),
        )
    _remember_password(locked)
    locked.set_unusable_password()
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
    end_access(locked)
    _send_password_link(locked, site_url=site_url, first=False)
    return locked


def password_link_user(raw: str) -> User | None:
    """The account a one-time password link belongs to, while it is still valid."""
    if not raw:
        return None
    return User.objects.filter(
        password_link_hash=hash_token(raw),
        password_link_expires__gt=timezone.now(),
        is_active=True,
    ).first()


@transaction.atomic
def password_set_by_link(*, raw: str, new_password: str) -> User:
    """The person chooses a password through their one-time link; the link then stops."""
    user = password_link_user(raw)
    if user is None:
        raise ValidationFailed(
            E.LINK_INVALID,
            _("This link has expired or was already used. Ask your security administrator."),
        )
    locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    _check_password(new_password, locked)
    _check_not_reused(new_password, locked)
    locked.set_password(new_password)
    locked.password_link_hash, locked.password_link_expires = "", None
    locked.must_change_password = False
    locked.password_changed_at = timezone.now()
    locked.save()
    audit.record(EventType.PASSWORD_SET_BY_LINK, actor=locked, obj=locked)
    end_access(locked)
    return locked


@transaction.atomic
def user_unlock(*, actor: User | None, user: User, reason: str) -> User:
    _require(actor, Capability.ACCOUNT_SECURE, user)
    locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    locked.failed_logins = 0
    locked.locked_until = None
    locked.save(update_fields=["failed_logins", "locked_until"])
    throttle.release_username(locked.username)
    audit.record(
        EventType.ACCOUNT_UNLOCKED,
        actor=actor,
        organisation=locked.organisation,
        obj=locked,
        reason=reason,
    )
    return locked


@transaction.atomic
def password_change(
    *, user: User, old_password: str, new_password: str, keep_session: str | None = None
) -> User:
    """A person changes their own password; every other session and every API token ends."""
    if not user.check_password(old_password):
        raise field_error(
            "old_password",
            _("The current password is not correct."),
            summary=_("Please correct the errors below."),
        )
    _check_password(new_password, user)
    _check_not_reused(new_password, user)
    _remember_password(user)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(
        update_fields=[
            "password",
            "must_change_password",
            "password_changed_at",
            "password_history",
        ]
    )
    audit.record(EventType.PASSWORD_CHANGED, actor=user, obj=user)
    end_access(user, keep_session=keep_session)
    return user


# --- Logins ---------------------------------------------------------------------------------


def login_failed(*, username: str) -> None:
    """Record a failed login. Throttling is by source and by username from a source
    (``throttle``), never a lock of the account from anywhere, which anyone could trigger.

    The typed username is kept out of the trail when no account has it (it may be a password
    typed in the wrong field); the event then says only that the name was unknown.
    """
    user = User.objects.filter(username__iexact=username).first()
    if user is None:
        audit.record(EventType.LOGIN_FAILED, actor=None, after={"username": "unknown"})
        return
    User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
    audit.record(EventType.LOGIN_FAILED, actor=None, organisation=user.organisation, obj=user)


def login_succeeded(*, user: User, session_key: str | None = None) -> None:
    """Record a login; beyond ``TIAOJIE_MAX_SESSIONS`` the oldest sessions end."""
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    audit.record(EventType.LOGIN_SUCCEEDED, actor=user, obj=user)
    if not session_key:
        return
    AccountSession.objects.get_or_create(session_key=session_key, defaults={"user": user})
    keys = list(
        AccountSession.objects.filter(user=user)
        .order_by("-created_at", "-id")
        .values_list("session_key", flat=True)
    )
    surplus = keys[settings.TIAOJIE_MAX_SESSIONS :]
    if surplus:
        Session.objects.filter(session_key__in=surplus).delete()
        AccountSession.objects.filter(session_key__in=surplus).delete()


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
    # Beyond the cap, the oldest usable tokens are revoked to make room.
    usable = list(
        ApiToken.objects.usable()
        .filter(user=user)
        .order_by("-created_at", "-id")[max(settings.TIAOJIE_MAX_API_TOKENS - 1, 0) :]
    )
    if usable:
        ApiToken.objects.filter(pk__in=[t.pk for t in usable]).update(revoked_at=timezone.now())
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


# A hash no token has: where it lands among the compiled read's parameters is where the
# presented token's hash goes.
KEY_HASH = {"key_hash": "-api-token-sentinel-731003-"}


@compiled_query(KEY_HASH)
def _token_by_hash(alias: str) -> QuerySet[ApiToken]:
    return (
        ApiToken.objects.using(alias)
        .select_related("user__organisation")
        .filter(key_hash=KEY_HASH["key_hash"])
        .order_by()
    )


def token_authenticate(raw: str) -> User | None:
    """The active user behind a usable token, or None. Marks the token as used.

    Every API request asks this first. The read is compiled once per process
    (``core.compiled``): built through the ORM each time, with the account and its
    organisation, the check took 2.3–4.5 ms in-process on PostgreSQL, compiled 1.1 ms. The
    hash is unique, so it finds at most one token; whether that token may be used is checked
    here, as ``ApiToken.is_usable`` says."""
    found = _token_by_hash(router.db_for_read(ApiToken)).all({"key_hash": hash_token(raw)})
    token = found[0] if found else None
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    # Writing on every request would turn reads into writes; a minute's precision is enough.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
