"""Every document a user receives is laid out under limits (``core.isolation``): the case data
is read here, in the calling process, and the layout (WeasyPrint, docxtpl) runs in a child
process that is stopped when it takes longer than ``TIAOJIE_RENDER_TIMEOUT_SECONDS`` or needs
more than ``TIAOJIE_RENDER_MEMORY_MB``. The whole case file, laid out by the task worker, may
take ``TIAOJIE_CASE_FILE_TIMEOUT_SECONDS``. Decision 21."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from tiaojie.core.isolation import Limits, run_limited
from tiaojie.documents import docx, pdf
from tiaojie.documents.context import Context
from tiaojie.documents.kinds import Kind
from tiaojie.organisations.models import Organisation


def _document() -> str:
    return _("the document")


def _pdf(kind: Kind, context: Context) -> bytes:
    return pdf.write(pdf.render(kind, context))


def document_pdf(kind: Kind, context: Context) -> bytes:
    """One document as PDF."""
    return run_limited(_pdf, kind, context, limits=Limits.configured(), what=_document())


def document_docx(kind: Kind, context: Context, committee: Organisation) -> bytes:
    """One document as DOCX, from the template in force for the committee."""
    template: bytes | Path = docx.source(kind, committee)
    return run_limited(docx.fill, template, context, limits=Limits.configured(), what=_document())


def _contents(plan: pdf.FilePlan) -> bytes:
    return pdf.write(pdf.lay_out(plan).contents)


def contents_pdf(plan: pdf.FilePlan) -> bytes:
    """The contents list alone: the whole file is laid out to know its pages."""
    return run_limited(_contents, plan, limits=Limits.configured(), what=_document())


def _case_file(plan: pdf.FilePlan, progress: Callable[[int], None]) -> tuple[bytes, int]:
    laid_out = pdf.lay_out(plan, progress=progress)
    return laid_out.pdf(), laid_out.pages


def case_file_pdf(plan: pdf.FilePlan, progress: Callable[[int], None]) -> tuple[bytes, int]:
    """The whole file as one PDF and its number of pages; ``progress`` is called here."""
    limits = Limits.configured(seconds=settings.TIAOJIE_CASE_FILE_TIMEOUT_SECONDS)
    return run_limited(_case_file, plan, limits=limits, what=_("the case file"), progress=progress)
