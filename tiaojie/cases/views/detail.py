"""A case's page: what it is about, who the parties are (masked), who mediates, what happened,
and the buttons for what the user may do next. Personal data is shown in full only on an
explicit, audited request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tiaojie.accounts.roles import Capability
from tiaojie.cases import casefile, presenters
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.models import Case, Party
from tiaojie.cases.rules import case_policy
from tiaojie.cases.services.aftercare import confirmation_deadline
from tiaojie.cases.timeline import timeline
from tiaojie.cases.views.action_specs import State, available_specs
from tiaojie.core import case_page
from tiaojie.core.access import access
from tiaojie.core.types import AuthedRequest

# Cases still running against their deadline.
RUNNING = (CaseStatus.ACCEPTED, CaseStatus.IN_MEDIATION)


@dataclass(frozen=True)
class PartyRow:
    """A party as shown: personal data masked unless revealed."""

    party: Party
    id_number: str
    phone: str
    address: str
    agent_phone: str


def party_rows(case: Case) -> list[PartyRow]:
    """The parties with their personal data masked (``presenters.masked``)."""
    rows = []
    for party in case.parties.all():
        m = presenters.masked(party)
        rows.append(PartyRow(party, m["id_number"], m["phone"], m["address"], m["agent_phone"]))
    return rows


def revealed_rows(request: AuthedRequest, case: Case) -> list[PartyRow]:
    """The parties in full; ``presenters.revealed`` records the view in the audit trail."""
    parties = list(case.parties.all())
    values = presenters.revealed(request.user, case, parties)
    return [
        PartyRow(p, v["id_number"], v["phone"], v["address"], v["agent_phone"])
        for p, v in zip(parties, values, strict=True)
    ]


def get_case(request: AuthedRequest, pk: int) -> Case:
    return case_policy.get_or_404(
        request.user,
        Capability.CASE_CONTENT,
        base=Case.objects.select_related("committee", "dispute_type", "registered_by"),
        pk=pk,
    )


def detail_context(
    request: AuthedRequest, case: Case, rows: list[PartyRow] | None = None
) -> dict[str, Any]:
    user = request.user
    # First: it leaves the case's records held for the page below (its confirmations and
    # attachments, ADR 0070; its parties and agreement in force, ADR 0074).
    entries = timeline(case)
    state = State(case, user)
    today = timezone.localdate()
    deadline = case.extended_to or case.due_on
    agreement = state.agreement
    return {
        "case": case,
        "parties": rows if rows is not None else party_rows(case),
        "revealed": rows is not None,
        "can_reveal": user.can(Capability.PERSONAL_DATA),
        "can_edit_parties": (
            user.can(Capability.PERSONAL_DATA)
            and state.works  # may handle it (CASE_HANDLE, and assigned where that matters)
            and case.status in (CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.IN_MEDIATION)
        ),
        "mediators": case.mediators.select_related("mediator").order_by(
            F("withdrawn_at").asc(nulls_first=True), "-is_presiding", "assigned_at"
        ),
        "deadline": deadline,
        "running": case.status in RUNNING,
        "overdue": case.status in RUNNING and deadline is not None and deadline < today,
        "agreement": agreement,
        "missing_signatures": casefile.missing_signatures(agreement) if agreement else [],
        "confirmation_deadline": confirmation_deadline(case)
        if case.status == CaseStatus.AGREED
        else None,
        "confirmations": case.confirmations.all(),
        "attachments": case.attachments.all(),
        "timeline": entries,
        "specs": available_specs(state),
        "today": today,
        # What the apps watching cases contribute (core.case_page): cases names none of them.
        "contributed_actions": case_page.actions_for(user, case),
        "contributed_panels": case_page.panels_for(case),
    }


@access(Capability.CASE_CONTENT)
def case_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    case = get_case(request, pk)
    return render(request, "cases/case_detail.html", detail_context(request, case))


@access(Capability.PERSONAL_DATA)
def parties_reveal(request: AuthedRequest, pk: int) -> HttpResponse:
    """The parties in full, on a POST only (never in the first page), each time audited."""
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    case = get_case(request, pk)
    rows = revealed_rows(request, case)
    if request.htmx:
        return render(
            request,
            "cases/partials/parties.html",
            {"case": case, "parties": rows, "revealed": True, "can_reveal": True},
        )
    return render(request, "cases/case_detail.html", detail_context(request, case, rows))
