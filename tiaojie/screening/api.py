"""API of screening: rounds, findings, nil reports, prevented escalations, campaigns, hotspots
and duplicate suggestions — what the pages offer, through the same services and scopes. Its
own router on the ``/screening/`` prefix (triage's classify shares the prefix).

Replays are answered, not refused: a finding sent again with its key (body ``client_key`` or
the ``Idempotency-Key`` header) answers the finding already recorded; reporting a round already
reported the same way, turning a finding already turned, closing one already closed answer the
current state with 200. Anything else that conflicts is a 409.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from tiaojie.accounts.roles import Capability
from tiaojie.cases.models import Case, DisputeType
from tiaojie.cases.rules import case_policy
from tiaojie.core.api import ERRORS, PAGE, PAGE_SIZE, Page, caller, paginate
from tiaojie.core.errors import ValidationFailed
from tiaojie.screening import selectors
from tiaojie.screening.choices import FindingStatus, RoundStatus
from tiaojie.screening.error_codes import ScreeningErrorCode as E
from tiaojie.screening.models import (
    Campaign,
    DuplicateSuggestion,
    Finding,
    PreventedEscalation,
    Round,
)
from tiaojie.screening.rules import (
    OVERSEE,
    REPORT,
    campaign_policy,
    finding_policy,
    may_report,
    round_policy,
    suggestion_policy,
)
from tiaojie.screening.schemas import (
    ScreeningCampaignDetailOut,
    ScreeningCampaignOut,
    ScreeningCountIn,
    ScreeningDecisionIn,
    ScreeningDuplicateOut,
    ScreeningEscalationIn,
    ScreeningEscalationOut,
    ScreeningFindingCaseIn,
    ScreeningFindingCaseOut,
    ScreeningFindingCloseIn,
    ScreeningFindingIn,
    ScreeningFindingOut,
    ScreeningHotspotOut,
    ScreeningReportIn,
    ScreeningRoundOut,
)
from tiaojie.screening.services import campaigns, duplicates, escalations, findings, hotspots
from tiaojie.screening.services import rounds as round_services

router = Router(tags=["Screening"])


def _round_out(r: Round) -> dict[str, Any]:
    return {
        "id": r.pk,
        "organisation_id": r.organisation_id,
        "organisation_name": r.organisation.name,
        "level": r.level,
        "frequency": r.frequency,
        "period_start": r.period_start,
        "due_on": r.due_on,
        "status": r.status,
        "nil_report": r.nil_report,
        "findings_count": r.findings_count,
        "reported_on": r.reported_on,
        "reported_late": r.reported_late,
        "assignee_id": r.assignee_id,
        "version": r.version,
    }


def _round(request: HttpRequest, round_id: int) -> Round:
    return round_policy.get_or_404(
        caller(request, REPORT),
        REPORT,
        base=Round.objects.select_related("organisation"),
        pk=round_id,
    )


def _finding(request: HttpRequest, finding_id: int) -> Finding:
    return finding_policy.get_or_404(
        caller(request, REPORT), REPORT, base=Finding.objects.select_related("round"), pk=finding_id
    )


def _acting(request: HttpRequest, finding_id: int) -> Finding:
    """The finding, for those who report its round (the levels above read it: 403)."""
    finding = _finding(request, finding_id)
    if not may_report(caller(request), finding.round):
        raise PermissionDenied
    return finding


@router.get(
    "/rounds", response={200: Page[ScreeningRoundOut], **ERRORS}, operation_id="screening_rounds"
)
def screening_rounds(
    request: HttpRequest, status: str = "", page: int = PAGE, page_size: int = PAGE_SIZE
) -> dict[str, Any]:
    """The rounds the caller reports or watches, those still to report first."""
    rows = selectors.rounds_for(caller(request, REPORT))
    if status:
        rows = rows.filter(status=status)
    body = paginate(rows, page, page_size)
    body["results"] = [_round_out(r) for r in body["results"]]
    return body


@router.get(
    "/rounds/overdue",
    response={200: list[ScreeningRoundOut], **ERRORS},
    operation_id="screening_rounds_overdue",
)
def screening_rounds_overdue(request: HttpRequest) -> list[dict[str, Any]]:
    """Overdue rounds of the organisations below the caller's (the level above chases them)."""
    return [_round_out(r) for r in selectors.overdue_below(caller(request, OVERSEE))[:500]]


