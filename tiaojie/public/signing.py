"""Signing the agreement on the phone (issue 15): the party draws a signature on the screen
and confirms with a one-time code texted to the number the committee has for them. The
party's signature record (``cases``) gets the drawing and the signing log (``documents``);
the audit trail gets who, when, from which address, on which device, with the SHA-256 of the
agreement as it then stood. The mediator signs after the parties, and the seal comes last;
then ``documents`` keeps the signed PDF and its hash for the public verification page."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.choices import AgreementKind, CaseStatus
from tiaojie.cases.models import Agreement, AgreementSignature, Case, Party
from tiaojie.cases.services.agreements import agreement_sign_online
from tiaojie.core.errors import Conflict, ValidationFailed
from tiaojie.core.validators import MOBILE, normalise_phone
from tiaojie.documents import signing as documents_signing
from tiaojie.documents.models import DrawnSignature, SignedDocument
from tiaojie.public import codes
from tiaojie.public.choices import CodePurpose
from tiaojie.public.error_codes import PublicErrorCode as E
from tiaojie.public.models import Citizen

DATA_URL_PREFIX = "data:image/png;base64,"


@dataclass(frozen=True)
class SigningState:
    """What a party sees on the signing page."""

    agreement: Agreement | None
    signed: AgreementSignature | None
    may_sign: bool
    signed_document: SignedDocument | None
    # Why the party may not sign yet although nothing else stops them ("" otherwise).
    waits_for: str = ""


def state_for(case: Case, party: Party) -> SigningState:
    """The current written agreement, whether this party signed it, whether they may sign now
    (in mediation, before the mediator's signature and the seal), and the signed PDF kept
    once sealed."""
    agreement = case.agreements.filter(superseded_at__isnull=True).first()
    if agreement is None or agreement.kind != AgreementKind.WRITTEN:
        return SigningState(None, None, False, None)
    signed = AgreementSignature.objects.filter(agreement=agreement, party=party).first()
    open_to_sign = (
        signed is None
        and case.status == CaseStatus.IN_MEDIATION
        and agreement.mediator_signed_on is None
        and agreement.sealed_on is None
        and bool(party.phone)
    )
    # An agreement comes out of mediation: nobody signs one before a session is on record,
    # which the seal would refuse anyway, after every party had signed for nothing.
    waits_for = ""
    if open_to_sign and not case.sessions.exists():
        waits_for = _(
            "The agreement can be signed once the mediator has recorded a mediation session."
        )
    document = SignedDocument.objects.filter(agreement=agreement).first()
    return SigningState(agreement, signed, open_to_sign and not waits_for, document, waits_for)


def _refuse_unless_signable(state: SigningState) -> None:
    if state.waits_for:
        raise Conflict(E.SESSION_REQUIRED, state.waits_for)
    if not state.may_sign:
        raise Conflict(E.NOT_SIGNABLE, _("There is nothing for you to sign now."))


def _phone_of(party: Party) -> str:
    phone = normalise_phone(party.phone or "")
    if not MOBILE.match(phone):
        raise Conflict(
            E.NO_MOBILE, _("The committee has no mobile number for you: sign at the committee.")
        )
    return phone


def signing_code_send(*, case: Case, party: Party, source: str | None) -> None:
    """Text a signing code to the party's number on file (limited as sign-in codes are)."""
    _refuse_unless_signable(state_for(case, party))
    codes.code_send(phone=_phone_of(party), source=source, purpose=CodePurpose.SIGN)
    audit.record(
        EventType.SIGNING_CODE_SENT,
        actor=None,
        organisation=case.committee,
        obj=case,
        after={"party": party.pk},
    )


def _drawing(data_url: str) -> bytes:
    refused = ValidationFailed(
        E.SIGNATURE_INVALID,
        _("Draw your signature in the box."),
        fields={"signature": [_("Draw your signature in the box.")]},
    )
    if not data_url.startswith(DATA_URL_PREFIX):
        raise refused
    try:
        png = base64.b64decode(data_url[len(DATA_URL_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise refused from None
    return documents_signing.check_drawing(png)


def sign_on_phone(
    *,
    case: Case,
    party: Party,
    drawing: str,
    code: str,
    source: str | None,
    user_agent: str,
    citizen: Citizen | None = None,
) -> DrawnSignature:
    """The party signs: the drawing is checked first (a bad drawing costs no try of the
    code), then the code (in its own transaction: a wrong try counts), then the signature,
    its drawing and log are recorded together."""
    png = _drawing(drawing)
    _refuse_unless_signable(state_for(case, party))
    codes.code_check(phone=_phone_of(party), code=code, purpose=CodePurpose.SIGN)
    with transaction.atomic():
        now = timezone.now()
        signature = agreement_sign_online(case=case, party=party, signed_on=timezone.localdate())
        drawn = documents_signing.keep_drawing(
            signature=signature, png=png, signed_at=now, source=source, user_agent=user_agent
        )
        agreement = signature.agreement
        audit.record(
            EventType.AGREEMENT_SIGNED_ON_PHONE,
            actor=None,
            organisation=case.committee,
            obj=case,
            after={
                "agreement": agreement.number,
                "party": party.pk,
                "citizen": citizen.audit_label if citizen else "",
                "by": "applicant" if citizen else "link",
                "signed_at": now.isoformat(),
                "source": source or "",
                "user_agent": drawn.user_agent,
                "drawing_sha256": drawn.png_sha256,
                # The agreement as it stood once this party signed.
                "pdf_sha256": documents_signing.sha256(
                    documents_signing.render_agreement(agreement)
                ),
            },
        )
    return drawn
