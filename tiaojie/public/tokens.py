"""Bearer tokens of the citizen API (the mini-program), kept apart from staff tokens.

A citizen signs in with phone and code (``services.sign_in_finish``, the pages' limits) and
gets a random token; only its keyed hash is stored (``CitizenToken``), it lasts
``TIAOJIE_CITIZEN_SESSION_HOURS`` like the pages' cookie, and signing out revokes it. The
hash has its own key, so a staff token (``accounts.ApiToken``) is never found here and a
citizen token is never found there: each side's endpoints answer the other's token with 401.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.public.models import Citizen, CitizenToken


def hash_token(raw: str) -> str:
    key = hashlib.sha256(f"tiaojie.public.citizen-token:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, raw.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class IssuedCitizenToken:
    raw: str
    token: CitizenToken


@transaction.atomic
def token_issue(*, citizen: Citizen) -> IssuedCitizenToken:
    """A new token for ``citizen``; the raw value exists only in the return value."""
    raw = "c." + secrets.token_urlsafe(32)
    token = CitizenToken.objects.create(
        citizen=citizen,
        key_hash=hash_token(raw),
        expires_at=timezone.now() + dt.timedelta(hours=int(settings.TIAOJIE_CITIZEN_SESSION_HOURS)),
    )
    audit.record(EventType.CITIZEN_TOKEN_ISSUED, actor=None, obj=token)
    return IssuedCitizenToken(raw=raw, token=token)


@transaction.atomic
def token_revoke(*, token: CitizenToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(EventType.CITIZEN_TOKEN_REVOKED, actor=None, obj=token)


def token_authenticate(raw: str) -> CitizenToken | None:
    """The usable token with this value (not revoked, not expired), or None."""
    if not raw or len(raw) > 100:
        return None
    now = timezone.now()
    token = (
        CitizenToken.objects.select_related("citizen")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None:
        return None
    # A minute's precision is enough; writing on every read would turn reads into writes.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        CitizenToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


class CitizenBearer(HttpBearer):
    """``Authorization: Bearer <citizen token>`` from ``POST /api/v1/citizen/auth/token``. Sets
    ``request.citizen`` and ``request.citizen_token``; never ``request.user``."""

    def authenticate(self, request: HttpRequest, token: str) -> CitizenToken | None:
        found = token_authenticate(token)
        if found is not None:
            request.citizen = found.citizen  # type: ignore[attr-defined]
            request.citizen_token = found  # type: ignore[attr-defined]
        return found