@router.get(
    "/rounds/{round_id}",
    response={200: ScreeningRoundOut, **ERRORS},
    operation_id="screening_round",
)
def screening_round(request: HttpRequest, round_id: int) -> dict[str, Any]:
    return _round_out(_round(request, round_id))


@router.get(
    "/rounds/{round_id}/findings",
    response={200: list[ScreeningFindingOut], **ERRORS},
    operation_id="screening_round_findings",
)
def screening_round_findings(request: HttpRequest, round_id: int) -> list[Finding]:
    return list(_round(request, round_id).findings.order_by("created_at", "id"))


@router.post(
    "/rounds/{round_id}/findings",
    response={200: ScreeningFindingOut, 201: ScreeningFindingOut, **ERRORS},
    operation_id="screening_finding_create",
)
def screening_finding_create(
    request: HttpRequest, round_id: int, payload: ScreeningFindingIn
) -> Status[Finding]:
    """Record a finding of the round (place required). With a key, a replay answers 200 with
    the finding already recorded; the first time, 201."""
    actor = caller(request, REPORT)
    key = (payload.client_key or request.headers.get("Idempotency-Key", "")).strip()[:64]
    if key:
        # Before the round's checks: a replay after the round was reported still succeeds.
        already = Finding.objects.filter(created_by=actor, client_key=key).first()
        if already is not None:
            return Status(200, already)
    what = payload.what
    if payload.latitude is not None and payload.longitude is not None:
        what = f"{what}\n" + _("Position: %(lat).5f, %(lon).5f") % {
            "lat": payload.latitude,
            "lon": payload.longitude,
        }
    finding = findings.finding_record(
        actor=actor,
        screening_round=_round(request, round_id),
        data=findings.FindingData(
            place=payload.place,
            people=payload.people,
            what=what.strip(),
            risk=payload.risk,
            client_key=key,
        ),
    )
    return Status(201, finding)


@router.post(
    "/rounds/{round_id}/report",
    response={200: ScreeningRoundOut, **ERRORS},
    operation_id="screening_round_report",
)
def screening_round_report(
    request: HttpRequest, round_id: int, payload: ScreeningReportIn
) -> dict[str, Any]:
    """Report the round: with findings, or an explicit nil report. Sent again the same way, the
    round as reported."""
    actor = caller(request, REPORT)
    screening_round = _round(request, round_id)
    if (
        screening_round.status == RoundStatus.REPORTED
        and screening_round.nil_report == payload.nil
        and may_report(actor, screening_round)
    ):
        return _round_out(screening_round)
    done = round_services.round_report(
        actor=actor, screening_round=screening_round, nil=payload.nil, version=payload.version
    )
    return _round_out(done)


@router.get(
    "/findings/{finding_id}",
    response={200: ScreeningFindingOut, **ERRORS},
    operation_id="screening_finding",
)
def screening_finding(request: HttpRequest, finding_id: int) -> Finding:
    return _finding(request, finding_id)


