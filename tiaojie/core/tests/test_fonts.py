"""Which characters the documents' fonts can draw, as intake's warning asks."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from tiaojie.core import fonts

BASE = Path(settings.BASE_DIR) / "tiaojie/documents/templates/documents/pdf/base.html"


def test_the_fonts_asked_are_those_the_pdfs_name() -> None:
    family = re.search(r"html \{ font-family: ([^;]+);", BASE.read_text())
    assert family is not None
    named = [name.strip().strip('"') for name in family[1].split(",")]
    assert tuple(named[: len(fonts.PDF_FONTS)]) == fonts.PDF_FONTS


def test_rare_characters_of_extensions_a_to_g_are_drawable() -> None:
    assert fonts.undrawable("王建华 黄𪚥 㐀𠀀𪜀𫝀𫠠𬺰𰀀·") == []


def test_a_character_of_no_font_is_named() -> None:
    assert fonts.undrawable("黄\U0002ebf0\U0002ebf0 \u200b") == ["\U0002ebf0"]


def test_the_font_files_of_every_family_the_pdfs_name_are_listed() -> None:
    """The case file's reuse is keyed on these files: each family has one, with its size."""
    files = fonts.font_files()
    assert files is not None
    assert files == sorted(files)
    paths = [line.split("\t")[0] for line in files]
    for stem in ("NotoSerifCJK", "HanaMinA", "HanaMinB", "BabelStoneHan"):
        assert any(stem in Path(path).name for path in paths), (stem, paths)
    assert all(int(line.split("\t")[1]) > 1_000_000 for line in files)
