"""Agreements signed on the phone (issue 15, tiaojie.public): the drawn signatures kept with
each party's signature record, and the signed PDF rendered once the seal is applied, hashed
(SHA-256), kept, and its hash and signing log written to the audit trail. The public
verification page looks a PDF or a hash up here and learns only the kind and the date."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.models import Agreement, AgreementSignature
from tiaojie.core.errors import ValidationFailed
from tiaojie.documents import pdf
from tiaojie.documents.context import CaseFacts, document_context
from tiaojie.documents.error_codes import DocumentsErrorCode as E
from tiaojie.documents.kinds import Kind
from tiaojie.documents.models import DrawnSignature, SignedDocument

# A drawn signature is small: a few strokes on a canvas the width of a phone.
MAX_PNG_BYTES = 300_000
MAX_SIDE = 2000
HEX64 = re.compile(r"^[0-9a-f]{64}$")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_drawing(png: bytes) -> bytes:
    """The bytes of a real PNG, of sensible size, with something drawn on it; otherwise a
    clear refusal (an empty canvas is not a signature)."""
    refused = ValidationFailed(
        E.SIGNATURE_INVALID,
        _("Draw your signature in the box."),
        fields={"signature": [_("Draw your signature in the box.")]},
    )
    if not png.startswith(b"\x89PNG\r\n\x1a\n") or len(png) > MAX_PNG_BYTES:
        raise refused
    try:
        with Image.open(io.BytesIO(png)) as image:
            if max(image.size) > MAX_SIDE:
                raise refused
            alpha = image.convert("RGBA").getchannel("A")
            if alpha.getbbox() is None:  # nothing drawn
                raise refused
    except (UnidentifiedImageError, OSError, ValueError):
        raise refused from None
    return png


def keep_drawing(
    *,
    signature: AgreementSignature,
    png: bytes,
    signed_at: dt.datetime,
    source: str | None,
    user_agent: str,
) -> DrawnSignature:
    """Keep the drawing with the party's signature record, with the signing log."""
    return DrawnSignature.objects.create(
        signature=signature,
        png=png,
        png_sha256=sha256(png),
        signed_at=signed_at,
        source=source,
        user_agent=user_agent[:300],
    )


def render_agreement(agreement: Agreement) -> bytes:
    """The agreement as PDF with the drawn signatures (the parties' identity masked: the copy
    each party downloads must not show the other's ID number or phone)."""
    facts = CaseFacts(agreement.case)
    context = document_context(facts, Kind.AGREEMENT, agreement, full_identity=False)
    return pdf.write(pdf.render(Kind.AGREEMENT, context))


def signing_log(agreement: Agreement) -> list[dict[str, object]]:
    """Who signed on the phone, when, from which address, with which device."""
    return [
        {
            "party": d.signature.party_id,
            "signed_at": d.signed_at.isoformat(),
            "source": d.source or "",
            "user_agent": d.user_agent,
            "drawing_sha256": d.png_sha256,
        }
        for d in DrawnSignature.objects.filter(signature__agreement=agreement)
        .select_related("signature")
        .order_by("signed_at", "pk")
    ]


@transaction.atomic
def seal_signed_agreement(agreement_id: int) -> SignedDocument | None:
    """Once an agreement signed on the phone is in effect (the mediator signed, the seal came
    last), render it, keep the PDF and its SHA-256, and audit the hash with the signing log.
    Idempotent: a second call returns the kept document. Paper agreements are left alone."""
    agreement = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("case__committee", "created_by")
        .filter(pk=agreement_id)
        .first()
    )
    if agreement is None or agreement.sealed_on is None:
        return None
    kept = SignedDocument.objects.filter(agreement=agreement).first()
    if kept is not None:
        return kept
    if not DrawnSignature.objects.filter(signature__agreement=agreement).exists():
        return None
    data = render_agreement(agreement)
    document = SignedDocument.objects.create(
        kind=Kind.AGREEMENT,
        case=agreement.case,
        agreement=agreement,
        sha256=sha256(data),
        pdf=data,
        sealed_on=agreement.sealed_on,
    )
    audit.record(
        EventType.SIGNED_AGREEMENT_HASHED,
        actor=None,
        organisation=agreement.case.committee,
        obj=agreement.case,
        after={
            "agreement": agreement.number,
            "sha256": document.sha256,
            "signed_on_phone": signing_log(agreement),
            "mediator_signed_on": agreement.mediator_signed_on,
            "sealed_on": agreement.sealed_on,
        },
    )
    return document


def verify(value: str) -> SignedDocument | None:
    """The signed document with this SHA-256 (hex, any case), or none."""
    value = value.strip().lower()
    if not HEX64.match(value):
        return None
    return SignedDocument.objects.filter(sha256=value).first()
