"""The citizen API (the mini-program's): what the pages under /m/ offer, through the same
services, with a citizen bearer token of its own (``tokens.CitizenBearer``; ADR 0030).

Signing in, the directory and the respondent's link need no token; everything else does, and
reaches only the caller's own applications: any other case id answers 404 like a missing one.
The other party is shown masked, as on the pages. Input errors answer 422 with Chinese field
messages, stale or illegal moves 409, too many codes 429.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status, UploadedFile

from tiaojie.cases.choices import CLOSED_STATUSES, CaseStatus
from tiaojie.cases.models import DisputeType
from tiaojie.core.api import ERRORS
from tiaojie.core.errors import Conflict, field_error
from tiaojie.core.masking import mask_phone
from tiaojie.core.middleware import client_ip
from tiaojie.mediators.models import Mediator
from tiaojie.organisations.models import Organisation
from tiaojie.public import booking, interview, selectors, services, signing, tokens
from tiaojie.public.error_codes import PublicErrorCode as E
from tiaojie.public.models import Application, Booking, Citizen, Evidence, Rating
from tiaojie.public.schemas_citizen import (
    CitizenAnswerIn,
    CitizenApplicationOut,
    CitizenApplyIn,
    CitizenBookIn,
    CitizenBookingOut,
    CitizenCaseOut,
    CitizenCodeIn,
    CitizenDisputeTypeOut,
    CitizenInterviewOut,
    CitizenMeOut,
    CitizenMessageIn,
    CitizenMessageOut,
    CitizenPlaceOut,
    CitizenRatingIn,
    CitizenRatingOut,
    CitizenRealNameIn,
    CitizenSentOut,
    CitizenSignIn,
    CitizenSlotOut,
    CitizenStartIn,
    CitizenTokenIn,
    CitizenTokenOut,
)

router = Router(tags=["Citizen (mini-program)"], auth=tokens.CitizenBearer())

ERRORS_429: dict[int, Any] = {**ERRORS, 429: ERRORS[422]}


def _citizen(request: HttpRequest) -> Citizen:
    return cast(Citizen, request.citizen)  # type: ignore[attr-defined]


def _application(request: HttpRequest, case_id: int) -> Application:
    return selectors.application_or_404(_citizen(request), case_id)


# --- Signing in ---------------------------------------------------------------------------------


@router.post(
    "/citizen/auth/code",
    auth=None,
    response={202: CitizenSentOut, **ERRORS_429},
    operation_id="citizen_code_send",
)
def citizen_code_send(request: HttpRequest, body: CitizenCodeIn) -> Status[dict[str, bool]]:
    """Text a six-digit code (valid 5 minutes, 5 tries). The pages' limits: one a minute and
    ``TIAOJIE_CODE_SENDS_PER_PHONE_HOUR`` an hour per phone, ``TIAOJIE_CODE_SENDS_PER_SOURCE_HOUR``
    an hour per source address (429). A known and an unknown number get the same answer."""
    services.sign_in_start(phone=body.phone, source=client_ip(request))
    return Status(202, {"sent": True})


@router.post(
    "/citizen/auth/token",
    auth=None,
    response={201: CitizenTokenOut, **ERRORS},
    operation_id="citizen_token_issue",
)
def citizen_token_issue(request: HttpRequest, body: CitizenTokenIn) -> Status[dict[str, Any]]:
    """Exchange the texted code for a citizen token (422 ``invalid_code`` if wrong, expired or
    used up). The first sign-in of a number creates the citizen."""
    citizen = services.sign_in_finish(phone=body.phone, code=body.code)
    issued = tokens.token_issue(citizen=citizen)
    return Status(
        201,
        {
            "token": issued.raw,
            "expires_at": issued.token.expires_at,
            "verified": citizen.is_verified,
        },
    )


@router.post(
    "/citizen/auth/logout",
    response={204: None, **ERRORS},
    operation_id="citizen_token_revoke",
)
def citizen_token_revoke(request: HttpRequest) -> Status[None]:
    """Sign out: the token used for this call stops working."""
    tokens.token_revoke(token=request.citizen_token)  # type: ignore[attr-defined]
    return Status(204, None)


@router.get("/citizen/me", response={200: CitizenMeOut, **ERRORS}, operation_id="citizen_me")
def citizen_me(request: HttpRequest) -> dict[str, Any]:
    citizen = _citizen(request)
    return {
        "phone": mask_phone(citizen.phone),
        "name": citizen.name,
        "verified": citizen.is_verified,
    }


@router.post(
    "/citizen/me/real-name",
    response={200: CitizenMeOut, **ERRORS},
    operation_id="citizen_real_name",
)
def citizen_real_name(request: HttpRequest, body: CitizenRealNameIn) -> dict[str, Any]:
    """The real-name step: name and ID number (check digit and region code checked; kept
    encrypted). Given once (409 afterwards)."""
    services.real_name_give(citizen=_citizen(request), name=body.name, id_number=body.id_number)
    return citizen_me(request)


# --- The interview ------------------------------------------------------------------------------


@router.get(
    "/citizen/dispute-types",
    auth=None,
    response={200: list[CitizenDisputeTypeOut], **ERRORS},
    operation_id="citizen_dispute_types",
)
def citizen_dispute_types(request: HttpRequest) -> list[dict[str, str]]:
    return [
        {"code": t.code, "name": t.name}
        for t in DisputeType.objects.valid_on(timezone.localdate()).order_by("sort_order")
    ]


def _interview(citizen: Citizen) -> dict[str, Any]:
    draft = services.draft_of(citizen)
    if draft.dispute_type is None:
        return {"dispute_type": None, "answered": [], "question": None}
    tree = interview.tree_for(draft.dispute_type.code)
    question = interview.next_question(tree, draft.answers)
    return {
        "dispute_type": draft.dispute_type.code,
        "answered": [
            {"question": q, "answer": a} for q, a in interview.transcript(tree, draft.answers)
        ],
        "question": None
        if question is None
        else {
            "id": question.id,
            "text": str(question.text),
            "hint": str(question.hint),
            "options": [{"value": o.value, "label": str(o.label)} for o in question.options],
        },
    }


def _verified(request: HttpRequest) -> Citizen:
    citizen = _citizen(request)
    if not citizen.is_verified:
        raise Conflict(E.NOT_VERIFIED, _("Give your real name before applying."))
    return citizen


@router.get(
    "/citizen/interview",
    response={200: CitizenInterviewOut, **ERRORS},
    operation_id="citizen_interview",
)
def citizen_interview(request: HttpRequest) -> dict[str, Any]:
    """The application being written: the answers so far and the next question (the next
    question depends on the last answer; null when finished)."""
    return _interview(_verified(request))


@router.post(
    "/citizen/interview/start",
    response={200: CitizenInterviewOut, **ERRORS},
    operation_id="citizen_interview_start",
)
def citizen_interview_start(request: HttpRequest, body: CitizenStartIn) -> dict[str, Any]:
    """Begin (again) with a dispute type; earlier answers are dropped."""
    citizen = _verified(request)
    dispute_type = DisputeType.objects.filter(code=body.dispute_type).first()
    if dispute_type is None:
        raise field_error("dispute_type", _("Choose one of the kinds of dispute."))
    services.draft_start(citizen=citizen, dispute_type=dispute_type)
    return _interview(citizen)


@router.post(
    "/citizen/interview/answer",
    response={200: CitizenInterviewOut, **ERRORS},
    operation_id="citizen_interview_answer",
)
def citizen_interview_answer(request: HttpRequest, body: CitizenAnswerIn) -> dict[str, Any]:
    """Answer the current question (409 if ``question`` is not the one asked now)."""
    citizen = _verified(request)
    services.draft_answer(
        draft=services.draft_of(citizen), question_id=body.question, value=body.value
    )
    return _interview(citizen)


@router.post(
    "/citizen/interview/back",
    response={200: CitizenInterviewOut, **ERRORS},
    operation_id="citizen_interview_back",
)
def citizen_interview_back(request: HttpRequest) -> dict[str, Any]:
    """Take back the last answer."""
    citizen = _verified(request)
    services.draft_back(draft=services.draft_of(citizen))
    return _interview(citizen)


@router.get(
    "/citizen/centres",
    auth=None,
    response={200: list[CitizenPlaceOut], **ERRORS},
    operation_id="citizen_centres",
)
def citizen_centres(request: HttpRequest) -> list[dict[str, Any]]:
    """Governance centres taking online applications: choose one to let routing decide."""
    return [{"id": c.pk, "name": c.name} for c in selectors.online_centres()]


# --- Applying and following -------------------------------------------------------------------


def _application_out(application: Application) -> dict[str, Any]:
    case = application.case
    return {
        "id": case.pk,
        "number": case.number,
        "summary": case.summary,
        "dispute_type": case.dispute_type.code,
        "dispute_type_name": case.dispute_type.name,
        "committee": case.committee.name,
        "wished_committee": case.wished_committee.name if case.wished_committee else "",
        "status": case.status,
        "status_text": selectors.plain_status(case.status),
        "applied_at": application.created_at,
    }


def _case_out(application: Application) -> dict[str, Any]:
    case = application.case
    citizen = application.citizen
    progress = (
        [
            selectors.plain_status(s)
            for s in selectors.PROGRESS[: selectors.PROGRESS.index(CaseStatus(case.status)) + 1]
        ]
        if case.status in selectors.PROGRESS
        else [selectors.plain_status(case.status)]
    )
    agreement = selectors.current_agreement(case)
    state = signing.state_for(case, application.party)
    rating = Rating.objects.filter(application=application).first()
    return {
        **_application_out(application),
        "progress": progress,
        "other_parties": [
            {"role_name": o.role, "name": o.name, "phone": o.phone}
            for o in selectors.other_parties(application)
        ],
        "evidence": [
            {"id": e.pk, "name": e.original_name, "content_type": e.content_type, "size": e.size}
            for e in selectors.evidence_of(case).filter(citizen=citizen)
        ],
        "bookings": [
            _booking_out(b)
            for b in Booking.objects.filter(case=case, citizen=citizen).select_related("slot")
        ],
        "bookable": case.status in booking.BOOKABLE,
        "agreement": None
        if agreement is None
        else {
            "number": agreement.number,
            "formed_on": agreement.formed_on,
            "kind": agreement.kind,
            "content": agreement.content,
            "performance_manner": agreement.performance_manner,
            "performance_deadline": agreement.performance_deadline,
        },
        "may_sign": state.may_sign,
        "sign_waits_for": state.waits_for,
        "signed": state.signed is not None,
        "signed_pdf": state.signed_document is not None,
        "rating": None
        if rating is None
        else {
            "score": rating.score,
            "comment": rating.comment,
            "is_complaint": rating.is_complaint,
        },
        "may_rate": case.status in CLOSED_STATUSES and rating is None,
    }


def _booking_out(b: Booking) -> dict[str, Any]:
    return {"id": b.pk, "starts_at": b.slot.starts_at, "minutes": b.slot.minutes}


def _org(pk: int | None) -> Organisation | None:
    if pk is None:
        return None
    return Organisation.objects.filter(pk=pk).first()


@router.post(
    "/citizen/applications",
    response={201: CitizenCaseOut, **ERRORS},
    operation_id="citizen_apply",
)
def citizen_apply(
    request: HttpRequest,
    body: Form[CitizenApplyIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status[dict[str, Any]]:
    """Send the finished interview as an application (``multipart/form-data``): the details,
    where to apply (``committee_id`` or ``mediator_id`` from the directory, or ``centre_id``
    to let routing decide) and up to 6 files of evidence (PDF, JPG, PNG, DOCX, XLSX, MP3 or
    M4A by name and content, size limited as staff attachments; 422 ``fields.files``). It
    enters the intake with the channel ``online`` and the staff intake's checks; the
    respondent, if a mobile number is given, is texted a link."""
    citizen = _verified(request)
    mediator = None
    if body.mediator_id is not None:
        mediator = Mediator.objects.filter(pk=body.mediator_id).first()
        if mediator is None:
            raise field_error("mediator_id", _("This mediator does not take applications now."))
    committee = _org(body.committee_id)
    centre = _org(body.centre_id)
    if body.committee_id is not None and committee is None:
        raise field_error("committee_id", _("Choose a committee from the directory."))
    if body.centre_id is not None and centre is None:
        raise field_error("centre_id", _("This centre takes no online applications."))
    data = services.ApplicationData(
        summary=body.summary,
        requests=body.requests,
        amount=body.amount,
        respondent_kind=body.respondent_kind,
        respondent_name=body.respondent_name,
        respondent_phone=body.respondent_phone,
        committee=committee,
        centre=centre,
        mediator=mediator,
        files=list(files or []),
    )
    application = services.application_submit(
        citizen=citizen, data=data, site_url=request.build_absolute_uri("/")
    )
    return Status(201, _case_out(application))


@router.get(
    "/citizen/applications",
    response={200: list[CitizenApplicationOut], **ERRORS},
    operation_id="citizen_applications",
)
def citizen_applications(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's own applications, newest first, with their status in plain words."""
    return [_application_out(a) for a in selectors.applications_of(_citizen(request))]


