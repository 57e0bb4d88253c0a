"""Video mediation's rules: who opens a room and invites whom, consent before recording, what
the browsers may tell each other, and keeping the recording with the case file.

Recording is the sensitive part. The law on people's mediation keeps mediation confidential
and personal data belongs to its owner, so a recording is accepted only when every participant
who has joined the room has consented on their own screen; the consents (who, when) are kept
with the recording and in the audit trail. The check is made here, on the server, whatever the
browser shows.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.choices import OPEN_STATUSES, PartyRole
from tiaojie.cases.models import Attachment, Case, Party
from tiaojie.cases.rules import may_work_on
from tiaojie.cases.services.attachments import attachment_add
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed, field_error
from tiaojie.core.masking import mask_name
from tiaojie.public import sms
from tiaojie.video.choices import ParticipantKind, RoomStatus, SignalKind
from tiaojie.video.error_codes import VideoErrorCode as Code
from tiaojie.video.models import Participant, Recording, Room, Signal

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

# An SDP offer with many codecs runs to ~10 KB; nothing a browser sends needs more.
MAX_PAYLOAD = 20_000
# A call needs a few dozen signals; a flood is refused rather than stored.
MAX_SIGNALS_PER_PARTICIPANT = 500
# Someone not heard from for this long has left (closed the page, lost the network).
PRESENCE_SECONDS = 20


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_handles(actor: User, case: Case) -> None:
    if not (actor.can(Capability.CASE_HANDLE) and may_work_on(actor, case)):
        raise NotPermitted(Code.NOT_PERMITTED, _("Only the case's mediators can do this."))


def _check_open(room: Room) -> None:
    if room.status != RoomStatus.OPEN:
        raise Conflict(Code.ROOM_CLOSED, _("This video room has been closed."))


@transaction.atomic
def room_open(*, actor: User, case: Case) -> Room:
    """Open a room for the case, with the mediator opening it already seated. A case that has
    ended (closed or archived) is not mediated again."""
    _check_handles(actor, case)
    if case.status not in OPEN_STATUSES:
        raise Conflict(Code.CASE_CLOSED, _("The case has ended; a video session cannot be held."))
    room = Room.objects.create(case=case, opened_by=actor)
    Participant.objects.create(
        room=room, kind=ParticipantKind.STAFF, user=actor, label=_staff_label(actor)
    )
    audit.record(
        EventType.VIDEO_ROOM_OPENED, actor=actor, organisation=case.committee, obj=room.case
    )
    return room


def _staff_label(user: User) -> str:
    return _("Mediator %(name)s") % {"name": user.get_full_name() or user.username}


def party_label(party: Party) -> str:
    return f"{PartyRole(party.role).label} {mask_name(party.name)}"


@transaction.atomic
def party_invite(
    *, actor: User, room: Room, party: Party, site_url: str
) -> tuple[Participant, str]:
    """Seat a party of the case and give them a link (the token is shown once and texted to
    the party's phone; only its hash is kept). Inviting again replaces the earlier link."""
    _check_handles(actor, room.case)
    _check_open(room)
    if party.case_id != room.case_id:
        raise field_error("party", _("Choose a party of this case."), Code.NOT_A_PARTY)
    token = secrets.token_urlsafe(24)
    participant, _created = Participant.objects.update_or_create(
        room=room,
        party=party,
        defaults={
            "kind": ParticipantKind.PARTY,
            "label": party_label(party),
            "token_hash": token_hash(token),
        },
    )
    link = f"{site_url.rstrip('/')}/v/{token}/"
    if party.phone:
        # The text names nobody and no case (the link is the only credential).
        sms.send(
            party.phone,
            _(
                "[People's mediation] Your mediator invites you to a video mediation session: %(link)s"
            )
            % {"link": link},
        )
    audit.record(
        EventType.VIDEO_PARTY_INVITED,
        actor=actor,
        organisation=room.case.committee,
        obj=room.case,
        after={"room": room.pk, "participant": participant.pk, "texted": bool(party.phone)},
    )
    return participant, link


def participant_for_token(token: str) -> Participant | None:
    if not token or len(token) > 64:
        return None
    return (
        Participant.objects.select_related("room", "room__case")
        .filter(token_hash=token_hash(token), kind=ParticipantKind.PARTY)
        .first()
    )


def staff_seat(*, actor: User, room: Room) -> Participant:
    """The staff member's seat, taken on entering (any mediator of the case may join)."""
    _check_handles(actor, room.case)
    _check_open(room)
    seat, _created = Participant.objects.get_or_create(
        room=room,
        user=actor,
        defaults={"kind": ParticipantKind.STAFF, "label": _staff_label(actor)},
    )
    return seat


def seen(participant: Participant) -> None:
    """The participant's browser is still there (each poll says so)."""
    now = timezone.now()
    changes: dict[str, Any] = {"last_seen": now, "left_at": None}
    if participant.joined_at is None:
        changes["joined_at"] = now
    Participant.objects.filter(pk=participant.pk).update(**changes)
    for name, value in changes.items():
        setattr(participant, name, value)


def present(room: Room) -> list[Participant]:
    """Who is in the room now."""
    since = timezone.now() - timedelta(seconds=PRESENCE_SECONDS)
    return list(room.participants.filter(last_seen__gte=since, left_at__isnull=True))


@transaction.atomic
def consent(*, participant: Participant) -> Participant:
    """The participant agrees, on their own screen, that the session may be recorded."""
    _check_open(participant.room)
    if participant.consented_at is None:
        participant.consented_at = timezone.now()
        participant.save(update_fields=["consented_at"])
        audit.record(
            EventType.VIDEO_RECORDING_CONSENTED,
            actor=participant.user,
            organisation=participant.room.case.committee,
            obj=participant.room.case,
            after={
                "room": participant.room_id,
                "participant": participant.pk,
                "label": participant.label,
            },
        )
    return participant


def recording_allowed(room: Room) -> tuple[bool, list[Participant]]:
    """Recording may start when at least two are present and everyone who has joined the room
    has consented; the second value lists those who have not."""
    joined = [p for p in room.participants.all() if p.joined_at is not None]
    missing = [p for p in joined if p.consented_at is None]
    return len(present(room)) >= 2 and not missing, missing


def signal_send(*, participant: Participant, kind: str, payload: Any, to: int | None) -> Signal:
    """Pass one message to another browser in the room (or to all, ``to`` empty)."""
    _check_open(participant.room)
    if kind not in SignalKind.values:
        raise ValidationFailed(Code.BAD_SIGNAL, _("Unknown signal."))
    text = json.dumps(payload, ensure_ascii=False) if payload is not None else ""
    if len(text) > MAX_PAYLOAD:
        raise ValidationFailed(Code.BAD_SIGNAL, _("The signal is too large."))
    recipient = None
    if to is not None:
        recipient = participant.room.participants.filter(pk=to).first()
        if recipient is None:
            raise ValidationFailed(Code.BAD_SIGNAL, _("No such participant in this room."))
    sent = Signal.objects.filter(sender=participant).count()
    if sent >= MAX_SIGNALS_PER_PARTICIPANT:
        raise Conflict(Code.SIGNAL_LIMIT, _("Too many signals; reload the page to reconnect."))
    if kind == SignalKind.BYE:
        Participant.objects.filter(pk=participant.pk).update(left_at=timezone.now())
    return Signal.objects.create(
        room=participant.room, sender=participant, recipient=recipient, kind=kind, payload=text
    )


def last_signal(room: Room) -> int:
    """The newest signal's id: a browser that arrives ignores what was said before it came."""
    return Signal.objects.filter(room=room).aggregate(last=Max("id"))["last"] or 0


def signals_after(participant: Participant, after: int) -> list[dict[str, Any]]:
    """The signals for this participant newer than ``after`` (their own excluded)."""
    rows = (
        Signal.objects.filter(room=participant.room, id__gt=after)
        .exclude(sender=participant)
        .filter(Q(recipient__isnull=True) | Q(recipient=participant))
        .order_by("id")[:200]
    )
    return [
        {
            "id": s.pk,
            "from": s.sender_id,
            "to": s.recipient_id,
            "kind": s.kind,
            "payload": json.loads(s.payload) if s.payload else None,
        }
        for s in rows
    ]


@transaction.atomic
def recording_save(*, actor: User, room: Room, file: UploadedFile) -> Recording:
    """Keep the recording with the case file, if everyone who joined consented."""
    _check_handles(actor, room.case)
    # Presence is not asked here: a party who left before the mediator pressed stop has still
    # agreed to what was recorded while they were there.
    joined = [p for p in room.participants.all() if p.joined_at is not None]
    missing = [p for p in joined if p.consented_at is None]
    if missing or len(joined) < 2:
        names = "、".join(p.label for p in missing)
        raise Conflict(
            Code.CONSENT_MISSING,
            _("Not everyone in the session has agreed to recording: %(names)s.") % {"names": names}
            if names
            else _("A recording needs the mediator and at least one party in the session."),
        )
    when = timezone.localtime()
    attachment = attachment_add(
        actor=actor,
        case=room.case,
        kind=Attachment.Kind.OTHER,
        title=_("Video mediation recording %(when)s") % {"when": when.strftime("%Y-%m-%d %H:%M")},
        file=file,
    )
    consents = [
        {"participant": p.pk, "label": p.label, "consented_at": p.consented_at.isoformat()}
        for p in joined
        if p.consented_at is not None
    ]
    recording = Recording.objects.create(
        room=room, attachment=attachment, recorded_by=actor, consents=consents
    )
    audit.record(
        EventType.VIDEO_RECORDING_SAVED,
        actor=actor,
        organisation=room.case.committee,
        obj=room.case,
        after={
            "room": room.pk,
            "attachment": attachment.pk,
            "sha256": attachment.sha256,
            "consents": len(consents),
        },
    )
    return recording


@transaction.atomic
def room_close(*, actor: User, room: Room) -> Room:
    _check_handles(actor, room.case)
    _check_open(room)
    room.status = RoomStatus.CLOSED
    room.closed_at = timezone.now()
    room.save(update_fields=["status", "closed_at"])
    # The signals carried network addresses; they serve no purpose once the call is over.
    Signal.objects.filter(room=room).delete()
    audit.record(
        EventType.VIDEO_ROOM_CLOSED, actor=actor, organisation=room.case.committee, obj=room.case
    )
    return room


def ice_servers() -> list[dict[str, Any]]:
    """STUN/TURN servers for browsers behind NAT (docs/video.md); none needed on one network."""
    return list(getattr(settings, "TIAOJIE_VIDEO_ICE_SERVERS", []))
