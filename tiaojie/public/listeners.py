"""What the public side does when a case changes (docs/events.md). Imported at start-up by
``core`` (every app's ``listeners.py``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.cases.choices import CLOSED_STATUSES
from tiaojie.core.events import Event, listen
from tiaojie.mediators import satisfaction
from tiaojie.public import sms
from tiaojie.public.models import Application, Rating


def ratings_between(starts_on: dt.date, ends_on: dt.date) -> dict[int, int]:
    """Applicants' ratings given in the period, by case: what a mediator's evaluation counts as
    satisfaction (``mediators.satisfaction``)."""
    return dict(
        Rating.objects.filter(
            created_at__date__gte=starts_on, created_at__date__lte=ends_on
        ).values_list("application__case_id", "score")
    )


satisfaction.register(ratings_between)


@listen("case.moved")
def invite_rating_when_closed(event: Event) -> None:
    """When an online application's case closes (agreement, failure, termination, archive),
    text the applicant once to rate the service. Idempotent: the conditional update claims the
    invitation, so a second delivery of the event sends nothing."""
    if event.payload.get("to") not in CLOSED_STATUSES:
        return
    application = (
        Application.objects.select_related("citizen")
        .filter(case_id=event.payload["case_id"], rating_invited_at__isnull=True)
        .first()
    )
    if application is None:
        return
    claimed = Application.objects.filter(pk=application.pk, rating_invited_at__isnull=True).update(
        rating_invited_at=timezone.now()
    )
    if claimed:
        # No case details in the text: the citizen signs in to see which case.
        sms.send(
            application.citizen.phone,
            _(
                "[People's mediation] Your mediation case has ended. Please sign in to rate "
                "the service."
            ),
        )