@router.get(
    "/citizen/applications/{id:case_id}",
    response={200: CitizenCaseOut, **ERRORS},
    operation_id="citizen_application",
)
def citizen_application(request: HttpRequest, case_id: int) -> dict[str, Any]:
    """One of the caller's applications: progress, the other side (masked), evidence sent,
    bookings, the agreement to read, signing, rating."""
    return _case_out(_application(request, case_id))


@router.get(
    "/citizen/applications/{id:case_id}/evidence/{id:evidence_id}",
    response={200: None, **ERRORS},
    operation_id="citizen_evidence",
)
def citizen_evidence(request: HttpRequest, case_id: int, evidence_id: int) -> HttpResponse:
    """A file the caller sent, as sent."""
    application = _application(request, case_id)
    evidence = get_object_or_404(
        Evidence, pk=evidence_id, case=application.case, citizen=application.citizen
    )
    path = services.evidence_dir(application.case) / evidence.stored_name
    if not path.exists():
        raise Http404
    response = HttpResponse(path.read_bytes(), content_type=evidence.content_type)
    response["Content-Disposition"] = f'attachment; filename="evidence-{evidence.pk}"'
    return response


# --- Messages -----------------------------------------------------------------------------------


def _message_out(m: Any) -> dict[str, Any]:
    return {"id": m.pk, "sender": m.sender, "text": m.text, "created_at": m.created_at}


