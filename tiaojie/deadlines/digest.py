"""The daily digest: one notification (and an e-mail, for users with an address) per person
with near-due or overdue deadlines in their scope, counted from the open alerts the morning scan
left. Keyed ``digest:<date>``, so a second run the same day sends nothing.

It lives in deadlines, not notifications: it is a summary of deadlines, delivered through
``notifications.services`` (deadlines → notifications, never back)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Role
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.deadlines.models import AlertLevel, DeadlineKind
from tiaojie.deadlines.queries import PAIRS
from tiaojie.deadlines.scan import installation_root
from tiaojie.deadlines.selectors import alert_counts
from tiaojie.notifications.models import Notification, NotificationKind
from tiaojie.notifications.services import notify_rows

log = logging.getLogger(__name__)
# The people who answer for deadlines: those handling cases and those guiding them.
DIGEST_ROLES = (Role.MEDIATOR, Role.COMMITTEE_DIRECTOR, Role.OFFICE_OFFICER, Role.BUREAU_OFFICER)
Counts = dict[tuple[str, str], int]


@dataclass(frozen=True)
class DigestResult:
    day: dt.date
    users: int
    sent: int
    emails: int
    email_failures: int


def digest_text(counts: dict[tuple[str, str], int]) -> str:
    """One line per kind with its overdue and near-due counts."""
    lines = []
    for kind in dict(PAIRS):
        overdue = counts.get((kind, AlertLevel.OVERDUE), 0)
        near = counts.get((kind, AlertLevel.NEAR_DUE), 0)
        if overdue or near:
            lines.append(
                _("%(deadline)s: %(overdue)d overdue, %(near)d near due")
                % {"deadline": DeadlineKind(kind).label, "overdue": overdue, "near": near}
            )
    return "\n".join(lines)


def _counts_for(user: User, shared: dict[tuple[str, int], Counts]) -> Counts:
    """The user's open alerts by (kind, level). Only a mediator's scope is personal (their
    assigned cases); everyone else's follows from role and organisation, so colleagues share
    one query through ``shared``."""
    if user.role == Role.MEDIATOR:
        return alert_counts(user)
    key = (user.role, user.organisation_id)
    if key not in shared:
        shared[key] = alert_counts(user)
    return shared[key]


@transaction.atomic
def send_digest(day: dt.date | None = None) -> DigestResult:
    """Digest ``day`` (default today) for every active answerable user who has something open."""
    day = day or timezone.localdate()
    users = emails = failures = 0
    url = reverse("deadlines:deadline_list")
    key = f"digest:{day.isoformat()}"
    # Who already has today's digest (a second run): checked once, not per user.
    already = set(Notification.objects.filter(key=key).values_list("recipient_id", flat=True))
    shared: dict[tuple[str, int], Counts] = {}
    rows: list[Notification] = []
    mails: list[tuple[User, str, str]] = []
    with translation.override("zh-hans"):
        for user in User.objects.filter(is_active=True, role__in=DIGEST_ROLES).select_related(
            "organisation"
        ):
            counts = _counts_for(user, shared)
            overdue = sum(n for (_k, level), n in counts.items() if level == AlertLevel.OVERDUE)
            total = sum(counts.values())
            if not total:
                continue
            users += 1
            if user.pk in already:
                continue
            title = _("Deadlines on %(day)s: %(overdue)d overdue, %(near)d near due") % {
                "day": f"{day.year}年{day.month}月{day.day}日",
                "overdue": overdue,
                "near": total - overdue,
            }
            body = digest_text(counts)
            rows.append(
                Notification(
                    recipient=user,
                    kind=NotificationKind.DIGEST,
                    title=title,
                    body=body,
                    url=url,
                    key=key,
                )
            )
            if user.email:
                mails.append((user, title, body))
    sent = notify_rows(rows)
    for user, title, body in mails:
        try:
            send_mail(title, body, settings.DEFAULT_FROM_EMAIL, [user.email])
            emails += 1
        except OSError:  # SMTP down: the in-app digest stands; say so in the log
            failures += 1
            log.exception("digest e-mail to user %s failed", user.pk)
    result = DigestResult(day, users, sent, emails, failures)
    audit.record(
        EventType.DIGEST_SENT,
        actor=None,
        organisation=installation_root(),
        after={
            "date": day,
            "users": users,
            "sent": sent,
            "emails": emails,
            "email_failures": failures,
        },
    )
    return result
