"""The cases API: the same services and selectors as the pages (django-ninja, /api/v1/)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Router, Status, UploadedFile

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.cases import casefile, ledger_jobs, presenters, reads, selectors
from tiaojie.cases.error_codes import CasesErrorCode as E
from tiaojie.cases.ledger_import import may_import
from tiaojie.cases.models import Case, DisputeType, LedgerImport
from tiaojie.cases.rules import case_policy
from tiaojie.cases.schemas import (
    AgreementIn,
    AgreementStateOut,
    CaseCreatedOut,
    CaseFieldsIn,
    CaseIn,
    CaseOut,
    CaseSummaryOut,
    CaseUpdateIn,
    ConfirmationIn,
    Created,
    DecisionIn,
    DisputeTypeOut,
    ExtensionIn,
    FollowUpIn,
    InvestigationIn,
    LedgerImportedOut,
    LedgerImportOut,
    LedgerQueuedOut,
    PartyIn,
    PartyOut,
    PartySavedOut,
    PartySignatureIn,
    PerformanceIn,
    SessionIn,
    SignatureIn,
    TransitionIn,
    TransitionOut,
)
from tiaojie.cases.services import aftercare, agreements, intake, records
from tiaojie.cases.workflow import allowed_actions, current_agreement, transition
from tiaojie.core.api import ERRORS, PAGE, PAGE_SIZE, CappedPage, caller, paginate
from tiaojie.core.errors import OutOfScope, ValidationFailed

router = Router(tags=["cases"])


def _case(request: HttpRequest, case_id: int) -> Case:
    return case_policy.get_or_404(
        caller(request),
        Capability.CASE_CONTENT,
        base=Case.objects.select_related("committee", "dispute_type", "wished_committee"),
        pk=case_id,
    )


def _dispute_type(code: str) -> DisputeType:
    found = reads.dispute_type(code)
    if found is None:
        raise ValidationFailed(
            E.INVALID,
            _("Please correct the errors below."),
            fields={"dispute_type": [_("Unknown dispute type %(code)s.") % {"code": code}]},
        )
    return found


def _case_data(body: CaseFieldsIn, parties: list[PartyIn] | None = None) -> intake.CaseData:
    values = body.dict(exclude={"parties", "version"})
    values["dispute_type"] = _dispute_type(body.dispute_type)
    return intake.CaseData(**values, parties=[intake.PartyData(**p.dict()) for p in parties or []])


def case_out(case: Case, user: User, *, registered: bool = False) -> dict[str, Any]:
    """The case as the API shows it to ``user``: parties masked, actions the user may take.
    ``registered``: the case was registered by this request (``case_register`` holds its
    parties and writes neither mediators nor an agreement), so nothing is read back."""
    # The parties once, for the answer and the file's completeness alike.
    reads.load_parties(case)
    agreement = None if registered else current_agreement(case)
    mediators = [] if registered else reads.active_mediators(case)
    return {
        **{
            f: getattr(case, f)
            for f in (
                "id",
                "number",
                "status",
                "summary",
                "registered_at",
                "is_complex",
                "is_group",
                "source",
                "referral_body",
                "referral_reference",
                "narrative",
                "requests",
                "amount",
                "people_involved",
                "risk_notes",
                "is_public",
                "accepted_on",
                "due_on",
                "extended_to",
                "closed_on",
                "archived_on",
                "performance",
                "version",
            )
        },
        "dispute_type": case.dispute_type.code,
        "committee": {"id": case.committee_id, "name": case.committee.name},
        "wished_committee": None
        if case.wished_committee is None
        else {"id": case.wished_committee.pk, "name": case.wished_committee.name},
        "parties": [presenters.masked(p) for p in case.parties.all()],
        "mediators": [
            {"id": m.mediator_id, "full_name": m.mediator.full_name, "is_presiding": m.is_presiding}
            for m in mediators
        ],
        "agreement": None
        if agreement is None
        else {
            **{
                f: getattr(agreement, f)
                for f in (
                    "number",
                    "kind",
                    "facts",
                    "content",
                    "performance_manner",
                    "performance_place",
                    "performance_deadline",
                    "formed_on",
                    "effective_on",
                )
            },
            "missing": casefile.missing_signatures(agreement),
        },
        "allowed_actions": [
            str(a.value)
            for a in allowed_actions(case, user, assigned={m.mediator_id for m in mediators})
        ],
        "missing_documents": [
            str(m)
            for m in casefile.missing_documents(
                case, casefile.registered_facts(case) if registered else None
            )
        ],
    }


@router.get(
    "/dispute-types",
    response={200: list[DisputeTypeOut], **ERRORS},
    operation_id="dispute_types_list",
)
def dispute_types_list(request: HttpRequest, on: dt.date | None = None, all: bool = False) -> Any:
    """The dispute types in use on ``on`` (today by default); ``all=true`` for every version."""
    if all:
        return DisputeType.objects.all()
    return DisputeType.objects.valid_on(on or timezone.localdate())


@router.post("/cases", response={201: CaseCreatedOut, **ERRORS}, operation_id="cases_create")
def cases_create(request: HttpRequest, body: CaseIn) -> Status[dict[str, Any]]:
    """Register a dispute at the caller's committee, with its parties. ``warnings`` says what
    was saved but will not print well (a name with a character no font has)."""
    actor = caller(request)
    data = _case_data(body, body.parties)
    case = intake.case_register(actor=actor, data=data)
    warnings = intake.party_name_warnings(data.parties)
    return Status(201, {**case_out(case, actor, registered=True), "warnings": warnings})


@router.get(
    "/cases", response={200: CappedPage[CaseSummaryOut], **ERRORS}, operation_id="cases_list"
)
def cases_list(
    request: HttpRequest,
    q: str = "",
    status: str = "",
    dispute_type: str = "",
    source: str = "",
    committee: int | None = None,
    mediator: int | None = None,
    registered_from: dt.date | None = None,
    registered_to: dt.date | None = None,
    is_complex: bool | None = None,
    is_group: bool | None = None,
    page: int = PAGE,
    page_size: int = PAGE_SIZE,
) -> dict[str, Any]:
    """Cases the caller may see, with the same filters and search as the case list page, newest
    first. ``count`` stops at the server's cap (10,000 by default): ``count_capped`` is then
    true and there are at least that many. A search the database estimates at the cap or more
    is not counted: ``count`` is then the estimate, rounded, and ``count_is_estimate`` is
    true; one with more matches than its sample (1,000 by default) but estimated under the cap
    stops at the sample, with ``count_capped`` true."""
    params: dict[str, Any] = {
        "q": q,
        "status": status,
        "source": source,
        "committee": committee,
        "mediator": mediator,
        "registered_from": registered_from,
        "registered_to": registered_to,
        "is_complex": "" if is_complex is None else str(int(is_complex)),
        "is_group": "" if is_group is None else str(int(is_group)),
    }
    if dispute_type:
        params["dispute_type"] = _dispute_type(dispute_type).pk
    form, qs = selectors.filtered_for(
        caller(request), {k: v for k, v in params.items() if v not in (None, "")}
    )
    if form.is_bound and not form.is_valid():
        raise ValidationFailed(
            E.INVALID,
            _("Please correct the errors below."),
            fields={k: [str(e) for e in v] for k, v in form.errors.items()},
        )
    result = paginate(
        qs.order_by("-registered_at", "-id"),
        page,
        page_size,
        cap=settings.TIAOJIE_CASE_COUNT_CAP,
        estimate=bool(form.is_bound and form.cleaned_data.get("q")),
    )
    result["results"] = [
        {
            **{
                f: getattr(c, f)
                for f in (
                    "id",
                    "number",
                    "status",
                    "summary",
                    "registered_at",
                    "is_complex",
                    "is_group",
                )
            },
            "dispute_type": c.dispute_type.code,
            "committee": {"id": c.committee_id, "name": c.committee.name},
        }
        for c in result["results"]
    ]
    return result


@router.get(
    "/cases/{id:case_id}",
    response={200: CaseOut, **ERRORS},
    operation_id="cases_read",
)
def cases_read(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return case_out(_case(request, case_id), caller(request))


@router.put("/cases/{id:case_id}", response={200: CaseOut, **ERRORS}, operation_id="cases_update")
def cases_update(request: HttpRequest, case_id: int, body: CaseUpdateIn) -> dict[str, Any]:
    """Correct the registered facts; send back the ``version`` you read (409 if stale)."""
    actor = caller(request)
    case = intake.case_update(
        actor=actor, case=_case(request, case_id), data=_case_data(body), version=body.version
    )
    return case_out(case, actor)


@router.post(
    "/cases/{id:case_id}/transitions",
    response={200: CaseOut, **ERRORS},
    operation_id="cases_transition",
)
def cases_transition(request: HttpRequest, case_id: int, body: TransitionIn) -> dict[str, Any]:
    """Move the case: accept, decline, start_mediation, reach_agreement, fail, terminate,
    resume, archive. An illegal move or a stale version is 409 with a stable ``code``."""
    actor = caller(request)
    data = body.dict(exclude={"action", "reason", "version"}, exclude_none=True)
    # No read before the move: the engine's locking read decides scope on the locked row
    # (ADR 0047), so the case is named by its id alone, and a case missing or outside the
    # caller's scope is 404 alike, as ``_case`` would answer (ADR 0062).
    try:
        case = transition(
            actor=actor,
            case=Case(pk=case_id),
            action=body.action,
            reason=body.reason,
            version=body.version,
            data=data,
        )
    except (Case.DoesNotExist, OutOfScope) as exc:
        raise Http404 from exc
    return case_out(case, actor)


@router.get(
    "/cases/{id:case_id}/history",
    response={200: list[TransitionOut], **ERRORS},
    operation_id="cases_history",
)
def cases_history(request: HttpRequest, case_id: int) -> Any:
    """Every move of the case, oldest first: who, when, from, to, why."""
    return _case(request, case_id).transitions.all()


@router.get(
    "/cases/{id:case_id}/personal-data",
    response={200: list[PartyOut], **ERRORS},
    operation_id="cases_personal_data",
)
def cases_personal_data(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    """The parties unmasked, for roles that need them; recorded in the audit trail."""
    case = _case(request, case_id)
    return presenters.revealed(caller(request), case, case.parties.all())


@router.post(
    "/cases/{id:case_id}/parties",
    response={201: PartySavedOut, **ERRORS},
    operation_id="parties_create",
)
def parties_create(
    request: HttpRequest, case_id: int, body: PartyIn, version: int | None = None
) -> Status[dict[str, Any]]:
    data = intake.PartyData(**body.dict())
    party = intake.party_add(
        actor=caller(request), case=_case(request, case_id), data=data, version=version
    )
    return Status(201, {**presenters.masked(party), "warnings": intake.party_name_warnings([data])})


@router.put(
    "/cases/{id:case_id}/parties/{party_id}",
    response={200: PartySavedOut, **ERRORS},
    operation_id="parties_update",
)
def parties_update(
    request: HttpRequest, case_id: int, party_id: int, body: PartyIn, version: int | None = None
) -> dict[str, Any]:
    case = _case(request, case_id)
    party = case.parties.filter(pk=party_id).first()
    if party is None:
        raise Http404
    data = intake.PartyData(**body.dict())
    party = intake.party_update(actor=caller(request), party=party, data=data, version=version)
    return {**presenters.masked(party), "warnings": intake.party_name_warnings([data])}


def _created(record_id: int, case_id: int) -> Status[dict[str, int]]:
    version = Case.objects.values_list("version", flat=True).get(pk=case_id)
    return Status(201, {"id": record_id, "case_version": version})


@router.post(
    "/cases/{id:case_id}/investigations",
    response={201: Created, **ERRORS},
    operation_id="investigations_create",
)
def investigations_create(
    request: HttpRequest, case_id: int, body: InvestigationIn
) -> Status[dict[str, int]]:
    record = records.investigation_add(
        actor=caller(request), case=_case(request, case_id), **body.dict()
    )
    return _created(record.pk, case_id)


@router.post(
    "/cases/{id:case_id}/sessions",
    response={201: Created, **ERRORS},
    operation_id="sessions_create",
)
def sessions_create(request: HttpRequest, case_id: int, body: SessionIn) -> Status[dict[str, int]]:
    session = records.session_add(
        actor=caller(request), case=_case(request, case_id), **body.dict()
    )
    return _created(session.pk, case_id)


@router.post(
    "/cases/{id:case_id}/agreement",
    response={201: Created, **ERRORS},
    operation_id="agreement_create",
)
def agreement_create(
    request: HttpRequest, case_id: int, body: AgreementIn
) -> Status[dict[str, int]]:
    agreement = agreements.agreement_draw_up(
        actor=caller(request), case=_case(request, case_id), **body.dict()
    )
    return _created(agreement.pk, case_id)


def _state_out(state: agreements.AgreementState, case_id: int) -> dict[str, Any]:
    version = Case.objects.values_list("version", flat=True).get(pk=case_id)
    return {
        **{
            name: getattr(state, name)
            for name in AgreementStateOut.model_fields
            if name != "case_version"
        },
        "parties": [vars(p) for p in state.parties],
        "case_version": version,
    }


@router.get(
    "/cases/{id:case_id}/agreement/signatures",
    response={200: AgreementStateOut, **ERRORS},
    operation_id="agreement_signatures",
)
def agreement_signatures(request: HttpRequest, case_id: int) -> dict[str, Any]:
    """Who has signed the current agreement, what is missing, whether it is in effect."""
    case = _case(request, case_id)
    return _state_out(agreements.agreement_state(case), case_id)


@router.post(
    "/cases/{id:case_id}/agreement/signatures",
    response={200: AgreementStateOut, **ERRORS},
    operation_id="agreement_sign",
)
def agreement_sign(request: HttpRequest, case_id: int, body: SignatureIn) -> dict[str, Any]:
    """Record the signatures of one sitting in one call: parties (``parties``, or one
    ``party_id``), the mediator's (``mediator``), the seal (``seal``). Answers the agreement's
    state; when it takes effect the case is agreed, with no further move to make."""
    case = _case(request, case_id)
    wanted = list(body.parties)
    if body.party_id is not None:
        wanted.append(
            PartySignatureIn(
                party_id=body.party_id, fingerprinted=body.fingerprinted, by_agent=body.by_agent
            )
        )
    by_id = {p.pk: p for p in case.parties.all()}
    unknown = [w.party_id for w in wanted if w.party_id not in by_id]
    if unknown:
        raise ValidationFailed(
            E.INVALID,
            _("Please correct the errors below."),
            fields={"parties": [_("This person is not a party to the case.")]},
        )
    state = agreements.agreement_signatures_record(
        actor=caller(request),
        case=case,
        signed_on=body.signed_on,
        parties=[
            agreements.PartySignature(
                party=by_id[w.party_id], fingerprinted=w.fingerprinted, by_agent=w.by_agent
            )
            for w in wanted
        ],
        mediator=body.mediator,
        seal=body.seal,
    )
    return _state_out(state, case_id)


@router.post(
    "/cases/{id:case_id}/performance",
    response={201: Created, **ERRORS},
    operation_id="performance_create",
)
def performance_create(
    request: HttpRequest, case_id: int, body: PerformanceIn
) -> Status[dict[str, int]]:
    case = aftercare.performance_record(
        actor=caller(request), case=_case(request, case_id), **body.dict()
    )
    return _created(case.performance_records.latest("id").pk, case_id)


@router.post(
    "/cases/{id:case_id}/confirmations",
    response={201: Created, **ERRORS},
    operation_id="confirmations_create",
)
def confirmations_create(
    request: HttpRequest, case_id: int, body: ConfirmationIn
) -> Status[dict[str, int]]:
    """The parties' joint application for judicial confirmation (within 30 days)."""
    record = aftercare.confirmation_apply(
        actor=caller(request), case=_case(request, case_id), **body.dict()
    )
    return _created(record.pk, case_id)