@router.post(
    "/findings/{finding_id}/case",
    response={200: ScreeningFindingCaseOut, 201: ScreeningFindingCaseOut, **ERRORS},
    operation_id="screening_finding_to_case",
)
def screening_finding_to_case(
    request: HttpRequest, finding_id: int, payload: ScreeningFindingCaseIn
) -> Status[dict[str, Any]]:
    """Register the finding as a case in one step (source: grid report for a grid worker,
    screening finding for committee staff), the finding linked. Sent again: the same case."""
    finding = _acting(request, finding_id)
    if finding.status == FindingStatus.CASE and finding.case_id is not None:
        case = Case.objects.get(pk=finding.case_id)
        return Status(200, {"finding": finding, "case_id": case.pk, "case_number": case.number})
    dispute_type = DisputeType.objects.filter(code=payload.dispute_type).first()
    if dispute_type is None:
        raise ValidationFailed(
            E.INVALID,
            _("Please correct the errors below."),
            fields={
                "dispute_type": [
                    _("Unknown dispute type %(code)s.") % {"code": payload.dispute_type}
                ]
            },
        )
    case = findings.finding_to_case(
        actor=caller(request),
        finding=finding,
        data=findings.CaseFromFinding(
            dispute_type, payload.applicant, payload.respondent, payload.summary
        ),
        version=payload.version,
    )
    finding.refresh_from_db()
    return Status(201, {"finding": finding, "case_id": case.pk, "case_number": case.number})


@router.post(
    "/findings/{finding_id}/close",
    response={200: ScreeningFindingOut, **ERRORS},
    operation_id="screening_finding_close",
)
def screening_finding_close(
    request: HttpRequest, finding_id: int, payload: ScreeningFindingCloseIn
) -> Finding:
    """Close a finding that needs no case, with the reason. Sent again: the closed finding."""
    finding = _acting(request, finding_id)
    if finding.status == FindingStatus.CLOSED:
        return finding
    return findings.finding_close(
        actor=caller(request), finding=finding, reason=payload.reason, version=payload.version
    )


@router.get(
    "/cases/{case_id}/escalations",
    response={200: list[ScreeningEscalationOut], **ERRORS},
    operation_id="screening_escalations",
)
def screening_escalations(request: HttpRequest, case_id: int) -> list[PreventedEscalation]:
    """What the case's mediation prevented (whoever reads the case)."""
    case = case_policy.get_or_404(
        caller(request, Capability.CASE_CONTENT), Capability.CASE_CONTENT, pk=case_id
    )
    return list(PreventedEscalation.objects.filter(case=case).order_by("recorded_on", "id"))


@router.post(
    "/cases/{case_id}/escalations",
    response={200: ScreeningEscalationOut, 201: ScreeningEscalationOut, **ERRORS},
    operation_id="screening_escalation_record",
)
def screening_escalation_record(
    request: HttpRequest, case_id: int, payload: ScreeningEscalationIn
) -> Status[PreventedEscalation]:
    """Record a prevented escalation (once per kind and case; the same record sent again
    answers 200 with it, a different one of the same kind is refused)."""
    actor = caller(request, escalations.RECORD)
    case = case_policy.get_or_404(actor, Capability.CASE_CONTENT, pk=case_id)
    same = PreventedEscalation.objects.filter(
        case=case, kind=payload.kind, people=payload.people, recorded_on=payload.recorded_on
    ).first()
    if same is not None and escalations.may_record(actor, case):
        return Status(200, same)
    row = escalations.escalation_record(
        actor=actor,
        case=case,
        kind=payload.kind,
        people=payload.people,
        recorded_on=payload.recorded_on,
        note=payload.note,
    )
    return Status(201, row)


def _campaign_out(c: Campaign) -> dict[str, Any]:
    return {
        "id": c.pk,
        "name": c.name,
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "owner_id": c.owner_id,
    }


def _campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    return campaign_policy.get_or_404(caller(request, REPORT), REPORT, pk=campaign_id)


def _campaign_detail(c: Campaign) -> dict[str, Any]:
    return {
        **_campaign_out(c),
        "progress": [asdict(p) for p in campaigns.progress(c)],
        "days": [
            {"day": day, "screened": screened, "resolved": resolved}
            for day, screened, resolved in campaigns.daily(c)
        ],
    }


