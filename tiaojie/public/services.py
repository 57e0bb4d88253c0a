"""The public side's business rules: signing citizens in, the real-name step, applying online
(through the cases intake service), the respondent's invitation and answers (their own or
entered by a mediator), and messages on a case. Every change is audited; the trail names the
citizen by number only."""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
import uuid
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.selectors import directors_of
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.choices import CLOSED_STATUSES, CaseSource, PartyKind, PartyRole
from tiaojie.cases.models import Case, DisputeType, Party
from tiaojie.cases.services.attachments import check_file
from tiaojie.cases.services.intake import CaseData, PartyData, case_apply_online
from tiaojie.core.crypto import blind_index, refresh_blind_indexes
from tiaojie.core.errors import Conflict, ValidationFailed, field_error
from tiaojie.core.validators import (
    MOBILE,
    normalise_id_number,
    normalise_phone,
    validate_id_number,
)
from tiaojie.mediators.choices import MediatorStatus
from tiaojie.mediators.models import Mediator
from tiaojie.notifications.services import notify
from tiaojie.organisations.choices import OrganisationKind, OrganisationStatus
from tiaojie.organisations.models import Organisation
from tiaojie.public import codes, interview, sms
from tiaojie.public.choices import Answer, ReminderVariant, Sender
from tiaojie.public.error_codes import PublicErrorCode as E
from tiaojie.public.models import (
    Application,
    Citizen,
    Draft,
    Evidence,
    Invitation,
    Message,
    Rating,
)

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

MAX_EVIDENCE_FILES = 6


def clean_mobile(value: str) -> str:
    """A mainland mobile number in its normal form, or a field error on ``phone``."""
    phone = normalise_phone(value or "")
    if not MOBILE.match(phone):
        raise field_error("phone", _("Enter an 11-digit mobile number."), E.PHONE_FORMAT)
    return phone


# --- Signing in ---------------------------------------------------------------------------


def sign_in_start(*, phone: str, source: str | None) -> None:
    """Send a code to the number; the same answer whether a citizen has it or not."""
    codes.code_send(phone=clean_mobile(phone), source=source)


def sign_in_finish(*, phone: str, code: str) -> Citizen:
    """Check the code; the citizen with that number, created on first sign-in. The check
    runs in its own transaction: a wrong try must count even though the sign-in fails."""
    number = clean_mobile(phone)
    codes.code_check(phone=number, code=code)
    return _citizen_signed_in(number)


@transaction.atomic
def _citizen_signed_in(number: str) -> Citizen:
    index = codes.phone_index(number)
    citizen = Citizen.objects.filter(phone_index=index).first()
    if citizen is None:
        citizen = Citizen(phone=number)
        refresh_blind_indexes(citizen)
    citizen.last_signed_in_at = timezone.now()
    citizen.save()
    audit.record(EventType.CITIZEN_SIGNED_IN, actor=None, obj=citizen)
    return citizen


@transaction.atomic
def sign_out(*, citizen: Citizen) -> None:
    """End every session of the citizen (the signed cookies carry the old version)."""
    Citizen.objects.filter(pk=citizen.pk).update(session_version=citizen.session_version + 1)
    audit.record(EventType.CITIZEN_SIGNED_OUT, actor=None, obj=citizen)


@transaction.atomic
def real_name_give(*, citizen: Citizen, name: str, id_number: str) -> Citizen:
    """The real-name step: name and an ID number whose check digit and region code hold
    (GB 11643, docs/decisions/0009), kept encrypted. Given once; a change goes through the
    committee."""
    if citizen.is_verified:
        raise Conflict(E.ALREADY_VERIFIED, _("Your real name is already recorded."))
    errors: dict[str, list[str]] = {}
    name = " ".join(name.split())
    if not name or len(name) > 60:
        errors["name"] = [_("Enter your name as on your ID card.")]
    number = normalise_id_number(id_number or "")
    try:
        validate_id_number(number)
    except ValidationError as exc:
        errors["id_number"] = list(exc.messages)
    if errors:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    citizen.name = name
    citizen.id_number = number
    citizen.verified_at = timezone.now()
    refresh_blind_indexes(citizen)
    citizen.save()
    audit.record(EventType.CITIZEN_VERIFIED, actor=None, obj=citizen)
    return citizen


