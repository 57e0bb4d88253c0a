"""What the registry does when a case changes (docs/events.md): keep each mediator's workload
tally (``CaseTally``) from the case's current state. Idempotent: every event rewrites the
case's rows from what the case is now, so a repeated or late event changes nothing."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tiaojie.cases.models import Case, CaseMediator
from tiaojie.core import case_page
from tiaojie.core.events import Event, listen
from tiaojie.mediators import experts
from tiaojie.mediators.models import CaseTally


def _may_consult(user: Any, case: Any) -> bool:
    return experts.may_consult(user, case) and experts.experts_for_case(case).exists()


# On the case page (cases never names us): the experts consulted, and the way to consult one.
case_page.register_panel(case_page.CasePanel("mediators.experts", "mediators:case_experts"))
case_page.register_action(
    case_page.CaseAction(
        "mediators.consult",
        _("Consult an expert"),
        "mediators:case_consultations",
        capability=experts.CONSULT.value,
        when=_may_consult,
    )
)


def tally_case(case_id: int) -> None:
    """Rewrite the tally rows of one case: one per mediator ever assigned (a mediator who
    withdrew keeps the case in their count)."""
    case = Case.objects.filter(pk=case_id).first()
    with transaction.atomic():
        if case is None:
            CaseTally.objects.filter(case_id=case_id).delete()
            return
        users = set(CaseMediator.objects.filter(case=case).values_list("mediator_id", flat=True))
        CaseTally.objects.filter(case_id=case_id).exclude(user_id__in=users).delete()
        ended = case.closed_on
        duration = (
            (ended - case.accepted_on).days
            if ended is not None and case.accepted_on is not None and ended >= case.accepted_on
            else None
        )
        for user_id in users:
            CaseTally.objects.update_or_create(
                case_id=case_id,
                user_id=user_id,
                defaults={
                    "status": case.status,
                    "ended_as": case.ended_as,
                    "performance": case.performance if case.ended_as == "agreed" else "",
                    "duration_days": duration,
                },
            )


@listen("case.registered")
@listen("case.moved")
@listen("agreement.in_effect")
@listen("case.updated")
def keep_workload(event: Event) -> None:
    tally_case(int(event.payload["case_id"]))