@router.get(
    "/campaigns",
    response={200: list[ScreeningCampaignOut], **ERRORS},
    operation_id="screening_campaigns",
)
def screening_campaigns(request: HttpRequest) -> list[dict[str, Any]]:
    actor = caller(request, REPORT)
    return [
        _campaign_out(c)
        for c in campaign_policy.visible(actor, REPORT).order_by("-starts_on")[:200]
    ]


@router.get(
    "/campaigns/{campaign_id}",
    response={200: ScreeningCampaignDetailOut, **ERRORS},
    operation_id="screening_campaign",
)
def screening_campaign(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    """The campaign with progress per organisation and totals per day."""
    return _campaign_detail(_campaign(request, campaign_id))


@router.post(
    "/campaigns/{campaign_id}/counts",
    response={200: ScreeningCampaignDetailOut, **ERRORS},
    operation_id="screening_campaign_count",
)
def screening_campaign_count(
    request: HttpRequest, campaign_id: int, payload: ScreeningCountIn
) -> dict[str, Any]:
    """The caller's organisation's count for a day (entered again, the day's count is
    replaced: a replay changes nothing)."""
    campaign = _campaign(request, campaign_id)
    actor = caller(request)
    if not campaigns.may_count(actor, campaign):
        raise PermissionDenied
    campaigns.count_record(
        actor=actor,
        campaign=campaign,
        day=payload.day,
        screened=payload.screened,
        resolved=payload.resolved,
    )
    return _campaign_detail(campaign)


@router.get(
    "/hotspots",
    response={200: list[ScreeningHotspotOut], **ERRORS},
    operation_id="screening_hotspots",
)
def screening_hotspots(
    request: HttpRequest, week: dt.date | None = None, hot_only: bool = False
) -> list[dict[str, Any]]:
    """Disputes per committee × dispute type in the week (default: this one) against each
    cell's own baseline (mean + 2 sd of the prior 8 weeks), for the caller's subtree."""
    actor = caller(request, OVERSEE)
    cells = hotspots.cells(actor.organisation.path, week)
    return [
        {
            **{
                f: getattr(c, f)
                for f in (
                    "committee_id",
                    "committee",
                    "dispute_type",
                    "week",
                    "count",
                    "baseline",
                    "mean",
                )
            },
            "hot": c.hot,
        }
        for c in cells
        if c.hot or not hot_only
    ]


@router.get(
    "/duplicates",
    response={200: list[ScreeningDuplicateOut], **ERRORS},
    operation_id="screening_duplicates",
)
def screening_duplicates(request: HttpRequest, decision: str = "") -> list[dict[str, Any]]:
    """Open disputes sharing a party's ID number or phone, suggested as one dispute."""
    rows = suggestion_policy.visible(caller(request, OVERSEE), OVERSEE)
    if decision:
        rows = rows.filter(decision=decision)
    return [_duplicate_out(s) for s in rows[:500]]


def _duplicate_out(s: DuplicateSuggestion) -> dict[str, Any]:
    return {
        "id": s.pk,
        "first_case_id": s.first_id,
        "second_case_id": s.second_id,
        "matched_by": s.matched_by,
        "decision": s.decision,
        "note": s.note,
        "version": s.version,
    }


@router.post(
    "/duplicates/{suggestion_id}/decide",
    response={200: ScreeningDuplicateOut, **ERRORS},
    operation_id="screening_duplicate_decide",
)
def screening_duplicate_decide(
    request: HttpRequest, suggestion_id: int, payload: ScreeningDecisionIn
) -> dict[str, Any]:
    """Record "same dispute" or "different disputes"; nothing is merged or deleted."""
    actor = caller(request, OVERSEE)
    suggestion = suggestion_policy.get_or_404(actor, OVERSEE, pk=suggestion_id)
    done = duplicates.suggestion_decide(
        actor=actor,
        suggestion=suggestion,
        decision=payload.decision,
        note=payload.note,
        version=payload.version,
    )
    return _duplicate_out(done)