# --- The interview ---------------------------------------------------------------------------


def draft_of(citizen: Citizen) -> Draft:
    draft, _created = Draft.objects.get_or_create(citizen=citizen)
    return draft


def draft_start(*, citizen: Citizen, dispute_type: DisputeType) -> Draft:
    """Begin (or begin again) with a dispute type: earlier answers are dropped."""
    if not DisputeType.objects.valid_on(timezone.localdate()).filter(pk=dispute_type.pk).exists():
        raise field_error("dispute_type", _("This dispute type is no longer in use."))
    draft = draft_of(citizen)
    draft.dispute_type = dispute_type
    draft.answers = []
    draft.save()
    return draft


def draft_answer(*, draft: Draft, question_id: str, value: str) -> Draft:
    """Record the answer to the question the interview is at; the next question follows from
    it. An answer to any other question is refused (a stale or forged form)."""
    if draft.dispute_type is None:
        raise Conflict(E.NO_TYPE, _("Choose the kind of dispute first."))
    tree = interview.tree_for(draft.dispute_type.code)
    question = interview.next_question(tree, draft.answers)
    if question is None or question.id != question_id:
        raise Conflict(E.STALE, _("This question was already answered. Continue below."))
    value = (value or "").strip()
    if question.is_choice and value not in {o.value for o in question.options}:
        raise field_error("value", _("Choose one of the answers."))
    if not question.is_choice and not value:
        raise field_error("value", _("Write an answer."))
    if len(value) > 500:
        raise field_error("value", _("Keep the answer under 500 characters."))
    draft.answers = [*interview.path_of(tree, draft.answers), {"id": question.id, "value": value}]
    draft.save()
    return draft


def draft_back(*, draft: Draft) -> Draft:
    """Take back the last answer."""
    if draft.dispute_type is not None and draft.answers:
        tree = interview.tree_for(draft.dispute_type.code)
        draft.answers = interview.path_of(tree, draft.answers)[:-1]
        draft.save()
    return draft


# --- Applying -----------------------------------------------------------------------------


@dataclasses.dataclass
class ApplicationData:
    summary: str
    requests: str
    respondent_name: str
    respondent_phone: str = ""
    respondent_kind: str = PartyKind.PERSON
    amount: str = ""
    committee: Organisation | None = None
    centre: Organisation | None = None
    # A mediator chosen from the directory: the application goes to their committee.
    mediator: Mediator | None = None
    files: list[UploadedFile] = dataclasses.field(default_factory=list)


def _amount(value: str) -> Decimal | None:
    if not value.strip():
        return None
    try:
        amount = Decimal(value.strip().replace(",", ""))
    except InvalidOperation as exc:
        raise field_error("amount", _("Enter the amount in yuan, e.g. 3600.")) from exc
    if amount < 0 or amount >= Decimal("1e12"):
        raise field_error("amount", _("Enter the amount in yuan, e.g. 3600."))
    return amount.quantize(Decimal("0.01"))


def _wish(data: ApplicationData, committee: Organisation | None) -> str:
    if data.centre is not None:
        return _("Let %(centre)s decide") % {"centre": data.centre.name}
    return committee.name if committee is not None else ""


