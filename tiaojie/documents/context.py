"""The values a document is filled with, as plain strings, lists and dicts: the same for the
HTML (PDF) templates, the built-in DOCX templates and a bureau's uploaded ones. Nothing here
gives a template a model instance, so a template can only print what is listed in
``fields.py``, and personal data is masked here, once, unless the document needs it in full."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from tiaojie.cases.choices import CaseSource, CaseStatus, PartyRole
from tiaojie.core.masking import mask_address, mask_id_number, mask_phone
from tiaojie.documents import texts
from tiaojie.documents.formatting import (
    age_on,
    cn_date,
    cn_datetime,
    cn_numeral,
    dispute_name,
    joined,
    money,
    request_items,
)
from tiaojie.documents.kinds import FULL_IDENTITY, OFFICIAL_TITLES, Kind
from tiaojie.documents.models import DrawnSignature
from tiaojie.documents.selectors import APPLIED

if TYPE_CHECKING:
    from django.db import models

    from tiaojie.cases.models import (
        Agreement,
        Case,
        FollowUp,
        InvestigationRecord,
        JudicialConfirmation,
        MediationSession,
        Party,
    )

Context = dict[str, Any]
INITIATIVE = frozenset({CaseSource.INITIATIVE, CaseSource.GRID, CaseSource.SCREENING})


class CaseFacts:
    """A case with what every document reads from it, loaded once (a whole file renders a
    dozen documents from one of these)."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.parties: list[Party] = list(case.parties.all())
        active = case.mediators.filter(withdrawn_at__isnull=True).select_related("mediator")
        ordered = sorted(active, key=lambda m: (not m.is_presiding, m.assigned_at, m.pk))
        self.mediators = [m.mediator.full_name for m in ordered]
        self.presiding = next((m.mediator.full_name for m in ordered if m.is_presiding), "")
        # An online application has no registrar (the citizen applied: tiaojie.public).
        self.registrar = case.registered_by.full_name if case.registered_by else ""
        archived = case.transitions.filter(to_status=CaseStatus.ARCHIVED).last()
        self.archived_by = archived.actor_name if archived else ""

    def reason_for(self, *actions: str) -> str:
        """What the user wrote when making the last of these moves (declining, ending)."""
        move = self.case.transitions.filter(action__in=actions).last()
        return move.reason if move else ""


def _party(party: Party, *, full_identity: bool, on: Any) -> Context:
    id_number, phone, address = party.id_number or "", party.phone or "", party.address or ""
    if not full_identity:
        id_number, phone, address = (
            mask_id_number(id_number),
            mask_phone(phone) if phone else "",
            mask_address(address),
        )
    return {
        "role": texts.ROLES.get(party.role, ""),
        "kind": texts.KINDS.get(party.kind, ""),
        "name": party.name,
        "gender": texts.GENDERS.get(party.gender, ""),
        "ethnicity": party.ethnicity,
        "age": age_on(party.birth_date, on),
        "birth_date": cn_date(party.birth_date),
        "occupation": party.occupation,
        "id_number": id_number,
        "phone": phone,
        "address": address,
        "credit_code": party.credit_code,
        "legal_representative": party.legal_representative,
        "agent_name": party.agent_name,
        "agent_authority": party.agent_authority,
    }


