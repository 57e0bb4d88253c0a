"""Staff accounts and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.roles import ADMIN_ROLES, Role, has_capability
from tiaojie.core.crypto import EncryptedTextField


class StaffManager(UserManager["User"]):
    def get_queryset(self) -> models.QuerySet[User]:
        # Every page reads the user's organisation to scope its queries: load it with the user.
        return super().get_queryset().select_related("organisation")

    def create_superuser(self, *args: object, **kwargs: object) -> User:
        # Permissions come from roles, not Django's superuser flag; accounts of the three
        # administrators are made with their own command, through the audited service.
        raise ImproperlyConfigured(
            "Tiaojie has no superuser. Use: manage.py create_account --organisation ID "
            "--role system_admin|security_admin|audit_admin --username NAME --full-name NAME"
        )


class Pending(models.TextChoices):
    """What an account waits for a second administrator to approve."""

    CREATE = "create", _("New account")
    ROLE = "role", _("Role change")


class User(AbstractUser):
    """A staff account. It belongs to exactly one organisation and holds one role."""

    full_name = models.CharField(_("full name"), max_length=60)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="staff",
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    title = models.CharField(_("job title"), max_length=60, blank=True)
    failed_logins = models.PositiveSmallIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    # A change that would let the account read case contents waits here until an administrator
    # of the other kind approves it (three-admin separation, docs/decisions/0011).
    pending = models.CharField(
        _("awaiting approval"), max_length=8, choices=Pending.choices, blank=True, default=""
    )
    pending_role = models.CharField(max_length=24, blank=True, default="", editable=False)
    pending_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    pending_reason = models.CharField(max_length=200, blank=True, default="", editable=False)
    # A one-time link to set a password, sent to the person's e-mail address: only its hash.
    password_link_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    password_link_expires = models.DateTimeField(null=True, blank=True, editable=False)
    must_change_password = models.BooleanField(default=False, editable=False)
    password_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Hashes of earlier passwords (newest first), so they are not chosen again.
    password_history = models.JSONField(default=list, blank=True, editable=False)

    # Names are one field in Chinese usage; first/last name are not used.
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]

    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name", "organisation", "role"]
    objects: ClassVar[StaffManager] = StaffManager()

    class Meta:
        verbose_name = _("staff account")
        verbose_name_plural = _("staff accounts")
        ordering = ["organisation__path", "username"]
        indexes = [models.Index(fields=["role"], name="user_role_idx")]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role in Role.values else self.role

    @property
    def pending_role_label(self) -> str:
        return str(Role(self.pending_role).label) if self.pending_role in Role.values else ""

    @property
    def is_admin_role(self) -> bool:
        return self.role in ADMIN_ROLES

    def can(self, capability: str) -> bool:
        """Whether the role grants ``capability`` (scope is checked by the access policies)."""
        return bool(self.is_active) and has_capability(self.role, capability)

    def must_choose_password(self) -> bool:
        """Whether other work waits until the person chooses a new password: one given to them
        by someone else (the command line), or one older than the configured maximum age."""
        if self.must_change_password:
            return True
        max_age = getattr(settings, "TIAOJIE_PASSWORD_MAX_AGE_DAYS", 0)
        return bool(
            max_age
            and self.password_changed_at is not None
            and timezone.now() - self.password_changed_at > dt.timedelta(days=max_age)
        )

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 is stored; the raw value is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="First characters, to recognise a token.")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[ApiTokenQuerySet] = ApiTokenQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class AccountSession(models.Model):
    """A signed-in browser session of an account, so that a password change or reset can end
    them all and their number can be capped (``TIAOJIE_MAX_SESSIONS``)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.session_key[:6]}…"


class LoginThrottle(models.Model):
    """Failed logins counted by source, or by typed username from a source (``throttle``)."""

    class Kind(models.TextChoices):
        SOURCE = "source", _("Source address")
        USERNAME = "username", _("Username from a source")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    key = models.CharField(max_length=220)
    source = models.CharField(max_length=64, blank=True, default="")
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField()
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="login_throttle_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"

    @property
    def username(self) -> str:
        return self.key.rpartition("@")[0] if self.kind == self.Kind.USERNAME else ""

    def is_blocked(self) -> bool:
        return self.blocked_until is not None and self.blocked_until > timezone.now()


class SecondFactor(models.Model):
    """An account's authenticator (TOTP, docs/decisions/0012): the secret, encrypted at rest,
    the last time step used (a code works once) and the hashes of unused recovery codes.

    A row without ``confirmed_at`` is an enrolment begun but not yet proven with a code.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="second_factor")
    secret = EncryptedTextField(purpose="second_factor.secret")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=-1)
    recovery_hashes = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("second factor")
        verbose_name_plural = _("second factors")

    def __str__(self) -> str:
        return f"{self.user_id}:{'confirmed' if self.confirmed_at else 'pending'}"