@transaction.atomic
def application_submit(*, citizen: Citizen, data: ApplicationData, site_url: str) -> Application:
    """The finished interview becomes a case through the cases intake service (source
    ``online``, the same checks as staff intake), lands in a governance centre's queue or a
    committee, keeps its evidence, and tells the respondent by SMS."""
    if not citizen.is_verified:
        raise Conflict(E.NOT_VERIFIED, _("Give your real name before applying."))
    draft = draft_of(citizen)
    if draft.dispute_type is None:
        raise Conflict(E.NO_TYPE, _("Choose the kind of dispute first."))
    tree = interview.tree_for(draft.dispute_type.code)
    if interview.next_question(tree, draft.answers) is not None:
        raise Conflict(E.UNFINISHED, _("Answer the remaining questions first."))
    if len(data.files) > MAX_EVIDENCE_FILES:
        raise field_error(
            "files", _("Send at most %(n)s files.") % {"n": MAX_EVIDENCE_FILES}, E.TOO_MANY_FILES
        )
    checked = [(file, *check_file(file)) for file in data.files]
    respondent_phone = ""
    if data.respondent_phone.strip():
        respondent_phone = clean_mobile(data.respondent_phone)
        if respondent_phone == citizen.phone:
            raise field_error("phone", _("This is your own number."))
    rows = interview.transcript(tree, draft.answers)
    committee = data.committee
    if data.mediator is not None:
        committee = directory_committee_of(data.mediator)
        if committee is None:
            raise field_error("mediator", _("This mediator does not take applications now."))
    # Where the applicant asked to apply stays in the transcript they answered; the committee
    # itself is kept on the case (``wished_committee``, ADR 0041), which routing proposes first.
    if data.centre is not None or committee is not None:
        rows.append([str(_("Where to apply")), _wish(data, committee)])
    if data.mediator is not None:
        rows.append([_("Mediator asked for"), data.mediator.name])
    narrative = "\n".join(f"{q}\n{a}" for q, a in rows)
    case_data = CaseData(
        dispute_type=draft.dispute_type,
        source=CaseSource.ONLINE,
        summary=data.summary.strip()[:200],
        narrative=narrative,
        requests=data.requests.strip(),
        amount=_amount(data.amount),
        parties=[
            PartyData(
                role=PartyRole.APPLICANT,
                name=citizen.name,
                id_number=citizen.id_number,
                phone=citizen.phone,
            ),
            PartyData(
                role=PartyRole.RESPONDENT,
                kind=data.respondent_kind,
                name=data.respondent_name,
                phone=respondent_phone,
            ),
        ],
    )
    try:
        case = case_apply_online(data=case_data, committee=committee, centre=data.centre)
    except ValidationFailed as exc:
        # The intake's party fields say ``parties.1.name``: name them as this form does.
        renamed = {
            key.replace("parties.1.", "respondent_").replace("parties.0.", "applicant_"): value
            for key, value in exc.fields.items()
        }
        raise ValidationFailed(exc.code, exc.message, fields=renamed) from exc
    applicant = case.parties.get(role=PartyRole.APPLICANT)
    respondent = case.parties.get(role=PartyRole.RESPONDENT)
    application = Application.objects.create(
        citizen=citizen,
        case=case,
        party=applicant,
        answers=rows,
        preferred_mediator=data.mediator,
    )
    for file, ext, content_type in checked:
        _keep_evidence(case, citizen, file, ext, content_type)
    if case.wished_committee is not None:
        audit.record(
            EventType.COMMITTEE_WISH_RECORDED,
            actor=None,
            organisation=case.committee,
            obj=case,
            after={
                "wished_committee": case.wished_committee_id,
                "mediator": data.mediator.pk if data.mediator is not None else None,
            },
        )
    audit.record(
        EventType.ONLINE_APPLICATION_SUBMITTED,
        actor=None,
        organisation=case.committee,
        obj=case,
        after={"citizen": citizen.pk, "evidence": len(checked), "holder": case.committee_id},
    )
    draft.delete()
    if respondent_phone:
        invite(case=case, party=respondent, site_url=site_url)
    return application


def directory_committee_of(mediator: Mediator) -> Organisation | None:
    """The active committee where an active mediator serves today (the directory's), or None."""
    today = timezone.localdate()
    if mediator.status != MediatorStatus.ACTIVE:
        return None
    membership = (
        mediator.memberships.filter(
            since__lte=today,
            committee__status=OrganisationStatus.ACTIVE,
            committee__kind=OrganisationKind.COMMITTEE,
        )
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .select_related("committee")
        .order_by("-since")
        .first()
    )
    return membership.committee if membership else None