def common(facts: CaseFacts, kind: Kind, *, full_identity: bool) -> Context:
    """What every document has; ``full_identity``: the reader may see the parties' identity,
    which is then shown in full where the document needs it."""
    case = facts.case
    full_identity = full_identity and kind in FULL_IDENTITY
    registered = timezone.localtime(case.registered_at).date()
    parties = [_party(p, full_identity=full_identity, on=registered) for p in facts.parties]
    roles = [p.role for p in facts.parties]
    names = [p.name for p in facts.parties]
    applicants = [p for p, role in zip(parties, roles, strict=True) if role == PartyRole.APPLICANT]
    respondents = [
        p for p, role in zip(parties, roles, strict=True) if role == PartyRole.RESPONDENT
    ]
    third_parties = [
        p for p, role in zip(parties, roles, strict=True) if role == PartyRole.THIRD_PARTY
    ]
    first = joined([p["name"] for p in applicants]) or (names[0] if names else "")
    others = joined([p["name"] for p in respondents])
    dispute = dispute_name(case.dispute_type.name)
    return {
        "committee": {"name": case.committee.name},
        "case": {
            "number": case.number,
            "title": f"{first}与{others}{dispute}" if others else f"{first}{dispute}",
            "dispute_type": dispute,
            "source": texts.SOURCES.get(case.source, ""),
            "referral_body": case.referral_body,
            "summary": case.summary,
            "narrative": case.narrative or case.summary,
            "requests": case.requests,
            "request_items": request_items(case.requests),
            "amount": money(case.amount),
            "registered_on": cn_date(registered),
            "accepted_on": cn_date(case.accepted_on),
            "closed_on": cn_date(case.closed_on),
            "mediators": joined(facts.mediators),
            "presiding_mediator": facts.presiding
            or (facts.mediators[0] if facts.mediators else ""),
            "registered_by": facts.registrar,
            "party_names": joined(names),
        },
        "parties": parties,
        "applicants": applicants,
        "respondents": respondents,
        "third_parties": third_parties,
        "document": {
            "title": OFFICIAL_TITLES[kind],
            "generated_on": cn_date(timezone.localdate()),
        },
    }


def file_info(
    facts: CaseFacts, *, documents: int | None = None, pages: int | None = None
) -> Context:
    case = facts.case
    return {
        "mediation_from": cn_date(case.accepted_on),
        "mediation_to": cn_date(case.closed_on),
        "filed_by": facts.archived_by,
        "filed_on": cn_date(case.archived_on),
        "retention": settings.TIAOJIE_FILE_RETENTION,
        "documents": "" if documents is None else str(documents),
        "pages": "" if pages is None else str(pages),
    }


def _registration(facts: CaseFacts) -> Context:
    case = facts.case
    source = case.source

    def tick(on: bool) -> str:
        return texts.TICKED if on else texts.UNTICKED

    return {
        "date": cn_date(case.accepted_on or case.registered_at),
        "applied": tick(source in APPLIED),
        "initiative": tick(source in INITIATIVE),
        "referred": tick(source not in APPLIED | INITIATIVE),
        "registrar": facts.registrar,
    }


def _notice(facts: CaseFacts) -> Context:
    told = facts.case.sessions.filter(rights_told=True).first()
    return {
        "paragraphs": list(texts.RIGHTS_NOTICE),
        "date": cn_date(told.held_at) if told else cn_date(facts.case.accepted_on),
    }


def _decision(facts: CaseFacts, kind: Kind) -> Context:
    case = facts.case
    if kind == Kind.DECLINE_NOTICE:
        reason = texts.DECLINE_REASONS.get(case.decline_reason, "")
        detail, basis = facts.reason_for("decline"), "《人民调解工作若干规定》的有关规定"
    else:
        reason = texts.END_REASONS.get(case.end_reason, "")
        detail = facts.reason_for("fail", "terminate")
        basis = texts.END_BASIS.get(case.end_reason, "")
    return {
        "reason": reason,
        "detail": detail,
        "basis": basis,
        "routes": texts.ROUTES,
        "date": cn_date(case.closed_on),
    }


def _investigation(record: InvestigationRecord) -> Context:
    return {
        "held_at": cn_datetime(record.held_at),
        "place": record.place,
        "interviewee": record.interviewee,
        "investigators": record.investigators,
        "recorder": record.recorder,
        "content": record.content,
    }


def _session(facts: CaseFacts, record: MediationSession) -> Context:
    return {
        "held_at": cn_datetime(record.held_at),
        "date": cn_date(record.held_at),
        "place": record.place,
        "matter": facts.case.summary,
        "parties_present": record.parties_present,
        "participants": record.participants,
        "mediators": joined(facts.mediators),
        "recorder": record.recorder,
        "content": record.content,
    }


def _agreement(facts: CaseFacts, agreement: Agreement) -> Context:
    session = facts.case.sessions.filter(held_at__date__lte=agreement.formed_on).last()
    session = session or facts.case.sessions.last()
    return {
        "number": agreement.number,
        "facts": agreement.facts,
        "content": agreement.content,
        "performance_manner": agreement.performance_manner,
        "performance_place": agreement.performance_place,
        "performance_deadline": cn_date(agreement.performance_deadline),
        "formed_on": cn_date(agreement.formed_on),
        "effective_on": cn_date(agreement.effective_on),
        "copies": cn_numeral(len(facts.parties) + 1),
        "mediator": facts.presiding or agreement.created_by.full_name,
        "recorder": session.recorder if session else "",
    }


