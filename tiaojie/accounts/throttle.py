"""Throttling logins by source and by (username, source), so that guessing is slow and a
lockout cannot be used as a weapon (issue 16, hole 2; docs/decisions/0010).

* Every failed attempt counts against its **source** (the client address) and against the
  **typed username from that source**. Nothing depends on whether the username exists, so the
  answers for known and unknown names stay identical.
* From ``TIAOJIE_LOGIN_DELAY_AFTER`` failures of a source on, each further attempt must wait
  twice as long as the one before (1 s, 2 s, 4 s … at most a minute); an attempt during the
  wait is refused without the password being checked, and still counts.
* ``TIAOJIE_LOGIN_USERNAME_FAILURES`` failures for one username from one source block that
  pair for ``TIAOJIE_LOGIN_BLOCK_MINUTES``; the person can still sign in from elsewhere.
* ``TIAOJIE_LOGIN_SOURCE_FAILURES`` failures from one source block the source for
  ``TIAOJIE_LOGIN_SOURCE_BLOCK_MINUTES``.
* Counts lapse after ``TIAOJIE_LOGIN_WINDOW_MINUTES`` without a failure. The security
  administrator sees the blocks and lifts them (``/accounts/lockouts/``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.error_codes import AccountsErrorCode as E
from tiaojie.accounts.models import LoginThrottle, User
from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core.errors import NotPermitted, field_error

SOURCE = LoginThrottle.Kind.SOURCE
USERNAME = LoginThrottle.Kind.USERNAME


def _keys(username: str, source: str | None) -> tuple[str, str]:
    ip = source or "unknown"
    return ip, f"{username.strip().lower()[:150]}@{ip}"


def _delay(failures: int) -> dt.timedelta:
    over = failures - settings.TIAOJIE_LOGIN_DELAY_AFTER
    if over < 0:
        return dt.timedelta(0)
    return dt.timedelta(seconds=min(2**over, 60))


def refused(username: str, source: str | None) -> bool:
    """Whether this attempt is refused before the password is even checked."""
    now = timezone.now()
    window = dt.timedelta(minutes=settings.TIAOJIE_LOGIN_WINDOW_MINUTES)
    source_key, username_key = _keys(username, source)
    rows = {
        (row.kind, row.key): row
        for row in LoginThrottle.objects.filter(
            kind__in=[SOURCE, USERNAME], key__in=[source_key, username_key]
        )
    }
    for row in rows.values():
        if row.blocked_until is not None and row.blocked_until > now:
            return True
    src = rows.get((SOURCE, source_key))
    return bool(
        src is not None
        and now - src.last_failure_at < window
        and now - src.last_failure_at < _delay(src.failures)
    )


@transaction.atomic
def failed(username: str, source: str | None) -> None:
    """Count a failed or refused attempt; block what went over its limit."""
    now = timezone.now()
    window = dt.timedelta(minutes=settings.TIAOJIE_LOGIN_WINDOW_MINUTES)
    source_key, username_key = _keys(username, source)
    limits = {
        SOURCE: (
            settings.TIAOJIE_LOGIN_SOURCE_FAILURES,
            settings.TIAOJIE_LOGIN_SOURCE_BLOCK_MINUTES,
        ),
        USERNAME: (settings.TIAOJIE_LOGIN_USERNAME_FAILURES, settings.TIAOJIE_LOGIN_BLOCK_MINUTES),
    }
    for kind, key in ((SOURCE, source_key), (USERNAME, username_key)):
        row, _created = LoginThrottle.objects.select_for_update().get_or_create(
            kind=kind, key=key, defaults={"last_failure_at": now, "source": source_key}
        )
        if not _created and now - row.last_failure_at > window and not row.is_blocked():
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        limit, minutes = limits[kind]
        if row.failures >= limit and not row.is_blocked():
            row.blocked_until = now + dt.timedelta(minutes=minutes)
            audit.record(
                EventType.LOGIN_BLOCKED,
                actor=None,
                # The typed name stays out of the trail: it may be a password typed in the
                # wrong field. The security administrator sees it on the lockouts page.
                after={"kind": kind, "source": source_key, "minutes": minutes},
            )
        row.save()


def succeeded(username: str, source: str | None) -> None:
    """A successful login clears the count of that username from that source."""
    _source_key, username_key = _keys(username, source)
    LoginThrottle.objects.filter(kind=USERNAME, key=username_key).delete()


def active() -> list[LoginThrottle]:
    """What is blocked now, for the security administrator."""
    return list(LoginThrottle.objects.filter(blocked_until__gt=timezone.now()))


@transaction.atomic
def release(*, actor: User, pk: int, reason: str) -> None:
    """The security administrator lifts a block (of a source, or a username from a source)."""
    if not actor.can(Capability.ACCOUNT_SECURE):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not do this."))
    if not reason.strip():
        raise field_error("reason", _("Say why."))
    row = LoginThrottle.objects.select_for_update().filter(pk=pk).first()
    if row is None:
        return
    row.delete()
    audit.record(
        EventType.LOGIN_UNBLOCKED,
        actor=actor,
        reason=reason,
        after={"kind": row.kind, "source": row.source},
    )


def release_username(username: str) -> None:
    """Lift every block of ``username`` (when an account is unlocked or its password reset)."""
    LoginThrottle.objects.filter(
        kind=USERNAME, key__startswith=f"{username.strip().lower()}@"
    ).delete()