def evidence_dir(case: Case) -> Path:
    return Path(settings.MEDIA_ROOT) / "public" / str(case.pk)


def _keep_evidence(
    case: Case, citizen: Citizen, file: UploadedFile, ext: str, content_type: str
) -> Evidence:
    folder = evidence_dir(case)
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = f"{uuid.uuid4().hex}{ext}"
    target = folder / stored_name
    digest = hashlib.sha256()
    size = 0
    with target.open("xb") as out:
        for chunk in file.chunks():
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    original = PurePath(file.name or "").name[:200]
    # The row makes the file reachable; a rollback leaves an orphan that is never served.
    return Evidence.objects.create(
        case=case,
        citizen=citizen,
        title=PurePath(original).stem[:120] or original,
        stored_name=stored_name,
        original_name=original,
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
    )


def evidence_downloaded(*, actor: User, evidence: Evidence) -> None:
    """Record that a staff member downloaded a citizen's file (the view checked scope)."""
    audit.record(
        EventType.ATTACHMENT_DOWNLOADED,
        actor=actor,
        organisation=evidence.case.committee,
        obj=evidence.case,
        after={"evidence": evidence.pk, "title": evidence.title},
    )


# --- The respondent ---------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(f"tiaojie.public.invitation:{token}".encode()).hexdigest()


def invite(*, case: Case, party: Party, site_url: str) -> Invitation:
    """Text the respondent a link with an unguessable token (only its hash is kept). The text
    names nobody and no case: only that someone asked a mediation committee to help."""
    token = secrets.token_urlsafe(24)
    invitation = Invitation.objects.create(
        case=case,
        party=party,
        token_hash=token_hash(token),
        token=token,
        sent_at=timezone.now(),
        # Assigned at random and kept: the engagement page compares the variants.
        reminder_variant=secrets.choice(ReminderVariant.values),
    )
    link = f"{site_url.rstrip('/')}/m/r/{token}/"
    sms.send(
        party.phone,
        _(
            "[People's mediation] A mediation committee has been asked to help settle a "
            "dispute that concerns you. Please answer here: %(link)s"
        )
        % {"link": link},
    )
    audit.record(
        EventType.RESPONDENT_INVITED, actor=None, organisation=case.committee, obj=invitation
    )
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    if not token or len(token) > 64:
        return None
    return (
        Invitation.objects.select_related("case", "case__dispute_type", "case__committee")
        .filter(token_hash=token_hash(token))
        .first()
    )


RESPONDENT_STEPS = ("agrees", "proposed_time", "statement")


def respondent_step(invitation: Invitation) -> str | None:
    """The next one-question screen, or None when every question is answered."""
    if not invitation.agrees:
        return "agrees"
    if invitation.agrees == Answer.NO:
        return None if invitation.answered_at else "statement"
    if not invitation.proposed_time:
        return "proposed_time"
    if not invitation.answered_at:
        return "statement"
    return None


@transaction.atomic
def respondent_answer(
    *, invitation: Invitation, step: str, value: str, proxy: User | None = None
) -> Invitation:
    """Record one answer; ``proxy``: a mediator entering it on the party's behalf (marked)."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if step not in RESPONDENT_STEPS:
        raise field_error("value", _("Unknown question."))
    value = (value or "").strip()
    if step == "agrees":
        if value not in Answer.values:
            raise field_error("value", _("Choose one of the answers."))
        locked.agrees = value
    elif step == "proposed_time":
        if not value or len(value) > 100:
            raise field_error("value", _("Say when suits you, e.g. weekday evenings."))
        locked.proposed_time = value
    else:
        if len(value) > 2000:
            raise field_error("value", _("Keep the answer under 2,000 characters."))
        locked.statement = value
        locked.answered_at = timezone.now()
    if proxy is not None:
        locked.proxy_by = proxy
    locked.opened_at = locked.opened_at or timezone.now()
    locked.save()
    audit.record(
        EventType.RESPONDENT_ANSWERED,
        actor=proxy,
        organisation=locked.case.committee,
        obj=locked,
        after={"question": step, "proxy": proxy is not None},
    )
    return locked


@transaction.atomic
def proxy_answers(
    *, actor: User, invitation: Invitation, agrees: str, proposed_time: str, statement: str
) -> Invitation:
    """A mediator records the respondent's answers given by phone or in person."""
    invitation = respondent_answer(invitation=invitation, step="agrees", value=agrees, proxy=actor)
    if agrees == Answer.YES:
        invitation = respondent_answer(
            invitation=invitation, step="proposed_time", value=proposed_time, proxy=actor
        )
    return respondent_answer(invitation=invitation, step="statement", value=statement, proxy=actor)


