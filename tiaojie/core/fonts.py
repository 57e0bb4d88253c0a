"""Which characters the documents can print: the fonts the PDF templates name (``base.html``),
as fontconfig (which WeasyPrint draws with) sees them. Their character sets are read once per
process with ``fc-list`` (a few milliseconds); each check is then a binary search.

Names hold rare characters (CJK Extensions B–H) that many fonts lack; a character no font has
prints as an empty box while the text layer is right, so intake warns about it before anything
is printed."""

from __future__ import annotations

import bisect
import functools
import os
import shutil
import subprocess
import unicodedata

from django.utils.translation import gettext as _

# In the order of the font-family list of templates/documents/pdf/base.html.
PDF_FONTS = ("Noto Serif CJK SC", "HanaMinB", "HanaMinA", "BabelStone Han", "Noto Sans CJK SC")


def _fc_list(*args: str) -> list[str] | None:
    """The lines ``fc-list`` prints for ``args``; None when fontconfig cannot be asked."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        listed = subprocess.run(  # noqa: S603 - a fixed program and arguments of ours
            [fc_list, *args],
            capture_output=True,
            encoding="utf-8",
            errors="surrogateescape",
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return listed.stdout.splitlines() if listed.returncode == 0 else None


def _charsets(family: str) -> list[str]:
    """fontconfig's character sets of an installed family's faces, as ranges of hex code
    points (``20-7e 3000 4e00-9fff``); none when fontconfig is not there to ask."""
    return _fc_list("--format", "%{charset}\n", family) or []


def font_files() -> list[str] | None:
    """Every file fontconfig offers for the documents' fonts, with its size and modification
    time (``path<TAB>size<TAB>mtime``), sorted; None when fontconfig cannot be asked. A font
    installed, removed or upgraded changes the list (tiaojie.documents.pdf keys the reuse of a
    laid-out case file on it). Asked afresh each time (about 10 ms): WeasyPrint reads
    fontconfig afresh for each layout, so a worker that has run for a month lays out with a
    font installed yesterday, and the fingerprint must say so."""
    listed = _fc_list("--format", "%{family}\t%{file}\n")
    if listed is None:
        return None
    wanted = set(PDF_FONTS)
    files: set[str] = set()
    for line in listed:
        family, _tab, path = line.partition("\t")
        # A family may be listed under several names: "HanaMinA,花園明朝A".
        if wanted.isdisjoint(name.strip() for name in family.split(",")):
            continue
        try:
            stat = os.stat(path)
        except OSError:
            continue
        files.add(f"{path}\t{stat.st_size}\t{stat.st_mtime_ns}")
    return sorted(files)


@functools.cache
def drawable() -> tuple[list[int], list[int]]:
    """The code points some font of the documents has, as merged ranges: their starts and
    their ends (both empty when no font could be found: then nothing is known)."""
    ranges: list[tuple[int, int]] = []
    for family in PDF_FONTS:
        for charset in _charsets(family):
            for part in charset.split():
                first, _dash, last = part.partition("-")
                ranges.append((int(first, 16), int(last or first, 16)))
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(ranges):
        if ends and start <= ends[-1] + 1:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def can_draw(char: str) -> bool:
    starts, ends = drawable()
    at = bisect.bisect_right(starts, ord(char)) - 1
    return at >= 0 and ord(char) <= ends[at]


def undrawable(text: str) -> list[str]:
    """The characters of ``text`` that no font of the documents can draw, each once, in order
    (white space and invisible format characters aside)."""
    if not drawable()[0]:
        return []
    missing: dict[str, None] = {}
    for char in text:
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf"):
            continue
        if not can_draw(char):
            missing[char] = None
    return list(missing)


def name_warnings(names: list[str]) -> list[str]:
    """A warning for each name that holds characters the printed documents would show as an
    empty box: the name is kept as typed, and the clerk may write it by hand on the print."""
    warnings = []
    for name in names:
        missing = undrawable(name)
        if missing:
            warnings.append(
                _(
                    "“%(name)s” contains %(chars)s, which no installed font can print: the "
                    "printed documents will show an empty box in its place. The name is saved "
                    "as typed; write the character in by hand on the print."
                )
                % {
                    "name": name,
                    "chars": "、".join(f"{c}（U+{ord(c):04X}）" for c in missing),
                }
            )
    return warnings
