"""``{% row_url 'cases:case_detail' case.pk %}``: the link of one row of a list.

``{% url %}`` resolves the pattern again for every row; on the case list's 50 rows that was a
tenth of the page's time in the load test (ADR 0074). The URL of a row differs from the next
only in its number, so the pattern is reversed once per process (per URLconf and script
prefix, as ``accounts.middleware.allowed_paths`` keeps them) and the number put in its place.
"""

from __future__ import annotations

import functools

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

# Reversed in the row's number's place: digits no real pattern holds, so the split is exact.
_SENTINEL = 8_642_097_531_864


@register.simple_tag
def row_url(name: str, pk: int | str) -> str:
    """The URL of ``name`` for the row ``pk`` (a whole number: anything else is refused, as
    ``reverse`` refuses it)."""
    number = int(pk)
    if number < 0:
        raise ValueError(f"row_url: {pk!r} is not a row's number")
    head, tail = _halves(name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    return f"{head}{number}{tail}"


@functools.lru_cache(maxsize=256)
def _halves(name: str, urlconf: str, prefix: str) -> tuple[str, str]:
    """The URL of ``name`` before and after its one number."""
    head, found, tail = reverse(name, args=[_SENTINEL], urlconf=urlconf).partition(str(_SENTINEL))
    if not found or str(_SENTINEL) in tail:
        raise ValueError(f"row_url: {name} does not take one number")
    return head, tail