@router.post(
    "/cases/{id:case_id}/confirmations/decision",
    response={201: Created, **ERRORS},
    operation_id="confirmations_decide",
)
def confirmations_decide(
    request: HttpRequest, case_id: int, body: DecisionIn
) -> Status[dict[str, int]]:
    record = aftercare.confirmation_decide(
        actor=caller(request), case=_case(request, case_id), **body.dict()
    )
    return _created(record.pk, case_id)


@router.post(
    "/cases/{id:case_id}/follow-ups",
    response={201: Created, **ERRORS},
    operation_id="follow_ups_create",
)
def follow_ups_create(
    request: HttpRequest, case_id: int, body: FollowUpIn
) -> Status[dict[str, int]]:
    visit = aftercare.follow_up_add(
        actor=caller(request), case=_case(request, case_id), **body.dict()
    )
    return _created(visit.pk, case_id)


@router.post(
    "/cases/{id:case_id}/extension", response={200: CaseOut, **ERRORS}, operation_id="cases_extend"
)
def cases_extend(request: HttpRequest, case_id: int, body: ExtensionIn) -> dict[str, Any]:
    """Extend the mediation period: the committee director approves it, both parties consent,
    as often as the locality allows."""
    actor = caller(request)
    case = records.case_extend(actor=actor, case=_case(request, case_id), **body.dict())
    return case_out(case, actor)


