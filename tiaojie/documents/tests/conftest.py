"""Fixtures of the documents tests: files under a temporary MEDIA_ROOT, and cases built as
users build them."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject

from tiaojie.accounts.models import User
from tiaojie.cases.models import Case
from tiaojie.cases.tests import factories
from tiaojie.documents.tests.sample import full_case


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def mediator(db: None) -> User:
    return User.objects.get(username="demo_mediator")


@pytest.fixture
def full(mediator: User) -> Case:
    """A committee-A case with something in every document."""
    return full_case(mediator)


@pytest.fixture
def registered(mediator: User) -> Case:
    return factories.register(mediator)


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@dataclass(frozen=True)
class Run:
    """A piece of text drawn in one font at one place: its page (from 0), left and right edge
    and baseline in points from the page's top left, its font and its glyph ids."""

    page: int
    x0: float
    x1: float
    y: float
    size: float
    text: str
    font: str
    glyphs: tuple[int, ...]

    def overlaps(self, other: Run) -> bool:
        """Drawn over each other: on the same line and sharing some width."""
        same_line = abs(self.y - other.y) < min(self.size, other.size) * 0.8
        return same_line and self.x0 < other.x1 - 0.5 and other.x0 < self.x1 - 0.5


def _to_unicode(font: Any) -> dict[int, str]:
    """Glyph id → text, from the font's ToUnicode CMap (WeasyPrint writes Identity-H fonts)."""
    found: dict[int, str] = {}
    if "/ToUnicode" not in font:
        return found
    data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for cid, text in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            found[int(cid, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, text in re.findall(
            r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            start = int.from_bytes(bytes.fromhex(text), "big")
            for offset, cid in enumerate(range(int(low, 16), int(high, 16) + 1)):
                found[cid] = chr(start + offset)
    return found


def _widths(font: Any) -> tuple[dict[int, float], float]:
    """Glyph id → advance in thousandths of the font size, and the default."""
    descendant = font["/DescendantFonts"][0].get_object()
    widths: dict[int, float] = {}
    spec = list(descendant.get("/W", []))
    i = 0
    while i < len(spec):
        first = int(spec[i])
        if isinstance(spec[i + 1], list | ArrayObject):
            for offset, width in enumerate(spec[i + 1]):
                widths[first + offset] = float(width)
            i += 2
        else:
            for cid in range(first, int(spec[i + 1]) + 1):
                widths[cid] = float(spec[i + 2])
            i += 3
    return widths, float(descendant.get("/DW", 1000))


class _PageRuns:
    """Follows one page's text operators (fonts, text matrix, glyph strings) as pypdf reads
    them, and records each string as a ``Run``."""

    def __init__(self, number: int, fonts: Any) -> None:
        self.number, self.fonts = number, fonts
        self.font: Any = None
        self.size = 0.0
        self.matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        self.runs: list[Run] = []

    def __call__(self, op: bytes, args: list[Any], cm: list[float], tm: list[float]) -> None:
        if op == b"Tf":
            self.font, self.size = self.fonts[args[0]].get_object(), float(args[1])
        elif op == b"Tm":
            self.matrix = [float(a) for a in args]
        elif op == b"TJ" and self.font is not None:
            self._show(args[0], cm)

    def _show(self, items: list[Any], cm: list[float]) -> None:
        unicode, (widths, default) = _to_unicode(self.font), _widths(self.font)
        glyphs: list[int] = []
        advance = 0.0  # thousandths of the font size
        for item in items:
            if isinstance(item, bytes | str):
                raw = item if isinstance(item, bytes) else item.encode("latin-1")
                for k in range(0, len(raw), 2):
                    cid = int.from_bytes(raw[k : k + 2], "big")
                    glyphs.append(cid)
                    advance += widths.get(cid, default)
            else:
                advance -= float(item)
        a, _, _, d, e, f = self.matrix
        shift = advance / 1000 * self.size * a
        self.runs.append(
            Run(
                page=self.number,
                x0=e * cm[0],
                x1=(e + shift) * cm[0],
                y=f * -cm[3],
                size=self.size * abs(cm[3]),
                text="".join(unicode.get(cid, "") for cid in glyphs),
                font=str(self.font["/BaseFont"]).split("+")[-1],
                glyphs=tuple(glyphs),
            )
        )
        self.matrix = [a, 0.0, 0.0, d, e + shift, f]


def pdf_runs(data: bytes) -> list[Run]:
    """Every run of text with where it is drawn, computed from the PDF's own text operators
    and the embedded fonts' widths (pypdf's text extraction merges runs and loses where the
    later ones start)."""
    runs: list[Run] = []
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages):
        resources: Any = page["/Resources"]
        follow = _PageRuns(number, resources["/Font"])
        page.extract_text(visitor_operand_before=follow)
        runs.extend(follow.runs)
    return runs
