"""Files kept with a case: evidence, identity proof, powers of attorney, receipts, recordings
(sound, and video mediation's WEBM).

A file is accepted only when its name ends in an allowed extension *and* its first bytes are
those of that format (an .exe renamed .pdf is refused), and when it is no larger than
``TIAOJIE_ATTACHMENT_MAX_MB``. It is stored under ``MEDIA_ROOT/cases/<case id>/`` with a
random name, outside the web root: only ``views.attachments.attachment_download`` serves it,
after a scope check.
"""

from __future__ import annotations

import hashlib
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.error_codes import CasesErrorCode as E
from tiaojie.cases.models import Attachment, Case
from tiaojie.cases.services.common import bump, check_version, lock_case
from tiaojie.core.errors import Conflict, NotPermitted, field_error

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

HEAD_BYTES = 64


def _zip_with(member: str) -> Callable[[bytes, IO[bytes]], bool]:
    """An Office Open XML file: a zip holding ``member`` (word/document.xml, xl/workbook.xml)."""

    def check(head: bytes, stream: IO[bytes]) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        stream.seek(0)
        try:
            with zipfile.ZipFile(stream) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            stream.seek(0)
        return "[Content_Types].xml" in names and member in names

    return check


def _starts(*magics: bytes) -> Callable[[bytes, IO[bytes]], bool]:
    return lambda head, _stream: head.startswith(magics)


def _mp3(head: bytes, _stream: IO[bytes]) -> bool:
    # An ID3 tag, or straight into an MPEG audio frame (11 sync bits set).
    return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)


def _m4a(head: bytes, _stream: IO[bytes]) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] in {b"M4A ", b"M4B ", b"mp42", b"isom", b"mp41"}


def _webp(head: bytes, _stream: IO[bytes]) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


# extension → (content type, check of the content)
ALLOWED: dict[str, tuple[str, Callable[[bytes, IO[bytes]], bool]]] = {
    ".pdf": ("application/pdf", _starts(b"%PDF-")),
    ".jpg": ("image/jpeg", _starts(b"\xff\xd8\xff")),
    ".jpeg": ("image/jpeg", _starts(b"\xff\xd8\xff")),
    ".png": ("image/png", _starts(b"\x89PNG\r\n\x1a\n")),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _zip_with("word/document.xml"),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _zip_with("xl/workbook.xml"),
    ),
    ".mp3": ("audio/mpeg", _mp3),
    ".m4a": ("audio/mp4", _m4a),
    # Video mediation's recordings (tiaojie.video): what browsers' MediaRecorder writes.
    ".webm": ("video/webm", _starts(b"\x1a\x45\xdf\xa3")),
    # A grid worker's phone (tiaojie.screening's field app): WebP photos, Ogg voice notes.
    ".webp": ("image/webp", _webp),
    ".ogg": ("audio/ogg", _starts(b"OggS")),
}


def storage_dir(case: Case) -> Path:
    return Path(settings.MEDIA_ROOT) / "cases" / str(case.pk)


def stored_path(attachment: Attachment) -> Path:
    return storage_dir(attachment.case) / attachment.stored_name


def _check_file(file: File[bytes]) -> tuple[str, str]:
    """The lower-case extension and content type of an acceptable file, or a field error."""
    name = PurePath(file.name or "").name
    ext = PurePath(name).suffix.lower()
    if ext not in ALLOWED:
        raise field_error(
            "file",
            _(
                "Only PDF, JPG, PNG, WEBP, DOCX, XLSX, MP3, M4A, OGG and WEBM files can be "
                "attached."
            ),
            E.FILE_TYPE,
        )
    limit = settings.TIAOJIE_ATTACHMENT_MAX_MB * 1024 * 1024
    if (file.size or 0) > limit:
        raise field_error(
            "file",
            _("The file is larger than %(mb)s MB.") % {"mb": settings.TIAOJIE_ATTACHMENT_MAX_MB},
            E.FILE_TOO_LARGE,
        )
    if not file.size:
        raise field_error("file", _("The file is empty."), E.FILE_EMPTY)
    content_type, matches = ALLOWED[ext]
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    if not matches(head, file):
        raise field_error(
            "file",
            _("The file's content is not a %(ext)s file.") % {"ext": ext[1:].upper()},
            E.FILE_CONTENT,
        )
    return ext, content_type


# The same checks for files a citizen sends from the phone (tiaojie.public).
check_file = _check_file


@transaction.atomic
def attachment_add(
    *,
    actor: User,
    case: Case,
    kind: str,
    title: str,
    file: UploadedFile,
    version: int | None = None,
) -> Attachment:
    """Keep ``file`` with the case, after checking its type by name and content and its size."""
    locked = lock_case(actor, case)
    check_version(locked, version)
    return _keep(locked, actor, kind, title, file)


@transaction.atomic
def attachment_add_registered(
    *, actor: User, case: Case, kind: str, title: str, file: File[bytes]
) -> Attachment:
    """Keep a file that came with the dispute, added by the person who registered it in the
    same step (a grid worker's finding becomes a case with its photos and voice notes). They may
    not work on the case otherwise: a grid report waits in the centre's queue."""
    locked = (
        Case.objects.select_for_update(of=("self",)).select_related("committee").get(pk=case.pk)
    )
    if locked.registered_by_id != actor.pk or locked.status not in (
        CaseStatus.QUEUED,
        CaseStatus.REGISTERED,
    ):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not do this to this case."))
    return _keep(locked, actor, kind, title, file)


def _keep(locked: Case, actor: User, kind: str, title: str, file: File[bytes]) -> Attachment:
    if locked.status == CaseStatus.ARCHIVED:
        raise Conflict(E.ARCHIVED, _("The case file is archived and closed; nothing can be added."))
    if kind not in Attachment.Kind.values:
        raise field_error("kind", _("Choose what kind of file this is."))
    ext, content_type = _check_file(file)
    original = PurePath(file.name or "").name[:200]
    title = title.strip() or PurePath(original).stem[:120] or original
    folder = storage_dir(locked)
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
    try:
        attachment = Attachment.objects.create(
            case=locked,
            kind=kind,
            title=title[:120],
            stored_name=stored_name,
            original_name=original,
            content_type=content_type,
            size=size,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        bump(locked)
        audit.record(
            EventType.ATTACHMENT_ADDED,
            actor=actor,
            organisation=locked.committee,
            obj=locked,
            after={
                "attachment": attachment.pk,
                "title": attachment.title,
                "kind": kind,
                "size": size,
                "sha256": attachment.sha256,
            },
        )
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    # A rollback after this point (the caller's transaction) would leave the file orphaned;
    # the row is what makes it reachable, so an orphan is never served.
    return attachment


def attachment_downloaded(*, actor: User, attachment: Attachment) -> None:
    """Record that ``actor`` downloaded the file (the view has checked scope)."""
    audit.record(
        EventType.ATTACHMENT_DOWNLOADED,
        actor=actor,
        organisation=attachment.case.committee,
        obj=attachment.case,
        after={"attachment": attachment.pk, "title": attachment.title},
    )
