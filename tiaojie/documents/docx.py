"""DOCX from docxtpl templates: the built-in ones in ``docx_templates/`` (made by
``build_docx_templates.py``), or the one a bureau above the case's committee uploaded.

Templates are rendered in a sandboxed Jinja environment with autoescaping, from plain values
only (``context.py``), and an uploaded template is checked against the documented field list
before it is accepted: a misspelt field would otherwise print nothing, silently."""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

from tiaojie.documents.context import Context
from tiaojie.documents.fields import allowed
from tiaojie.documents.kinds import Kind
from tiaojie.documents.models import DocumentTemplate
from tiaojie.organisations.choices import OrganisationKind
from tiaojie.organisations.models import Organisation, path_ids

if TYPE_CHECKING:
    from collections.abc import Iterator

    from django.core.files.uploadedfile import UploadedFile

BUILT_IN = Path(__file__).resolve().parent / "docx_templates"
BUREAUS = (OrganisationKind.CITY_BUREAU, OrganisationKind.DISTRICT_BUREAU)


class TemplateInvalid(Exception):
    """The file is not a DOCX template we can use; ``unknown`` names the fields not allowed."""

    def __init__(self, unknown: list[str] | None = None, syntax: str = "") -> None:
        self.unknown = unknown or []
        self.syntax = syntax
        super().__init__(", ".join(self.unknown) or syntax)


def environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True)


def built_in(kind: Kind) -> Path:
    return BUILT_IN / f"{kind.value}.docx"


def template_for(kind: Kind, organisation: Organisation) -> DocumentTemplate | None:
    """The active uploaded template of the nearest bureau at or above ``organisation``."""
    bureaus = Organisation.objects.filter(pk__in=path_ids(organisation.path), kind__in=BUREAUS)
    candidates = DocumentTemplate.objects.filter(
        kind=kind, active=True, organisation__in=bureaus
    ).select_related("organisation")
    return max(candidates, key=lambda t: len(t.organisation.path), default=None)


def source(kind: Kind, committee: Organisation) -> bytes | Path:
    """The template a committee's document is filled from: the uploaded one in force (read
    now, from storage) or the built-in file."""
    uploaded = template_for(kind, committee)
    if uploaded is None:
        return built_in(kind)
    with uploaded.file.open("rb") as stored:
        data: bytes = stored.read()
    return data


def fill(template_source: bytes | Path, context: Context) -> bytes:
    """The DOCX of ``template_source`` filled with ``context`` (no database: it may run in a
    child process under limits, ``documents.rendering``)."""
    if isinstance(template_source, bytes):
        template = DocxTemplate(io.BytesIO(template_source))
    else:
        template = DocxTemplate(template_source)
    template.render(context, jinja_env=environment(), autoescape=True)
    name_fallback_fonts(template.docx.element.body)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def render(kind: Kind, context: Context, committee: Organisation) -> bytes:
    """Fill the committee's template for ``kind`` in this process (tests, benchmarks)."""
    return fill(source(kind, committee), context)


# --- Rare characters ------------------------------------------------------------------------

# Ideographs beyond the Basic Multilingual Plane (CJK Extensions B–I) are missing from the body
# fonts (宋体, Noto): they are put in runs of their own naming the fallback font the PDFs use,
# Hanazono Mincho for Extensions B–F and BabelStone Han from Extension G on.
FALLBACK_FROM = 0x20000
FALLBACK_G = 0x30000


def _fallback(char: str) -> str | None:
    point = ord(char)
    if point < FALLBACK_FROM:
        return None
    return "BabelStone Han" if point >= FALLBACK_G else "HanaMinB"


def _segments(text: str) -> list[tuple[str | None, str]]:
    """``text`` cut where the font it needs changes: (fallback font or None, piece)."""
    pieces: list[tuple[str | None, str]] = []
    for char in text:
        font = _fallback(char)
        if pieces and pieces[-1][0] == font:
            pieces[-1] = (font, pieces[-1][1] + char)
        else:
            pieces.append((font, char))
    return pieces


def _run_with(run: Any, child: Any, font: str | None) -> Any:
    """A copy of ``run``'s formatting holding ``child``, in ``font`` if given."""
    new = OxmlElement("w:r")
    properties = run.find(qn("w:rPr"))
    if properties is not None:
        new.append(copy.deepcopy(properties))
    new.append(child)
    if font:
        fonts = new.get_or_add_rPr().get_or_add_rFonts()
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(slot), font)
    return new


