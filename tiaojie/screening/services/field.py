"""Field reports from a grid worker's phone (the PWA): a finding with its position, a photo and
a voice note, sent from the phone's offline queue — possibly more than once.

The phone gives every report a key when it is written; whatever happens to the network, the
same key finds the finding already recorded and nothing more is kept (photo and voice note
included: they are kept in the same transaction as the finding, so a report is there whole or
not at all).
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from tiaojie.accounts.models import User
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core.errors import ValidationFailed
from tiaojie.screening.error_codes import ScreeningErrorCode as E
from tiaojie.screening.models import Finding, FindingMedia, Round
from tiaojie.screening.services.findings import FindingData, finding_record, media_dir

MAX_BYTES = 8 * 1024 * 1024  # a phone photo or a minute of voice, with room

# What a phone's camera and MediaRecorder produce, by their first bytes.
PHOTO_TYPES = {b"\xff\xd8\xff": ".jpg", b"\x89PNG": ".png", b"RIFF": ".webp"}
# RIFF holds WAV and AVI as well as WebP: a photo's RIFF must say WEBP.
RIFF_PHOTO = b"WEBP"
VOICE_TYPES = {b"\x1a\x45\xdf\xa3": ".webm", b"OggS": ".ogg"}


def _extension(file: UploadedFile, kind: str) -> str:
    head = file.read(16)
    file.seek(0)
    if kind == FindingMedia.Kind.PHOTO:
        found = next((ext for magic, ext in PHOTO_TYPES.items() if head.startswith(magic)), "")
        if found == ".webp" and head[8:12] != RIFF_PHOTO:
            found = ""
    else:
        found = next((ext for magic, ext in VOICE_TYPES.items() if head.startswith(magic)), "")
        if not found and head[4:8] == b"ftyp":  # MP4/M4A: Safari's MediaRecorder
            found = ".m4a"
    if not found:
        message = (
            _("The photo must be a JPEG, PNG or WebP image.")
            if kind == FindingMedia.Kind.PHOTO
            else _("The voice note must be WebM, Ogg or M4A audio.")
        )
        raise ValidationFailed(E.INVALID, message, fields={kind: [message]})
    if (file.size or 0) > MAX_BYTES:
        message = _("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)}
        raise ValidationFailed(E.INVALID, message, fields={kind: [message]})
    return found


def _keep(actor: User, finding: Finding, kind: str, file: UploadedFile, ext: str) -> FindingMedia:
    folder = media_dir(finding)
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = f"{uuid.uuid4().hex}{ext}"
    digest = hashlib.sha256()
    size = 0
    with (folder / stored_name).open("xb") as out:
        for chunk in file.chunks():
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    path = folder / stored_name
    media = FindingMedia.objects.create(
        finding=finding,
        kind=kind,
        stored_name=stored_name,
        content_type=file.content_type or "",
        size=size,
        sha256=digest.hexdigest(),
    )
    audit.record(
        EventType.FINDING_MEDIA_ADDED,
        actor=actor,
        organisation=finding.round.organisation,
        obj=finding,
        after={"kind": kind, "size": size, "path": path.name},
    )
    return media


def field_report(
    *,
    actor: User,
    screening_round: Round,
    data: FindingData,
    photo: UploadedFile | None = None,
    voice: UploadedFile | None = None,
) -> tuple[Finding, bool]:
    """Record the phone's report; ``(finding, True)`` when the key was seen before (a replayed
    sync: nothing is recorded again)."""
    key = data.client_key.strip()[:64]
    if not key:
        message = _("The report carries no key; reload the page and send it again.")
        raise ValidationFailed(E.INVALID, message, fields={"client_key": [message]})
    already = Finding.objects.filter(created_by=actor, client_key=key).first()
    if already is not None:
        return already, True
    # Files are checked before anything is kept: a bad photo refuses the whole report.
    files = [
        (kind, file, _extension(file, kind))
        for kind, file in ((FindingMedia.Kind.PHOTO, photo), (FindingMedia.Kind.VOICE, voice))
        if file is not None
    ]
    written: list[Path] = []
    try:
        with transaction.atomic():
            finding = finding_record(actor=actor, screening_round=screening_round, data=data)
            for kind, file, ext in files:
                media = _keep(actor, finding, kind, file, ext)
                written.append(media_dir(finding) / media.stored_name)
    except Exception:
        for path in written:  # the rows rolled back: so do their files
            path.unlink(missing_ok=True)
        raise
    return finding, False