def invitation_open(invitation: Invitation) -> None:
    if invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )


@transaction.atomic
def proxy_invitation(*, actor: User, case: Case, party: Party) -> Invitation:
    """An invitation with no SMS, for a respondent without a mobile number: the mediator
    enters their answers."""
    existing = Invitation.objects.filter(party=party).first()
    if existing is not None:
        return existing
    return Invitation.objects.create(
        case=case,
        party=party,
        token_hash=token_hash(secrets.token_urlsafe(24)),
        sent_at=timezone.now(),
    )


# --- Messages ---------------------------------------------------------------------------------


def _message_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise field_error("text", _("Write a message."))
    if len(text) > 2000:
        raise field_error("text", _("Keep the message under 2,000 characters."))
    return text


@transaction.atomic
def message_from_party(*, citizen: Citizen, case: Case, text: str) -> Message:
    message = Message.objects.create(
        case=case, sender=Sender.PARTY, citizen=citizen, text=_message_text(text)
    )
    audit.record(
        EventType.PARTY_MESSAGE_SENT,
        actor=None,
        organisation=case.committee,
        obj=case,
        after={"sender": Sender.PARTY, "citizen": citizen.pk},
    )
    return message


@transaction.atomic
def message_from_staff(*, actor: User, case: Case, text: str) -> Message:
    message = Message.objects.create(
        case=case, sender=Sender.STAFF, author=actor, text=_message_text(text)
    )
    audit.record(
        EventType.PARTY_MESSAGE_SENT,
        actor=actor,
        organisation=case.committee,
        obj=case,
        after={"sender": Sender.STAFF},
    )
    return message


def citizen_with_phone(phone: str) -> Citizen | None:
    return Citizen.objects.filter(phone_index=blind_index(phone, purpose="citizen.phone")).first()


# --- Satisfaction -----------------------------------------------------------------------------


@transaction.atomic
def rate(
    *, application: Application, score: int, comment: str = "", is_complaint: bool = False
) -> Rating:
    """The applicant rates the service once the case has closed; a complaint tells the
    committee's directors."""
    if application.case.status not in CLOSED_STATUSES:
        raise Conflict(E.NOT_CLOSED, _("You can rate the service once the case has ended."))
    if Rating.objects.filter(application=application).exists():
        raise Conflict(E.ALREADY_RATED, _("You have already rated this case."))
    if not 1 <= score <= 5:
        raise field_error("score", _("Choose 1 to 5 stars."))
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise field_error("comment", _("Keep the comment under 2,000 characters."))
    if is_complaint and not comment:
        raise field_error("comment", _("Say what the complaint is about."))
    rating = Rating.objects.create(
        application=application, score=score, comment=comment, is_complaint=is_complaint
    )
    case = application.case
    audit.record(
        EventType.SERVICE_RATED,
        actor=None,
        organisation=case.committee,
        obj=case,
        after={"score": score, "complaint": is_complaint},
    )
    if is_complaint:
        notify(
            directors_of(case.committee_id),
            kind="other",
            title=_("Complaint about case %(number)s") % {"number": case.number},
            url=reverse("public:online_case", args=[case.pk]),
            case=case,
            key=f"public-complaint-{rating.pk}",
        )
    return rating
