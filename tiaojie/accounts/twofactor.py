"""The second factor of sign-in: TOTP enrolment, verification, recovery codes and the
security administrator's reset (issue 16, 身份鉴别 d; docs/decisions/0012).

* Whether a role must use it is configuration (``TIAOJIE_2FA_REQUIRED_ROLES``; by default the
  three administrators and the bureau officer); anyone else may enrol.
* The secret is encrypted at rest like personal data; a code works once (the last step used
  is kept); recovery codes are stored as hashes and each works once.
* Wrong codes count against the same throttle as wrong passwords (``throttle``).
* A reset is audited, ends every session and token, and the person is told by e-mail.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts import totp
from tiaojie.accounts.error_codes import AccountsErrorCode as E
from tiaojie.accounts.models import SecondFactor, User, hash_token
from tiaojie.accounts.roles import Capability
from tiaojie.accounts.services import _require, end_access
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core.errors import NotPermitted, ValidationFailed, field_error

RECOVERY_CODES = 10
# Once a session's account is known to have a second factor, the middleware stops asking.
CHECKED_KEY = "tiaojie_2fa_checked"
# Ten characters from an alphabet without look-alikes (0/O, 1/l/I): about 50 bits each.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def required(user: User) -> bool:
    """Whether ``user``'s role must sign in with a second factor."""
    return user.role in settings.TIAOJIE_2FA_REQUIRED_ROLES


def enrolled(user: User) -> bool:
    return SecondFactor.objects.filter(user=user, confirmed_at__isnull=False).exists()


def _normalise_recovery(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _new_recovery_codes() -> tuple[list[str], list[str]]:
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)
    ]
    shown = [f"{c[:5]}-{c[5:]}" for c in codes]
    return shown, [hash_token(c) for c in codes]


@dataclass(frozen=True)
class Enrolment:
    """What the enrolment page shows: the secret (to type by hand) and its QR code."""

    secret: str
    uri: str
    svg: str


def begin(user: User) -> Enrolment:
    """Start (or show again) an enrolment that has not been confirmed yet."""
    if enrolled(user):
        raise ValidationFailed(E.ALREADY_ENROLLED, _("A second factor is already set up."))
    row = SecondFactor.objects.filter(user=user).first()
    if row is None:
        row = SecondFactor.objects.create(user=user, secret=totp.new_secret())
    uri = totp.provisioning_uri(
        row.secret, account=user.username, issuer=settings.TIAOJIE_2FA_ISSUER
    )
    return Enrolment(secret=row.secret, uri=uri, svg=totp.qr_svg(uri))


@transaction.atomic
def confirm(user: User, code: str) -> list[str]:
    """Prove the app works with one code; returns the recovery codes, shown this once."""
    row = SecondFactor.objects.select_for_update().filter(user=user).first()
    if row is None or row.confirmed_at is not None:
        raise ValidationFailed(E.NOT_ENROLLING, _("Start the set-up again."))
    step = totp.matching_step(row.secret, code)
    if step < 0:
        raise field_error(
            "code",
            _("This code is not correct. Check the time on your phone and try the next code."),
            summary=_("Please correct the errors below."),
        )
    shown, hashes = _new_recovery_codes()
    row.confirmed_at = timezone.now()
    row.last_step = step
    row.recovery_hashes = hashes
    row.save()
    audit.record(EventType.SECOND_FACTOR_ENROLLED, actor=user, obj=user)
    return shown


@transaction.atomic
def verify(user: User, code: str) -> bool:
    """Check a sign-in code: a TOTP code of the app, or an unused recovery code.

    Each works once. A wrong code is audited; the caller counts it against the throttle.
    """
    row = SecondFactor.objects.select_for_update().filter(user=user).first()
    if row is None or row.confirmed_at is None:
        return False
    step = totp.matching_step(row.secret, code, after=row.last_step)
    if step >= 0:
        row.last_step = step
        row.save(update_fields=["last_step"])
        return True
    hashed = hash_token(_normalise_recovery(code))
    if hashed in row.recovery_hashes:
        row.recovery_hashes = [h for h in row.recovery_hashes if h != hashed]
        row.save(update_fields=["recovery_hashes"])
        audit.record(
            EventType.RECOVERY_CODE_USED,
            actor=user,
            obj=user,
            after={"left": len(row.recovery_hashes)},
        )
        return True
    audit.record(
        EventType.SECOND_FACTOR_FAILED, actor=None, organisation=user.organisation, obj=user
    )
    return False


def recovery_codes_left(user: User) -> int:
    row = SecondFactor.objects.filter(user=user, confirmed_at__isnull=False).first()
    return len(row.recovery_hashes) if row else 0


@transaction.atomic
def renew_recovery_codes(user: User, code: str) -> list[str]:
    """New recovery codes (the old ones stop working); a current code proves it is the owner."""
    if not verify(user, code):
        raise field_error(
            "code", _("This code is not correct."), summary=_("Please correct the errors below.")
        )
    shown, hashes = _new_recovery_codes()
    SecondFactor.objects.filter(user=user).update(recovery_hashes=hashes)
    audit.record(EventType.RECOVERY_CODES_RENEWED, actor=user, obj=user)
    return shown


@transaction.atomic
def remove(user: User, code: str) -> None:
    """The owner turns the second factor off, where their role does not require it."""
    if required(user):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role must sign in with a second factor."))
    if not verify(user, code):
        raise field_error(
            "code", _("This code is not correct."), summary=_("Please correct the errors below.")
        )
    SecondFactor.objects.filter(user=user).delete()
    audit.record(EventType.SECOND_FACTOR_REMOVED, actor=user, obj=user)


@transaction.atomic
def reset(*, actor: User | None, user: User, reason: str) -> None:
    """The security administrator (or the command line, ``actor=None``) removes a lost
    authenticator. The person enrols again at their next sign-in; every session and token
    ends; they are told by e-mail, so a reset they did not ask for does not go unnoticed."""
    _require(actor, Capability.ACCOUNT_SECURE, user)
    if not reason.strip():
        raise field_error("reason", _("Say why."), summary=_("Please correct the errors below."))
    deleted, _rows = SecondFactor.objects.filter(user=user).delete()
    if not deleted:
        raise ValidationFailed(E.NOT_ENROLLED, _("This account has no second factor."))
    audit.record(
        EventType.SECOND_FACTOR_RESET,
        actor=actor,
        organisation=user.organisation,
        obj=user,
        reason=reason,
    )
    end_access(user)
    if user.email:
        send_mail(
            _("Your Tiaojie second factor was reset"),
            _(
                "Hello %(name)s,\n\nAn administrator removed the authenticator of your account "
                "%(username)s. At your next sign-in you will set up a new one.\n\n"
                "If you did not ask for this, tell your security administrator at once."
            )
            % {"name": user.full_name, "username": user.username},
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
