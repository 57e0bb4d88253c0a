"""PDF from the HTML templates with WeasyPrint: one document, or the whole case file with its
pages numbered continuously and the contents list giving each document's real page."""

from __future__ import annotations

import functools
import hashlib
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import weasyprint
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML, Document
from weasyprint.urls import URLFetcher

from tiaojie.core import fonts
from tiaojie.documents.context import CaseFacts, Context, document_context, file_info
from tiaojie.documents.kinds import UNNUMBERED, Kind
from tiaojie.documents.selectors import Entry, file_entries, record_for

# The contents list is printed on a ruled form of at least this many lines.
CONTENTS_LINES = 16

# Documents are built from case data and local fonts only: nothing is ever fetched. Inline
# ``data:`` images (a signature drawn on the phone, tiaojie.documents.signing) carry their bytes.
NO_FETCHING = URLFetcher(allowed_protocols=("data",))


def render(kind: Kind, context: Context, *, first_page: int = 1) -> Document:
    """Lay out one document; numbered documents start at ``first_page``."""
    html = render_to_string(
        f"documents/pdf/{kind.value}.html",
        {
            **context,
            "numbered": kind not in UNNUMBERED,
            "first_page": first_page,
            "padding": range(max(0, CONTENTS_LINES - len(context.get("rows", [])))),
        },
    )
    return HTML(string=html, url_fetcher=NO_FETCHING).render()


def write(document: Document) -> bytes:
    return document.write_pdf()  # type: ignore[no-any-return]


@dataclass(frozen=True)
class CaseFile:
    """The laid-out parts of a whole case file, in binding order."""

    cover: Document
    contents: Document
    documents: list[Document]
    back: Document
    rows: list[Context]

    @property
    def parts(self) -> list[Document]:
        return [self.cover, self.contents, *self.documents, self.back]

    @property
    def pages(self) -> int:
        return sum(len(part.pages) for part in self.parts)

    def pdf(self) -> bytes:
        """All parts as one PDF (WeasyPrint writes the pages of several documents together)."""
        pages = [page for part in self.parts for page in part.pages]
        return self.cover.copy(pages).write_pdf()  # type: ignore[no-any-return]


@dataclass(frozen=True)
class FilePlan:
    """What the whole file prints, read from the database before anything is laid out: the
    context of every document in binding order (None for papers kept outside), and of the
    cover, contents list and back cover before their page figures are known. Plain values
    only, so it can be laid out where the database is out of reach (``core.isolation``)."""

    entries: list[tuple[Entry, Context | None]]
    covers: dict[Kind, Context]


def plan_case_file(facts: CaseFacts, *, full_identity: bool) -> FilePlan:
    """Read everything the whole file prints."""
    entries: list[tuple[Entry, Context | None]] = []
    for entry in file_entries(facts.case):
        context = None
        if entry.doc is not None:
            record = record_for(facts.case, entry.doc.kind, entry.doc.record_id)
            context = document_context(facts, entry.doc.kind, record, full_identity=full_identity)
        entries.append((entry, context))
    info = file_info(facts)
    covers = {
        kind: document_context(facts, kind, full_identity=full_identity, file=info)
        for kind in (Kind.COVER, Kind.CONTENTS, Kind.BACK_COVER)
    }
    return FilePlan(entries, covers)


# The templates every printed document is laid out from (their styles are inline).
TEMPLATES = Path(__file__).resolve().parent / "templates" / "documents" / "pdf"


def _templates_digest(templates: Path) -> bytes:
    """The templates under ``templates`` and WeasyPrint's version."""
    digest = hashlib.sha256(weasyprint.__version__.encode())
    for template in sorted(templates.rglob("*")):
        if template.is_file():
            digest.update(template.relative_to(templates).as_posix().encode())
            digest.update(template.read_bytes())
    return digest.digest()


@functools.cache
def _deployed_templates() -> bytes:
    """``_templates_digest`` of the deployment, once per process: templates and WeasyPrint
    change only with a deployment, which restarts the processes."""
    return _templates_digest(TEMPLATES)


