"""Chinese full-text search over narratives and party names.

Chinese has no spaces between words, and users search with one or two characters (房, 工资).
Every run of CJK characters is indexed as its single characters and its overlapping pairs,
other text as lower-cased words; the tokens are stored space-padded in ``Case.search_tokens``.
A query matches when every token of the query is present, each as `` token `` — so 工资
matches the pair 工资 and never 工 followed elsewhere by 资. On PostgreSQL a pg_trgm GIN
index answers those LIKE patterns (the padding makes even one character a full trigram).
See docs/decisions/0007-chinese-search.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import Q

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[0-9A-Za-z]+")


def tokens(text: str) -> list[str]:
    """The search tokens of ``text``, in order of first appearance, without repeats."""
    seen: dict[str, None] = {}
    for run in _CJK.findall(text):
        for index, char in enumerate(run):
            seen.setdefault(char, None)
            if index + 1 < len(run):
                seen.setdefault(run[index : index + 2], None)
    for word in _WORD.findall(text):
        seen.setdefault(word.lower(), None)
    return list(seen)


def index_text(parts: Iterable[str]) -> str:
    """What to store in ``search_tokens``: the tokens, each with a space on both sides."""
    found = tokens(" ".join(parts))
    return f" {' '.join(found)} " if found else ""


def query_tokens(query: str) -> list[str]:
    """The tokens a query needs: single characters alone, pairs for anything longer."""
    needed: list[str] = []
    for run in _CJK.findall(query):
        if len(run) == 1:
            needed.append(run)
        else:
            needed.extend(run[i : i + 2] for i in range(len(run) - 1))
    needed.extend(word.lower() for word in _WORD.findall(query))
    return list(dict.fromkeys(needed))


def matches(query: str, field: str = "search_tokens") -> Q | None:
    """A filter for cases matching every token of ``query``; None if it has no tokens."""
    needed = query_tokens(query)
    if not needed:
        return None
    condition = Q()
    for token in needed:
        condition &= Q(**{f"{field}__contains": f" {token} "})
    return condition
