"""Generating documents: one document as PDF or DOCX, and the whole case file in the background.
Every generated document a user receives is recorded in the audit trail (DOCUMENT_GENERATED)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.models import Case
from tiaojie.cases.rules import case_policy
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed, field_error
from tiaojie.core.isolation import LimitExceeded
from tiaojie.documents import docx, pdf, rendering
from tiaojie.documents.context import CaseFacts, document_context
from tiaojie.documents.error_codes import DocumentsErrorCode as E
from tiaojie.documents.kinds import CONTENT_TYPES, DOCX_KINDS, FULL_IDENTITY, Format, Kind
from tiaojie.documents.models import CaseFileRender, DocumentTemplate, RenderStatus
from tiaojie.documents.selectors import DocRef, available, record_for
from tiaojie.documents.tasks import render_case_file

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from tiaojie.accounts.models import User

logger = logging.getLogger(__name__)
# A render queued or running for less than this is not started again by a second click.
RENDER_PATIENCE_MINUTES = 15
TEMPLATE_MAX_BYTES = 2 * 1024 * 1024
CASE_FILE = "case_file"


@dataclass(frozen=True)
class Generated:
    """A document ready to send: its bytes, MIME type and a file name."""

    data: bytes
    content_type: str
    filename: str


def _may_read(actor: User, case: Case) -> None:
    if not case_policy.allows(actor, Capability.CASE_CONTENT, case):
        raise NotPermitted(E.NOT_PERMITTED, _("This case is outside your scope."))


def _full_identity(actor: User, kind: Kind | None = None) -> bool:
    """The parties' identity in full where the document needs it and the reader may see it."""
    return actor.can(Capability.PERSONAL_DATA) and (kind is None or kind in FULL_IDENTITY)


def _record_generated(actor: User, case: Case, **after: object) -> None:
    """The download in the audit trail; with the parties' identity in full, a read of personal
    data too, as when the case page reveals it."""
    with transaction.atomic():
        audit.record(
            EventType.DOCUMENT_GENERATED,
            actor=actor,
            organisation=case.committee,
            obj=case,
            after=after,
        )
        if after.get("full_identity"):
            audit.record(
                EventType.PERSONAL_DATA_VIEWED,
                actor=actor,
                organisation=case.committee,
                obj=case,
                after={
                    "document": after.get("kind"),
                    "parties": list(case.parties.values_list("pk", flat=True)),
                    "fields": ["id_number", "phone", "address"],
                },
            )


def _record_stopped(actor: User, case: Case, exc: LimitExceeded, **after: object) -> None:
    """A render stopped at its limit, in the audit trail: which document and which limit
    (never the text that made it large)."""
    with transaction.atomic():
        audit.record(
            EventType.DOCUMENT_RENDER_STOPPED,
            actor=actor,
            organisation=case.committee,
            obj=case,
            after={**after, "limit": exc.limit},
        )


class NotApplicable(ValidationFailed):
    """A document kind this case does not have (yet): 422 with the reason and the kinds that
    apply; the pages, which link only to what applies, answer it as a 404."""


def not_applicable(case: Case, kind: Kind) -> NotApplicable:
    """Why ``case`` has no document of ``kind`` now, naming the kinds it has."""
    if kind == Kind.APPLICATION:
        reason = _(
            "This case did not start by a party's application (source: %(source)s), so it has "
            "no application for mediation."
        ) % {"source": case.get_source_display()}
    else:
        reason = _("This case has no %(document)s at its present stage (%(status)s).") % {
            "document": Kind(kind).label,
            "status": case.get_status_display(),
        }
    kinds = list(dict.fromkeys(ref.kind for ref in available(case)))
    listed = _("Documents of this case: %(kinds)s.") % {
        "kinds": "; ".join(f"{Kind(k).value} ({Kind(k).label})" for k in kinds)
    }
    return NotApplicable(E.DOCUMENT_NOT_APPLICABLE, reason, fields={"kind": [reason, listed]})


def document_generate(
    *, actor: User, case: Case, kind: Kind, fmt: Format, record_id: int | None = None
) -> Generated:
    """One document of ``case`` as PDF or DOCX, filled from the case data now."""
    _may_read(actor, case)
    if fmt == Format.DOCX and kind not in DOCX_KINDS:
        message = _("This document is only available as PDF.")
        raise field_error("format", message, E.NO_DOCX)
    record = record_for(case, kind, record_id)
    if record is None and kind not in {ref.kind for ref in available(case)}:
        raise not_applicable(case, kind)
    facts = CaseFacts(case)
    full = _full_identity(actor, kind)
    try:
        if kind == Kind.CONTENTS:
            data = rendering.contents_pdf(pdf.plan_case_file(facts, full_identity=full))
        else:
            context = document_context(facts, kind, record, full_identity=full)
            if fmt == Format.PDF:
                data = rendering.document_pdf(kind, context)
            else:
                data = rendering.document_docx(kind, context, case.committee)
    except LimitExceeded as exc:
        _record_stopped(actor, case, exc, kind=kind.value, format=fmt.value, record=record_id)
        raise
    _record_generated(
        actor, case, kind=kind.value, format=fmt.value, record=record_id, full_identity=full
    )
    title = DocRef(kind, getattr(record, "pk", None)).title
    return Generated(data, CONTENT_TYPES[fmt], f"{case.number}{title}.{fmt.value}")


