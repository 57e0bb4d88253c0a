"""Reminders to respondents who have not answered, in two variants assigned at random when
they were invited (``Invitation.reminder_variant``): what decides online mediation is whether
the other side takes part, so the variants' engagement is measured on the staff's page
(``selectors.engagement_by_variant``). Texts name nobody and no case: the same link again."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.public import sms
from tiaojie.public.choices import ReminderVariant
from tiaojie.public.models import Invitation

DELAY = {
    ReminderVariant.GENTLE: dt.timedelta(days=1),
    ReminderVariant.TIMETABLE: dt.timedelta(days=2),
}


def _text(variant: str, link: str) -> str:
    if variant == ReminderVariant.GENTLE:
        return _(
            "[People's mediation] A reminder: a mediation committee is waiting for your "
            "answer. It takes a minute: %(link)s"
        ) % {"link": link}
    return _(
        "[People's mediation] The committee will plan the mediation in the next few days. "
        "If you want your side heard and a time that suits you, answer here: %(link)s"
    ) % {"link": link}


def remind_due(*, site_url: str, now: dt.datetime | None = None) -> int:
    """Text every respondent whose variant's delay has passed without an answer, once; the
    number reminded. Idempotent: the conditional update claims each reminder."""
    now = now or timezone.now()
    base = site_url.rstrip("/")
    sent = 0
    for variant, delay in DELAY.items():
        due = Invitation.objects.filter(
            reminder_variant=variant,
            reminded_at__isnull=True,
            agrees="",
            proxy_by__isnull=True,
            sent_at__lte=now - delay,
        ).select_related("party", "case__committee")
        for invitation in due:
            if not invitation.token or not invitation.party.phone:
                continue
            with transaction.atomic():
                claimed = Invitation.objects.filter(
                    pk=invitation.pk, reminded_at__isnull=True
                ).update(reminded_at=now)
                if not claimed:
                    continue
                audit.record(
                    EventType.REMINDER_SENT,
                    actor=None,
                    organisation=invitation.case.committee,
                    obj=invitation,
                    after={"variant": variant},
                )
            sms.send(invitation.party.phone, _text(variant, f"{base}/m/r/{invitation.token}/"))
            sent += 1
    return sent