def name_fallback_fonts(body: Any) -> None:
    """Give every rare character of the rendered document a run naming its fallback font."""
    for run in list(body.iter(qn("w:r"))):
        texts = run.findall(qn("w:t"))
        if not any(_fallback(c) for t in texts for c in (t.text or "")):
            continue
        replacement = []
        for child in run:
            if child.tag == qn("w:rPr"):
                continue
            if child.tag != qn("w:t"):
                replacement.append(_run_with(run, copy.deepcopy(child), None))
                continue
            for font, piece in _segments(child.text or ""):
                text = OxmlElement("w:t")
                text.set(qn("xml:space"), "preserve")
                text.text = piece
                replacement.append(_run_with(run, text, font))
        for new in replacement:
            run.addprevious(new)
        run.getparent().remove(run)


# --- Checking an uploaded template -----------------------------------------------------------


def _source(template: DocxTemplate) -> str:
    """The Jinja source of the body, headers and footers, as docxtpl will render it."""
    document = template.get_docx()
    parts = [template.get_xml()]
    for rel in document.part.rels.values():
        if rel.reltype in (template.HEADER_URI, template.FOOTER_URI):
            blob = rel.target_part.blob
            parts.append(blob.decode("utf-8") if isinstance(blob, bytes) else str(blob))
    return "".join(template.patch_xml(part) for part in parts)


def _path(node: nodes.Node, bound: dict[str, str | None]) -> str | None:
    """``case.number`` for ``case.number``; a loop variable stands for its list's items, and a
    value the template sets itself is not a field (None)."""
    if isinstance(node, nodes.Name):
        return bound.get(node.name, node.name)
    if isinstance(node, nodes.Getattr):
        inner = _path(node.node, bound)
        return f"{inner}.{node.attr}" if inner else None
    if isinstance(node, nodes.Getitem):
        inner = _path(node.node, bound)
        if inner is None or not isinstance(node.arg, nodes.Const):
            return None
        key = node.arg.value
        return f"{inner}.{key}" if isinstance(key, str) else f"{inner}[]"
    return None


def _targets(loop: nodes.For) -> list[str]:
    target = loop.target
    names = [target] if isinstance(target, nodes.Name) else list(target.find_all(nodes.Name))
    return [name.name for name in names]


def _used(node: nodes.Node, bound: dict[str, str | None]) -> Iterator[str]:
    """Every field path a template reads."""
    if isinstance(node, nodes.For):
        yield from _used(node.iter, bound)
        items = _path(node.iter, bound)
        inner = dict(bound, loop=None)
        for name in _targets(node):
            inner[name] = f"{items}[]" if items else None
        for child in [*node.body, *node.else_, *([node.test] if node.test else [])]:
            yield from _used(child, inner)
        return
    if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem) and node.ctx == "load":
        path = _path(node, bound)
        if path is not None:
            yield path
            return
    for child in node.iter_child_nodes():
        yield from _used(child, bound)


def fields_used(tree: nodes.Template) -> set[str]:
    # Values the template sets itself ({% set %}, {% with %}, macro arguments) are not fields.
    loops = {name for loop in tree.find_all(nodes.For) for name in _targets(loop)}
    local: dict[str, str | None] = {
        n.name: None
        for n in tree.find_all(nodes.Name)
        if n.ctx in ("store", "param") and n.name not in loops
    }
    return {path for path in _used(tree, local) if path.split(".")[0] != "loop"}


def check(kind: Kind, upload: IO[bytes] | UploadedFile) -> None:
    """Refuse a file that is not a DOCX template, or that uses a field ``kind`` does not have."""
    data = upload.read()
    try:
        template = DocxTemplate(io.BytesIO(data))
        env = environment()
        top_level = template.get_undeclared_template_variables(jinja_env=env)
        tree = env.parse(_source(template))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise TemplateInvalid(syntax=str(exc) or type(exc).__name__) from exc
    except TemplateSyntaxError as exc:
        raise TemplateInvalid(syntax=f"{exc.message} (line {exc.lineno})") from exc
    permitted = allowed(kind)
    unknown = {name for name in top_level if name not in permitted}
    unknown |= {path for path in fields_used(tree) if path not in permitted}
    if unknown:
        raise TemplateInvalid(sorted(unknown))