# --- The whole case file, in the background ---------------------------------------------------


def renders_for(actor: User, case: Case) -> list[CaseFileRender]:
    """The case's renders this reader may receive, newest first: one made with the parties'
    identity in full only for someone who may see it."""
    renders = CaseFileRender.objects.filter(case=case)
    if not actor.can(Capability.PERSONAL_DATA):
        renders = renders.filter(full_identity=False)
    return list(renders.order_by("-created_at", "-id")[:5])


@transaction.atomic
def case_file_render_request(*, actor: User, case: Case) -> CaseFileRender:
    """Queue a render of the whole file; a render already under way is reused."""
    _may_read(actor, case)
    full = _full_identity(actor)
    recent = timezone.now() - dt.timedelta(minutes=RENDER_PATIENCE_MINUTES)
    pending = CaseFileRender.objects.filter(
        case=case,
        full_identity=full,
        status__in=[RenderStatus.QUEUED, RenderStatus.RUNNING],
        created_at__gte=recent,
    ).first()
    if pending is not None:
        return pending
    render = CaseFileRender.objects.create(case=case, requested_by=actor, full_identity=full)

    transaction.on_commit(lambda: render_case_file.enqueue(render.pk))
    return render


def case_file_render_run(*, render_id: int) -> None:
    """Lay out and store the whole file of a queued render, reporting progress on its row."""
    claimed = CaseFileRender.objects.filter(pk=render_id, status=RenderStatus.QUEUED).update(
        status=RenderStatus.RUNNING, progress=1
    )
    if not claimed:
        return  # already taken by another worker, or finished
    render = CaseFileRender.objects.select_related("case__committee").get(pk=render_id)

    def progress(percent: int) -> None:
        CaseFileRender.objects.filter(pk=render_id).update(progress=max(1, min(percent, 99)))

    try:
        plan = pdf.plan_case_file(CaseFacts(render.case), full_identity=render.full_identity)
        fingerprint = pdf.fingerprint(plan)
        if _reuse_unchanged(render, fingerprint):
            return
        data, pages = rendering.case_file_pdf(plan, progress)
        name = default_storage.save(
            f"case_files/{render.case_id}/{render.pk}.pdf", ContentFile(data)
        )
    except LimitExceeded as exc:
        CaseFileRender.objects.filter(pk=render_id).update(
            status=RenderStatus.STOPPED, error=exc.message, finished_at=timezone.now()
        )
        _record_stopped(render.requested_by, render.case, exc, kind=CASE_FILE, format="pdf")
        return
    except Exception as exc:
        logger.exception("Rendering the file of case %s failed", render.case_id)
        CaseFileRender.objects.filter(pk=render_id).update(
            status=RenderStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return
    now = timezone.now()
    CaseFileRender.objects.filter(pk=render_id).update(
        status=RenderStatus.DONE,
        progress=100,
        pages=pages,
        file=name,
        fingerprint=fingerprint,
        finished_at=now,
        laid_out_at=now,
    )
    _discard_older(render)


def _reuse_unchanged(render: CaseFileRender, fingerprint: str) -> bool:
    """Finish ``render`` with the stored file of the newest earlier render of the same case
    and kind that printed exactly the same (``pdf.fingerprint``), if there is one: laying out
    a file of 15 pages again takes the worker seconds, and a reviewer, an archivist and the
    mediator each open the same finished file. A new record, a signature, an edit or a new
    version of the templates changes the fingerprint, and the file is laid out anew."""
    if not fingerprint:
        return False
    same = (
        CaseFileRender.objects.filter(
            case_id=render.case_id,
            full_identity=render.full_identity,
            status=RenderStatus.DONE,
            fingerprint=fingerprint,
            created_at__lt=render.created_at,
        )
        .exclude(file="")
        .order_by("-created_at", "-id")
        .first()
    )
    if same is None or not default_storage.exists(same.file):
        return False
    CaseFileRender.objects.filter(pk=render.pk).update(
        status=RenderStatus.DONE,
        progress=100,
        pages=same.pages,
        file=same.file,
        fingerprint=fingerprint,
        finished_at=timezone.now(),
        laid_out_at=same.laid_out_at or same.finished_at,
    )
    _discard_older(render, keep=same.file)
    return True


def _discard_older(render: CaseFileRender, keep: str = "") -> None:
    """Keep one stored file per case and kind of render: the newest (``keep``, the file the
    newest took from an older render, stays stored)."""
    older = CaseFileRender.objects.filter(
        case_id=render.case_id, full_identity=render.full_identity, created_at__lt=render.created_at
    ).exclude(file="")
    for old in older:
        if old.file != keep:
            default_storage.delete(old.file)
    older.update(file="")


def case_file_read(*, actor: User, render: CaseFileRender) -> Generated:
    """The stored PDF of a finished render, for a reader allowed to receive it."""
    case = render.case
    _may_read(actor, case)
    if render.full_identity and not _full_identity(actor):
        raise NotPermitted(E.NOT_PERMITTED, _("This file shows personal data you may not see."))
    if render.status != RenderStatus.DONE or not render.file:
        raise Conflict(E.NOT_RENDERED, _("The case file has not been rendered yet."))
    with default_storage.open(render.file, "rb") as stored:
        data = stored.read()
    _record_generated(
        actor, case, kind=CASE_FILE, format=Format.PDF.value, full_identity=render.full_identity
    )
    return Generated(data, CONTENT_TYPES[Format.PDF], f"{case.number}调解卷宗.pdf")


# --- A bureau's own DOCX templates -------------------------------------------------------------


def may_manage_templates(user: User) -> bool:
    """Those who manage organisations at a justice bureau set the bureau's templates."""
    return user.can(Capability.ORGANISATION_MANAGE) and user.organisation.kind in docx.BUREAUS


def _require_bureau_admin(actor: User) -> None:
    if not may_manage_templates(actor):
        raise NotPermitted(
            E.NOT_PERMITTED, _("Only a justice bureau's administrators may change templates.")
        )


@transaction.atomic
def template_upload(*, actor: User, kind: Kind, upload: UploadedFile) -> DocumentTemplate:
    """Put a DOCX template in use for ``kind`` in the actor's bureau and everything below it,
    once every field it uses is one that kind provides."""
    _require_bureau_admin(actor)
    if kind not in DOCX_KINDS:
        raise ValidationFailed(
            E.INVALID, _("Choose a document."), fields={"kind": [_("Choose a document.")]}
        )
    if not (upload.name or "").lower().endswith(".docx"):
        raise field_error(
            "file", code=E.TEMPLATE_INVALID, message=_("Upload a Word document (.docx).")
        )
    if (upload.size or 0) > TEMPLATE_MAX_BYTES:
        raise field_error(
            "file", code=E.TEMPLATE_INVALID, message=_("The file is larger than 2 MB.")
        )
    try:
        docx.check(kind, upload)
    except docx.TemplateInvalid as exc:
        if exc.unknown:
            raise field_error(
                "file",
                code=E.TEMPLATE_INVALID,
                message=_("The template uses fields this document does not have: %(fields)s")
                % {"fields": ", ".join(exc.unknown)},
            ) from exc
        raise field_error(
            "file",
            code=E.TEMPLATE_INVALID,
            message=_("The file is not a usable DOCX template: %(error)s") % {"error": exc.syntax},
        ) from exc
    upload.seek(0)
    bureau = actor.organisation
    previous = DocumentTemplate.objects.select_for_update().filter(
        organisation=bureau, kind=kind, active=True
    )
    replaced = [t.original_name for t in previous]
    previous.update(active=False)
    template = DocumentTemplate(
        kind=kind, organisation=bureau, original_name=(upload.name or "")[:200], uploaded_by=actor
    )
    template.file.save(f"{bureau.pk}-{kind.value}.docx", upload, save=False)
    template.save()
    audit.record(
        EventType.DOCUMENT_TEMPLATE_UPLOADED,
        actor=actor,
        organisation=bureau,
        obj=template,
        before={"templates": replaced} if replaced else None,
        after={"kind": kind.value, "file": template.original_name},
    )
    return template


@transaction.atomic
def template_withdraw(*, actor: User, template: DocumentTemplate) -> None:
    """Stop using an uploaded template: the bureau above, or the built-in one, applies again."""
    _require_bureau_admin(actor)
    if template.organisation_id != actor.organisation_id or not template.active:
        raise Conflict(E.NOT_ACTIVE, _("This template is not in use by your bureau."))
    DocumentTemplate.objects.filter(pk=template.pk).update(active=False)
    audit.record(
        EventType.DOCUMENT_TEMPLATE_WITHDRAWN,
        actor=actor,
        organisation=template.organisation,
        obj=template,
        before={"kind": template.kind, "file": template.original_name},
    )