@router.get(
    "/citizen/applications/{id:case_id}/messages",
    response={200: list[CitizenMessageOut], **ERRORS},
    operation_id="citizen_messages",
)
def citizen_messages(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = _application(request, case_id).case
    return [_message_out(m) for m in selectors.messages_of(case)]


@router.post(
    "/citizen/applications/{id:case_id}/messages",
    response={201: CitizenMessageOut, **ERRORS},
    operation_id="citizen_message_send",
)
def citizen_message_send(
    request: HttpRequest, case_id: int, body: CitizenMessageIn
) -> Status[dict[str, Any]]:
    """A message to the case's mediator."""
    application = _application(request, case_id)
    message = services.message_from_party(
        citizen=application.citizen, case=application.case, text=body.text
    )
    return Status(201, _message_out(message))


# --- Booking ------------------------------------------------------------------------------------


@router.get(
    "/citizen/applications/{id:case_id}/slots",
    response={200: list[CitizenSlotOut], **ERRORS},
    operation_id="citizen_slots",
)
def citizen_slots(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    """The committee's free times (empty until a committee has the case)."""
    case = _application(request, case_id).case
    if case.status not in booking.BOOKABLE:
        return []
    return [
        {
            "id": s.pk,
            "starts_at": s.starts_at,
            "minutes": s.minutes,
            "mediator": s.mediator.full_name,
        }
        for s in booking.free_slots(case)
    ]


@router.post(
    "/citizen/applications/{id:case_id}/bookings",
    response={201: CitizenBookingOut, **ERRORS},
    operation_id="citizen_book",
)
def citizen_book(request: HttpRequest, case_id: int, body: CitizenBookIn) -> Status[dict[str, Any]]:
    """Book a free time; 409 ``slot_taken`` if someone was quicker (a slot is booked once,
    by a database constraint), 409 ``not_bookable`` before a committee has the case."""
    application = _application(request, case_id)
    made = booking.book(citizen=application.citizen, case=application.case, slot_id=body.slot_id)
    return Status(201, _booking_out(made))


@router.delete(
    "/citizen/applications/{id:case_id}/bookings/{id:booking_id}",
    response={204: None, **ERRORS},
    operation_id="citizen_booking_cancel",
)
def citizen_booking_cancel(request: HttpRequest, case_id: int, booking_id: int) -> Status[None]:
    """Cancel one's own booking before it begins; the time is free again."""
    application = _application(request, case_id)
    if not Booking.objects.filter(
        pk=booking_id, case=application.case, citizen=application.citizen
    ).exists():
        raise Http404
    booking.booking_cancel(
        citizen=application.citizen, case=application.case, booking_id=booking_id
    )
    return Status(204, None)


# --- Signing and rating -------------------------------------------------------------------------


@router.post(
    "/citizen/applications/{id:case_id}/signing/code",
    response={202: CitizenSentOut, **ERRORS_429},
    operation_id="citizen_signing_code",
)
def citizen_signing_code(request: HttpRequest, case_id: int) -> Status[dict[str, bool]]:
    """Text a signing code to the number the committee has for the applicant (409 when there
    is nothing to sign)."""
    application = _application(request, case_id)
    signing.signing_code_send(
        case=application.case, party=application.party, source=client_ip(request)
    )
    return Status(202, {"sent": True})


@router.post(
    "/citizen/applications/{id:case_id}/signing",
    response={200: CitizenCaseOut, **ERRORS},
    operation_id="citizen_sign",
)
def citizen_sign(request: HttpRequest, case_id: int, body: CitizenSignIn) -> dict[str, Any]:
    """Sign the agreement: the drawn signature (a PNG data URL) and the texted code."""
    application = _application(request, case_id)
    signing.sign_on_phone(
        case=application.case,
        party=application.party,
        drawing=body.signature,
        code=body.code,
        source=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
        citizen=application.citizen,
    )
    return _case_out(application)


@router.get(
    "/citizen/applications/{id:case_id}/signed.pdf",
    response={200: None, **ERRORS},
    operation_id="citizen_signed_pdf",
)
def citizen_signed_pdf(request: HttpRequest, case_id: int) -> HttpResponse:
    """The signed and sealed agreement, the bytes whose SHA-256 /m/verify/ checks."""
    application = _application(request, case_id)
    document = signing.state_for(application.case, application.party).signed_document
    if document is None:
        raise Http404
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="agreement-{document.sealed_on}.pdf"'
    return response


@router.post(
    "/citizen/applications/{id:case_id}/rating",
    response={201: CitizenRatingOut, **ERRORS},
    operation_id="citizen_rate",
)
def citizen_rate(
    request: HttpRequest, case_id: int, body: CitizenRatingIn
) -> Status[dict[str, Any]]:
    """Rate the service once the case has ended (409 before, or a second time); a complaint
    tells the committee's director."""
    rating = services.rate(
        application=_application(request, case_id),
        score=body.score,
        comment=body.comment,
        is_complaint=body.is_complaint,
    )
    return Status(
        201,
        {"score": rating.score, "comment": rating.comment, "is_complaint": rating.is_complaint},
    )
