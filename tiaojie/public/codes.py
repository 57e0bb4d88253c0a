"""One-time codes by SMS: six digits, valid five minutes, five tries, kept as a keyed hash.

Sending is limited per phone (at most one a minute and ``TIAOJIE_CODE_SENDS_PER_PHONE_HOUR``
an hour) and per source address (``TIAOJIE_CODE_SENDS_PER_SOURCE_HOUR`` an hour), counted
from the codes' own rows, as the staff login's throttle counts by source and by name
(docs/decisions/0010). Nothing depends on whether a citizen with that phone exists: a known
and an unknown number get the same answers in the same order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.core.crypto import blind_index
from tiaojie.core.errors import DomainError, ValidationFailed
from tiaojie.public import sms
from tiaojie.public.choices import CodePurpose
from tiaojie.public.error_codes import PublicErrorCode as E
from tiaojie.public.models import OneTimeCode

DIGITS = 6
LIFETIME = dt.timedelta(minutes=5)
MAX_TRIES = 5
RESEND_AFTER = dt.timedelta(minutes=1)


class TooManyCodes(DomainError):
    """Too many codes asked for from this phone or this source: wait."""

    status = 429


def phone_index(phone: str) -> str:
    return blind_index(phone, purpose="citizen.phone")


def _hash(index: str, purpose: str, code: str) -> str:
    key = hashlib.sha256(f"tiaojie.public.code:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, f"{index}:{purpose}:{code}".encode(), hashlib.sha256).hexdigest()


def _throttle(index: str, source: str | None, now: dt.datetime) -> None:
    hour = now - dt.timedelta(hours=1)
    mine = OneTimeCode.objects.filter(phone_index=index)
    if mine.filter(created_at__gt=now - RESEND_AFTER).exists():
        raise TooManyCodes(
            E.TOO_SOON, _("A code was just sent. Wait a minute before asking again.")
        )
    if mine.filter(created_at__gt=hour).count() >= settings.TIAOJIE_CODE_SENDS_PER_PHONE_HOUR:
        raise TooManyCodes(E.TOO_MANY_CODES, _("Too many codes were asked for. Try again later."))
    if source and (
        OneTimeCode.objects.filter(source=source, created_at__gt=hour).count()
        >= settings.TIAOJIE_CODE_SENDS_PER_SOURCE_HOUR
    ):
        raise TooManyCodes(E.TOO_MANY_CODES, _("Too many codes were asked for. Try again later."))


@transaction.atomic
def code_send(*, phone: str, source: str | None, purpose: str = CodePurpose.SIGN_IN) -> None:
    """Send a fresh code to ``phone`` (normalised and valid: the caller checked it). Earlier
    codes of the phone for the purpose stop working."""
    now = timezone.now()
    index = phone_index(phone)
    _throttle(index, source, now)
    code = f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"
    OneTimeCode.objects.filter(phone_index=index, purpose=purpose, used_at__isnull=True).update(
        used_at=now
    )
    OneTimeCode.objects.create(
        phone_index=index,
        purpose=purpose,
        code_hash=_hash(index, purpose, code),
        source=source,
        created_at=now,
        expires_at=now + LIFETIME,
    )
    # No name, no case: the code and how long it lasts.
    sms.send(
        phone,
        _("[People's mediation] Your code is %(code)s, valid for 5 minutes.") % {"code": code},
    )


def code_check(*, phone: str, code: str, purpose: str = CodePurpose.SIGN_IN) -> None:
    """Accept ``code`` once, or refuse alike whether it is wrong, expired, used up or never
    sent. A wrong try counts against the code; the fifth kills it."""
    refused = ValidationFailed(
        E.INVALID_CODE,
        _("The code is wrong or has expired."),
        fields={"code": [_("The code is wrong or has expired.")]},
    )
    code = code.strip()
    now = timezone.now()
    index = phone_index(phone)
    with transaction.atomic():
        current = (
            OneTimeCode.objects.select_for_update()
            .filter(phone_index=index, purpose=purpose, used_at__isnull=True, expires_at__gt=now)
            .first()
        )
        if current is None or current.tries >= MAX_TRIES:
            raise refused
        if not (code.isdigit() and len(code) == DIGITS) or not hmac.compare_digest(
            current.code_hash, _hash(index, purpose, code)
        ):
            current.tries += 1
            current.save(update_fields=["tries"])
        else:
            current.used_at = now
            current.save(update_fields=["used_at"])
            return
    raise refused
