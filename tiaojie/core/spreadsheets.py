"""Reading spreadsheets people filled by hand: headers and choice words matched whatever the
width, case, spacing or punctuation, and in every interface language. Shared by the tree
import and the case-ledger import; each keeps its own columns and words."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import Protocol

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.functional import Promise

_IGNORED_CHARACTERS = dict.fromkeys(map(ord, " \t\r\n_-()、/·,.*:"))

Choices = Mapping[str, tuple[type[models.TextChoices], Mapping[str, tuple[str, ...]]]]


class HasHeaders(Protocol):
    @property
    def header(self) -> str: ...

    @property
    def field(self) -> str: ...

    @property
    def aliases(self) -> tuple[str, ...]: ...


def normalise(text: str) -> str:
    """Fold what people vary without meaning to: width, case, spaces and punctuation."""
    return unicodedata.normalize("NFKC", text).lower().translate(_IGNORED_CHARACTERS)


def in_every_language(text: str | Promise) -> Iterable[str]:
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            yield str(text)


def header_lookup(columns: Iterable[HasHeaders]) -> dict[str, str]:
    """Normalised header (as written, English alias or field name) → field."""
    lookup: dict[str, str] = {}
    for column in columns:
        for name in (column.header, column.field, *column.aliases):
            lookup[normalise(name)] = column.field
    return lookup


def choice_lookup(choices: Choices, field: str) -> dict[str, str]:
    """Normalised accepted word (code, label in any language, or a listed word) → code."""
    enum, words = choices[field]
    lookup: dict[str, str] = {}
    for code in enum.values:
        lookup[normalise(code)] = code
        for label in in_every_language(enum(code).label):
            lookup[normalise(label)] = code
    for code, names in words.items():
        for word in names:
            lookup[normalise(word)] = str(code)
    return lookup


def choice_names(choices: Choices, field: str) -> str:
    """The words to suggest for a choice column, as one line."""
    return " / ".join(words[0] for words in choices[field][1].values())
