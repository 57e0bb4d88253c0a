"""The agreement: drawn up in mediation, signed by every party and the mediator and sealed by
the committee (written, art. 29), or registered with its content and date (oral, art. 30)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases import casefile
from tiaojie.cases.choices import AgreementKind, CaseStatus, PartyKind
from tiaojie.cases.error_codes import CasesErrorCode as E
from tiaojie.cases.models import Agreement, AgreementSignature, Case, Party
from tiaojie.cases.services.common import (
    bump,
    check_version,
    lock_case,
    not_future,
    require_status,
)
from tiaojie.cases.workflow import Action, transition
from tiaojie.core import events
from tiaojie.core.errors import Conflict, ValidationFailed, field_error

if TYPE_CHECKING:
    from tiaojie.accounts.models import User


def _current(case: Case) -> Agreement:
    agreement = case.agreements.filter(superseded_at__isnull=True).first()
    if agreement is None:
        raise Conflict(E.AGREEMENT_REQUIRED, _("Draw up the agreement first."))
    return agreement


def _settle(agreement: Agreement) -> None:
    """Record the day the agreement took effect, once nothing is missing."""
    if agreement.effective_on is not None:
        return
    if agreement.kind == AgreementKind.ORAL:
        agreement.effective_on = agreement.formed_on
    elif not casefile.missing_signatures(agreement):
        dates = [
            agreement.mediator_signed_on,
            agreement.sealed_on,
            *agreement.signatures.values_list("signed_on", flat=True),
        ]
        agreement.effective_on = max(d for d in dates if d is not None)
    agreement.save(update_fields=["effective_on"])
    if agreement.effective_on is not None:
        events.publish(
            "agreement.in_effect",
            {
                "case_id": agreement.case_id,
                "agreement_id": agreement.pk,
                "number": agreement.number,
                "effective_on": agreement.effective_on,
            },
        )


@transaction.atomic
def agreement_draw_up(
    *,
    actor: User,
    case: Case,
    kind: str,
    facts: str,
    content: str,
    performance_manner: str,
    formed_on: dt.date,
    performance_place: str = "",
    performance_deadline: dt.date | None = None,
    version: int | None = None,
) -> Agreement:
    """Write down what the parties agreed. An oral agreement takes effect on ``formed_on``."""
    locked = lock_case(actor, case)
    check_version(locked, version)
    require_status(locked, CaseStatus.IN_MEDIATION)
    if locked.agreements.filter(superseded_at__isnull=True).exists():
        raise Conflict(E.AGREEMENT_EXISTS, _("This case already has an agreement."))
    errors = {
        name: [_("This field is required.")]
        for name, value in {
            "facts": facts,
            "content": content,
            "performance_manner": performance_manner,
        }.items()
        if not value.strip()
    }
    if kind not in AgreementKind.values:
        errors["kind"] = [_("Choose a written or an oral agreement.")]
    if errors:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    not_future(formed_on, "formed_on")
    if performance_deadline is not None and performance_deadline < formed_on:
        raise field_error(
            "performance_deadline", _("The deadline cannot come before the agreement.")
        )
    count = Agreement.objects.filter(case=locked).count()
    agreement = Agreement.objects.create(
        case=locked,
        kind=kind,
        number=f"{locked.number}协{count + 1}",
        facts=facts.strip(),
        content=content.strip(),
        performance_manner=performance_manner.strip(),
        performance_place=performance_place.strip(),
        performance_deadline=performance_deadline,
        formed_on=formed_on,
        created_by=actor,
    )
    _settle(agreement)
    bump(locked)
    audit.record(
        EventType.AGREEMENT_DRAFTED,
        actor=actor,
        organisation=locked.committee,
        obj=locked,
        after={"agreement": agreement.number, "kind": kind},
    )
    return agreement


@transaction.atomic
def agreement_sign(
    *,
    actor: User,
    case: Case,
    party: Party | None = None,
    signed_on: dt.date,
    fingerprinted: bool = True,
    by_agent: bool = False,
    mediator: bool = False,
    seal: bool = False,
    version: int | None = None,
) -> Agreement:
    """Record one signature on the written agreement: a party's (with fingerprint), the
    mediator's, or the committee's seal. The agreement takes effect with the last one."""
    locked = lock_case(actor, case)
    check_version(locked, version)
    require_status(locked, CaseStatus.IN_MEDIATION)
    agreement = _current(locked)
    if agreement.kind != AgreementKind.WRITTEN:
        raise Conflict(E.ORAL_AGREEMENT, _("An oral agreement is not signed."))
    not_future(signed_on, "signed_on")
    if signed_on < agreement.formed_on:
        raise field_error("signed_on", _("A signature cannot come before the agreement."))
    what: str
    if party is not None:
        if party.case_id != locked.pk:
            raise field_error("party", _("This person is not a party to the case."))
        _signature, created = AgreementSignature.objects.get_or_create(
            agreement=agreement,
            party=party,
            defaults={
                "signed_on": signed_on,
                "fingerprinted": fingerprinted,
                "signed_by_agent": by_agent,
            },
        )
        if not created:
            raise Conflict(E.ALREADY_SIGNED, _("This party has already signed."))
        what = f"party {party.pk}"
    elif mediator:
        agreement.mediator_signed_on = signed_on
        agreement.save(update_fields=["mediator_signed_on"])
        what = "mediator"
    elif seal:
        # Art. 29 names the seal after the signatures; a document signed on the phone is
        # hashed once sealed, so nothing may be added to it afterwards.
        if agreement.mediator_signed_on is None or (
            agreement.signatures.count() < locked.parties.count()
        ):
            raise Conflict(
                E.SEAL_LAST,
                _(
                    "The committee's seal is applied last, once every party and the mediator "
                    "have signed."
                ),
            )
        agreement.sealed_on = signed_on
        agreement.save(update_fields=["sealed_on"])
        what = "seal"
    else:
        raise field_error("party", _("Say who signs."))
    _settle(agreement)
    bump(locked)
    audit.record(
        EventType.AGREEMENT_SIGNED,
        actor=actor,
        organisation=locked.committee,
        obj=locked,
        after={
            "agreement": agreement.number,
            "signed": what,
            "effective_on": agreement.effective_on,
        },
    )
    return agreement


@transaction.atomic
def agreement_sign_online(*, case: Case, party: Party, signed_on: dt.date) -> AgreementSignature:
    """A party signs the written agreement on their phone (``tiaojie.public``: a drawn
    signature and a one-time code). No staff actor: the public side checked who signs and
    records how. Only before the mediator and the seal, which come last."""
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    require_status(locked, CaseStatus.IN_MEDIATION)
    agreement = _current(locked)
    if agreement.kind != AgreementKind.WRITTEN:
        raise Conflict(E.ORAL_AGREEMENT, _("An oral agreement is not signed."))
    if party.case_id != locked.pk:
        raise field_error("party", _("This person is not a party to the case."))
    if agreement.mediator_signed_on is not None or agreement.sealed_on is not None:
        raise Conflict(
            E.SIGNING_CLOSED, _("The mediator has already signed: the agreement is closed.")
        )
    signature, created = AgreementSignature.objects.get_or_create(
        agreement=agreement,
        party=party,
        defaults={"signed_on": signed_on, "fingerprinted": False, "signed_by_agent": False},
    )
    if not created:
        raise Conflict(E.ALREADY_SIGNED, _("This party has already signed."))
    _settle(agreement)
    bump(locked)
    audit.record(
        EventType.AGREEMENT_SIGNED,
        actor=None,
        organisation=locked.committee,
        obj=locked,
        after={"agreement": agreement.number, "signed": f"party {party.pk}", "online": True},
    )
    return signature


@dataclass(frozen=True)
class PartySignature:
    """One party signing: a person with or without a fingerprint, an organisation under its
    seal (never fingerprinted), either possibly through its agent."""

    party: Party
    fingerprinted: bool = True
    by_agent: bool = False


@dataclass(frozen=True)
class SignedParty:
    party_id: int
    name: str
    kind: str
    signed: bool
    signed_on: dt.date | None
    fingerprinted: bool
    by_agent: bool


@dataclass(frozen=True)
class AgreementState:
    """Where the written agreement stands: who has signed, what is missing, whether it is in
    effect (and the case's status, which moves to agreed when it takes effect)."""

    agreement_id: int
    number: str
    kind: str
    parties: list[SignedParty]
    mediator_signed_on: dt.date | None
    sealed_on: dt.date | None
    missing: list[str]
    effective_on: dt.date | None
    case_status: str

    @property
    def in_effect(self) -> bool:
        return self.effective_on is not None


def agreement_state(case: Case) -> AgreementState:
    """The current agreement's signatures and what it still lacks: three queries."""
    agreement = _current(case)
    signatures = {s.party_id: s for s in agreement.signatures.all()}
    parties = [
        SignedParty(
            party_id=p.pk,
            name=p.name,
            kind=p.kind,
            signed=p.pk in signatures,
            signed_on=signatures[p.pk].signed_on if p.pk in signatures else None,
            fingerprinted=p.pk in signatures and signatures[p.pk].fingerprinted,
            by_agent=p.pk in signatures and signatures[p.pk].signed_by_agent,
        )
        for p in case.parties.all()
    ]
    missing = (
        [_("the signature of %(name)s") % {"name": p.name} for p in parties if not p.signed]
        if agreement.kind == AgreementKind.WRITTEN
        else []
    )
    if agreement.kind == AgreementKind.WRITTEN:
        if agreement.mediator_signed_on is None:
            missing.append(_("the mediator's signature"))
        if agreement.sealed_on is None:
            missing.append(_("the committee's seal"))
    return AgreementState(
        agreement_id=agreement.pk,
        number=agreement.number,
        kind=agreement.kind,
        parties=parties,
        mediator_signed_on=agreement.mediator_signed_on,
        sealed_on=agreement.sealed_on,
        missing=missing,
        effective_on=agreement.effective_on,
        case_status=case.status,
    )


@transaction.atomic
def agreement_signatures_record(
    *,
    actor: User,
    case: Case,
    signed_on: dt.date,
    parties: Sequence[PartySignature] = (),
    mediator: bool = False,
    seal: bool = False,
    version: int | None = None,
) -> AgreementState:
    """Record, at one sitting, the signatures of several parties, the mediator's and the seal.
    All are recorded or none. When the last one puts the agreement in effect the case moves to
    agreed at once: there is nothing left for the mediator to confirm."""
    if not parties and not mediator and not seal:
        raise field_error("parties", _("Say who signs."))
    seen: set[int] = set()
    for entry in parties:
        if entry.party.pk in seen:
            raise field_error("parties", _("A party is listed twice."))
        seen.add(entry.party.pk)
    current_version = version
    agreement: Agreement | None = None
    for entry in parties:
        is_person = entry.party.kind == PartyKind.PERSON
        agreement = agreement_sign(
            actor=actor,
            case=case,
            party=entry.party,
            signed_on=signed_on,
            fingerprinted=entry.fingerprinted and is_person,
            by_agent=entry.by_agent,
            version=current_version,
        )
        current_version = None  # checked against what the user read, once
    if mediator:
        agreement = agreement_sign(
            actor=actor, case=case, mediator=True, signed_on=signed_on, version=current_version
        )
        current_version = None
    if seal:
        agreement = agreement_sign(
            actor=actor, case=case, seal=True, signed_on=signed_on, version=current_version
        )
    assert agreement is not None  # noqa: S101 - at least one was recorded above
    fresh = Case.objects.get(pk=case.pk)
    if agreement.effective_on is not None and fresh.status == CaseStatus.IN_MEDIATION:
        fresh = transition(actor=actor, case=fresh, action=Action.REACH_AGREEMENT)
    return agreement_state(fresh)
