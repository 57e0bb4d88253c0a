"""Keeping personal data out of the audit trail (issue 16, hole 7; PIPL).

The trail is read by the audit administrator, who must not learn parties' ID numbers, phones
or names from it. Two rules applied in ``services.build``, the one path every event takes:

* **Filters** (what a search or an export was asked for) keep structured values — states,
  dates, ids, codes — but a free-text search is stored only as its kind: ``[id_number]``,
  ``[phone]`` or ``[text]``, never as typed.
* **Free-text reasons** keep their words, but any ID number or phone number in them is masked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tiaojie.core.masking import mask_id_number, mask_phone

# Parameters that carry what a person typed into a search box.
FREE_TEXT_KEYS = frozenset({"q", "search", "keyword", "name", "party", "id_number", "phone"})
_ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])|(?<![0-9])[0-9]{15}(?![0-9])")
_PHONE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])|(?<![0-9])0[0-9]{2,3}-?[0-9]{7,8}(?![0-9])")
# Structured values: codes, ids, dates, numbers (no CJK, which could be a name).
_STRUCTURED = re.compile(r"^[A-Za-z0-9_.:,\- ]{0,40}$")


def filter_kind(value: str) -> str:
    """What kind of search ``value`` was, without the value."""
    text = value.strip()
    if _ID_NUMBER.fullmatch(text):
        return "[id_number]"
    if _PHONE.fullmatch(text.replace(" ", "")):
        return "[phone]"
    return "[text]"


def describe_filters(filters: Mapping[str, Any]) -> dict[str, Any]:
    """``filters`` safe to keep: free text replaced by its kind."""
    described: dict[str, Any] = {}
    for key, value in filters.items():
        if not isinstance(value, str) or not value:
            described[key] = value
        elif key in FREE_TEXT_KEYS or not _STRUCTURED.match(value):
            described[key] = filter_kind(value)
        else:
            described[key] = value
    return described


def scrub_text(text: str) -> str:
    """``text`` with every ID number and phone number in it masked."""
    if not text:
        return text
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), text)
    return _PHONE.sub(lambda m: mask_phone(m.group(0)), text)