def _with_fonts(base: bytes, font_files: list[str]) -> bytes:
    digest = hashlib.sha256(base)
    for font in font_files:
        digest.update(b"\0font\0" + font.encode("utf-8", "surrogateescape"))
    return digest.digest()


def layout_digest(templates: Path, font_files: list[str]) -> bytes:
    """What lays a file out, besides its content: the templates under ``templates``, the
    font files (``fonts.font_files``) and WeasyPrint's version."""
    return _with_fonts(_templates_digest(templates), font_files)


def _layout_version() -> bytes | None:
    """``layout_digest`` of the deployment with the font files as they are now (a fallback
    font installed so that a rare character in a name no longer prints as a box, or a font
    upgraded, changes every fingerprint, in a worker that was already running too). None
    when the fonts cannot be listed: then nothing is reused."""
    files = fonts.font_files()
    if files is None:
        return None
    return _with_fonts(_deployed_templates(), files)


def fingerprint(plan: FilePlan) -> str:
    """SHA-256 of everything ``plan`` prints, the language it is printed in and the layout's
    version (templates, fonts, WeasyPrint): two plans with the same fingerprint lay out the
    same file.

    The plan is hashed as pickled, every value with its type, so that nothing it holds is left
    out; a value that pickles differently from one process to the next (a set's order) only
    makes two equal plans look different, and the file is then laid out again. A plan that
    cannot be pickled, or a machine whose fonts cannot be listed, gives no fingerprint ("")
    and the file is always laid out."""
    layout = _layout_version()
    if layout is None:
        return ""
    try:
        content = pickle.dumps(plan, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return ""
    digest = hashlib.sha256(layout)
    digest.update((translation.get_language() or "").encode())
    digest.update(content)
    return digest.hexdigest()


def lay_out(plan: FilePlan, *, progress: Callable[[int], None] = lambda percent: None) -> CaseFile:
    """The whole file, in the order of the contents list, ready to write as one PDF.

    Page numbers run over the documents only (the cover, the contents list and the back cover
    are not numbered, as in archival practice). Each document is laid out once, starting at the
    page after the previous one ends, so its footer carries its page numbers in the file; the
    contents list is laid out after them, with the page each one starts on, and the pages of
    all the laid-out documents are then written as one PDF.
    """
    steps = len(plan.entries) + 3
    laid_out: list[Document] = []
    rows: list[Context] = []
    next_page = 1
    for done, (entry, context) in enumerate(plan.entries, start=1):
        row: dict[str, Any] = {
            "number": str(len(rows) + 1),
            "title": entry.title,
            "note": entry.note,
        }
        if entry.doc is not None and context is not None:
            document = render(entry.doc.kind, context, first_page=next_page)
            last = next_page + len(document.pages) - 1
            row["pages"] = str(next_page) if last == next_page else f"{next_page}–{last}"
            next_page = last + 1
            laid_out.append(document)
        else:
            row["pages"] = ""
        rows.append(row)
        progress(done * 90 // steps)
    figures = {"documents": str(len(rows)), "pages": str(next_page - 1)}
    rows.append({"number": str(len(rows) + 1), "title": "封底", "pages": "", "note": ""})

    def unnumbered(kind: Kind, **extra: Any) -> Document:
        return render(kind, {**plan.covers[kind], **extra})

    info = {**plan.covers[Kind.COVER]["file"], **figures}
    cover = unnumbered(Kind.COVER, file=info)
    contents = unnumbered(Kind.CONTENTS, rows=rows)
    back = unnumbered(Kind.BACK_COVER, file=info)
    progress(95)
    return CaseFile(cover, contents, laid_out, back, rows)


def lay_out_case_file(
    facts: CaseFacts,
    *,
    full_identity: bool,
    progress: Callable[[int], None] = lambda percent: None,
) -> CaseFile:
    """Read and lay out the whole file in this process (tests and benchmarks; users' files go
    through ``documents.rendering``, under limits)."""
    return lay_out(plan_case_file(facts, full_identity=full_identity), progress=progress)
