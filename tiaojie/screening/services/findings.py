"""Findings (线索): recorded in a round, turned into a case in one step, or closed with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Role
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.choices import CaseSource, PartyRole
from tiaojie.cases.models import Attachment, Case, DisputeType
from tiaojie.cases.services.attachments import attachment_add_registered
from tiaojie.cases.services.intake import CaseData, PartyData, case_register
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.screening.choices import FindingStatus, RiskLevel, RoundStatus
from tiaojie.screening.error_codes import ScreeningErrorCode as E
from tiaojie.screening.models import Finding, FindingMedia, Round
from tiaojie.screening.rules import may_report


def media_dir(finding: Finding) -> Path:
    """Where a finding's photos and voice notes are kept (outside the web root)."""
    return Path(settings.MEDIA_ROOT) / "screening" / str(finding.pk)


@dataclass
class FindingData:
    place: str
    people: str = ""
    what: str = ""
    risk: str = RiskLevel.LOW
    client_key: str = ""  # sent again, the same report: the finding already recorded


def _invalid(fields: dict[str, list[str]]) -> ValidationFailed:
    return ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=fields)


@transaction.atomic
def finding_record(*, actor: User, screening_round: Round, data: FindingData) -> Finding:
    """A finding of the round, while the round is not yet reported. Sent again with the same
    ``client_key`` (a double click, a replayed offline sync), it returns the finding already
    recorded and records nothing more."""
    key = data.client_key.strip()[:64]
    if key:
        already = Finding.objects.filter(created_by=actor, client_key=key).first()
        if already is not None:
            return already
    locked = Round.objects.select_for_update().get(pk=screening_round.pk)
    if not may_report(actor, locked):
        raise NotPermitted(
            E.NOT_PERMITTED, _("Only the round's own organisation or its assignee reports it.")
        )
    if locked.status == RoundStatus.REPORTED:
        raise Conflict(E.NOT_OPEN, _("This round has already been reported."))
    errors: dict[str, list[str]] = {}
    if not data.place.strip():
        errors["place"] = [_("Enter the place: where was this found?")]
    if data.risk not in RiskLevel.values:
        errors["risk"] = [_("Choose a risk level.")]
    if not data.what.strip() and not data.people.strip():
        errors["what"] = [_("Say what was found, or who is involved.")]
    if errors:
        raise _invalid(errors)
    finding = Finding.objects.create(
        round=locked,
        organisation_path=locked.organisation_path,
        place=data.place.strip(),
        people=data.people.strip(),
        what=data.what.strip(),
        risk=data.risk,
        created_by=actor,
        client_key=key,
    )
    # Only which fields were given: the trail is read by those who may not read contents.
    audit.record(
        EventType.FINDING_RECORDED,
        actor=actor,
        organisation=locked.organisation,
        obj=finding,
        after={"round": locked.pk, "risk": data.risk},
    )
    return finding


def _lock(finding: Finding, version: int | None) -> Finding:
    locked = Finding.objects.select_for_update().select_related("round").get(pk=finding.pk)
    if version is not None and locked.version != version:
        raise Conflict(
            E.STALE_VERSION,
            _("Someone else changed this while you were working on it. Reload to see it."),
        )
    if locked.status != FindingStatus.OPEN:
        raise Conflict(E.NOT_OPEN, _("This finding has already been dealt with."))
    return locked


@dataclass
class CaseFromFinding:
    dispute_type: DisputeType
    applicant: str
    respondent: str
    summary: str


@transaction.atomic
def finding_to_case(
    *, actor: User, finding: Finding, data: CaseFromFinding, version: int | None = None
) -> Case:
    """Register the finding as a case (through the cases intake: grid report for a grid worker,
    a screening finding for committee staff) and link the two."""
    locked = _lock(finding, version)
    if not may_report(actor, locked.round):
        raise NotPermitted(
            E.NOT_PERMITTED, _("Only the round's own organisation or its assignee reports it.")
        )
    source = CaseSource.GRID if actor.role == Role.GRID_WORKER else CaseSource.SCREENING
    narrative = "\n".join(
        part
        for part in (
            _("Found in screening at: %(place)s") % {"place": locked.place},
            locked.people,
            locked.what,
        )
        if part
    )
    case = case_register(
        actor=actor,
        data=CaseData(
            dispute_type=data.dispute_type,
            source=source,
            summary=data.summary,
            narrative=narrative,
            risk_notes=locked.what if locked.risk == RiskLevel.HIGH else "",
            parties=[
                PartyData(role=PartyRole.APPLICANT, name=data.applicant),
                PartyData(role=PartyRole.RESPONDENT, name=data.respondent),
            ],
        ),
    )
    attachments = [_copy_media(actor, case, media) for media in locked.media.all()]
    locked.case = case
    locked.status = FindingStatus.CASE
    locked.version += 1
    locked.save(update_fields=["case", "status", "version"])
    audit.record(
        EventType.FINDING_TO_CASE,
        actor=actor,
        organisation=locked.round.organisation,
        obj=locked,
        after={"case": case.pk, "source": source, "attachments": [a.pk for a in attachments]},
    )
    return case


def _copy_media(actor: User, case: Case, media: FindingMedia) -> Attachment:
    """A photo or voice note of the finding, copied into the case file as evidence through the
    cases' own checks (type by name and content, size) and audit (attachment added). The
    finding keeps its own copy: its page and audit trail stay as they were."""
    path = media_dir(media.finding) / media.stored_name
    if not path.is_file():
        raise Conflict(
            E.INVALID,
            _(
                "A photo or voice note of this finding is missing from the server; tell the "
                "system administrator. Nothing was registered."
            ),
        )
    photo = media.kind == FindingMedia.Kind.PHOTO
    title = _("Screening finding: photo") if photo else _("Screening finding: voice note")
    with path.open("rb") as handle:
        return attachment_add_registered(
            actor=actor,
            case=case,
            kind=Attachment.Kind.EVIDENCE,
            title=str(title),
            file=File(handle, name=f"finding-{media.finding_id}-{media.pk}{path.suffix}"),
        )


@transaction.atomic
def finding_close(
    *, actor: User, finding: Finding, reason: str, version: int | None = None
) -> Finding:
    """Close a finding that needs no case, saying why."""
    locked = _lock(finding, version)
    if not may_report(actor, locked.round):
        raise NotPermitted(
            E.NOT_PERMITTED, _("Only the round's own organisation or its assignee reports it.")
        )
    if not reason.strip():
        raise _invalid({"reason": [_("Say why the finding needs no case.")]})
    locked.status = FindingStatus.CLOSED
    locked.close_reason = reason.strip()[:200]
    locked.version += 1
    locked.save(update_fields=["status", "close_reason", "version"])
    audit.record(
        EventType.FINDING_CLOSED,
        actor=actor,
        organisation=locked.round.organisation,
        obj=locked,
        reason=locked.close_reason,
        after={"status": locked.status},
    )
    return locked