@router.post(
    "/cases/import",
    response={200: LedgerImportedOut, 202: LedgerQueuedOut, **ERRORS},
    operation_id="cases_import",
)
def cases_import(request: HttpRequest, file: File[UploadedFile]) -> Status[dict[str, Any]]:
    """Import a historical ledger (XLSX/CSV, multipart ``file``) into your committee.

    Nothing is written unless every row is valid; otherwise 422 ``import_invalid`` with one
    ``fields`` entry per problem, keyed ``"<row>:<column>"`` as the spreadsheet shows them. A
    ledger of more than 200 rows is queued: 202 with its ``import_id``, to follow with
    ``GET /cases/import/{import_id}``.
    """
    actor = caller(request)
    if not may_import(actor):
        raise PermissionDenied
    outcome = ledger_jobs.ledger_upload(actor=actor, file=file, file_name=file.name or "")
    if outcome.job is not None:
        return Status(202, {"import_id": outcome.job.pk, "status": outcome.job.status})
    return Status(200, {"created": outcome.created})


@router.get(
    "/cases/import/{id:import_id}",
    response={200: LedgerImportOut, **ERRORS},
    operation_id="cases_import_read",
)
def cases_import_read(request: HttpRequest, import_id: int) -> LedgerImport:
    """A queued import of your committee: its status, progress (percent), and the errors."""
    actor = caller(request)
    if not may_import(actor):
        raise PermissionDenied
    return get_object_or_404(ledger_jobs.ledger_imports_for(actor), pk=import_id)
