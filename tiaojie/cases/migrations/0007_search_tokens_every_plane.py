"""Search tokens again for every case: the tokeniser now indexes Han characters of every plane
(𠮷, 𪚥), letters beyond ASCII, and full-width forms as ASCII (cases.search, ADR 0007).

The tokeniser is frozen here as it was when this migration was written: a migration must give
the same result whenever it runs, whatever ``cases.search`` becomes later (a later change of
the tokens gets a migration of its own)."""

import re
import unicodedata
from collections.abc import Iterable

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

_HAN = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002a6df\U0002a700-\U0002ebef\U0002f800-\U0002fa1f"
    "\U00030000-\U0003134f\U00031350-\U000323af"
)
_CJK = re.compile(f"[{_HAN}]+")
_WORD = re.compile(f"(?:(?![{_HAN}_])\\w)+")


def _tokens(text: str) -> list[str]:
    seen: dict[str, None] = {}
    text = unicodedata.normalize("NFKC", text)
    for run in _CJK.findall(text):
        for index, char in enumerate(run):
            seen.setdefault(char, None)
            if index + 1 < len(run):
                seen.setdefault(run[index : index + 2], None)
    for word in _WORD.findall(text):
        seen.setdefault(word.lower(), None)
    return list(seen)


def index_text(parts: Iterable[str]) -> str:
    found = _tokens(" ".join(parts))
    return f" {' '.join(found)} " if found else ""


def reindex(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    case_model = apps.get_model("cases", "Case")
    party_model = apps.get_model("cases", "Party")
    names: dict[int, list[str]] = {}
    for case_id, name in party_model.objects.values_list("case_id", "name").iterator():
        names.setdefault(case_id, []).append(name)
    last = 0
    while True:
        # Chunks by primary key: no cursor stays open while the chunk is written (SQLite).
        chunk = list(
            case_model.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "summary", "narrative", "requests", "search_tokens")[:500]
        )
        if not chunk:
            return
        last = chunk[-1].pk
        changed = []
        for case in chunk:
            parts = [case.summary, case.narrative, case.requests, *names.get(case.pk, [])]
            tokens = index_text(parts)
            if tokens != case.search_tokens:
                case.search_tokens = tokens
                changed.append(case)
        case_model.objects.bulk_update(changed, ["search_tokens"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_governance_centres")]
    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