def _follow_up(facts: CaseFacts, record: FollowUp) -> Context:
    agreement = facts.case.agreements.filter(formed_on__lte=record.visited_on).last()
    return {
        "visited_on": cn_date(record.visited_on),
        "method": texts.FOLLOW_UP_METHODS.get(record.method, ""),
        "party_visited": record.party_visited,
        "agreement_number": agreement.number if agreement else "",
        "reason": texts.FOLLOW_UP_REASON,
        "performance": texts.PERFORMANCE.get(record.performance, ""),
        "satisfaction": texts.SATISFACTION.get(record.satisfaction, ""),
        "escalation": "有" if record.escalation_risk else "无",
        "notes": record.notes,
        "visitor": record.visitor.full_name,
    }


def _confirmation(facts: CaseFacts, record: JudicialConfirmation) -> Context:
    agreement = facts.case.agreements.filter(formed_on__lte=record.applied_on).last()
    return {
        "agreement": _agreement(facts, agreement) if agreement else {},
        "confirmation": {
            "court": record.court,
            "applied_on": cn_date(record.applied_on),
            "promises": list(texts.CONFIRMATION_PROMISES),
        },
    }


def document_context(
    facts: CaseFacts,
    kind: Kind,
    record: models.Model | None = None,
    *,
    full_identity: bool,
    file: Context | None = None,
    rows: list[Context] | None = None,
) -> Context:
    """Everything the template of ``kind`` may print about this case (and record)."""
    context = common(facts, kind, full_identity=full_identity)
    if kind in (Kind.COVER, Kind.BACK_COVER):
        context["file"] = file or file_info(facts)
    elif kind == Kind.CONTENTS:
        context["rows"] = rows or []
    elif kind == Kind.APPLICATION:
        context["consent"] = texts.CONSENT
    elif kind == Kind.REGISTRATION:
        context["registration"] = _registration(facts)
    elif kind == Kind.RIGHTS_NOTICE:
        context["notice"] = _notice(facts)
    elif kind in (Kind.DECLINE_NOTICE, Kind.TERMINATION_NOTICE):
        context["decision"] = _decision(facts, kind)
    elif kind == Kind.INVESTIGATION:
        context["record"] = _investigation(record)  # type: ignore[arg-type]
    elif kind == Kind.MEDIATION_RECORD:
        context["record"] = _session(facts, record)  # type: ignore[arg-type]
    elif kind in (Kind.AGREEMENT, Kind.ORAL_AGREEMENT):
        context["agreement"] = _agreement(facts, record)  # type: ignore[arg-type]
        _signed_on_phone(context, facts, record)  # type: ignore[arg-type]
    elif kind == Kind.FOLLOW_UP:
        context["record"] = _follow_up(facts, record)  # type: ignore[arg-type]
    elif kind == Kind.CONFIRMATION_APPLICATION:
        context |= _confirmation(facts, record)  # type: ignore[arg-type]
    return context


def _signed_on_phone(context: Context, facts: CaseFacts, agreement: Agreement) -> None:
    """An agreement signed on the phone carries each party's drawn signature in that party's
    block, the mediator's electronic signature and the committee's seal once applied. An
    agreement signed on paper is printed with empty lines, as before."""
    drawn = {
        d.signature.party_id: d
        for d in DrawnSignature.objects.filter(signature__agreement=agreement).select_related(
            "signature"
        )
    }
    context["agreement"]["online"] = bool(drawn)
    context["agreement"]["mediator_signed_on"] = cn_date(agreement.mediator_signed_on)
    context["agreement"]["sealed_on"] = cn_date(agreement.sealed_on)
    parties = []
    for party, values in zip(facts.parties, context["parties"], strict=True):
        mine = drawn.get(party.pk)
        image = base64.b64encode(bytes(mine.png)).decode("ascii") if mine else ""
        parties.append(
            {
                **values,  # a copy: the applicants' and respondents' lists stay as they are
                "drawn": f"data:image/png;base64,{image}" if mine else "",
                "drawn_on": cn_date(timezone.localtime(mine.signed_at).date()) if mine else "",
            }
        )
    context["parties"] = parties
