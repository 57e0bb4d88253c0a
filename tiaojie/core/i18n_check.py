"""``python -m tiaojie.core.i18n_check``: the translation catalogues are complete and compiled.

Fails when a zh_Hans entry is untranslated or fuzzy, when a placeholder differs between a
message and its translation, or when a compiled .mo file does not match its .po file.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent.parent / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w*)\}")


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def problems() -> list[str]:
    found: list[str] = []
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        language = po_path.parts[-3]
        po = polib.pofile(str(po_path))
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists():
            found.append(f"{mo_path}: missing; run scripts/messages")
            continue
        compiled = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(mo_path))}
        for entry in po:
            if entry.obsolete:
                continue
            where = f"{po_path.relative_to(LOCALE)}: {entry.msgid[:50]!r}"
            if "fuzzy" in entry.flags:
                found.append(f"{where} is fuzzy")
            translations = (
                list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
            )
            if language == "zh_Hans" and not all(translations):
                found.append(f"{where} is not translated")
                continue
            for text in translations:
                if text and _placeholders(text) != _placeholders(entry.msgid):
                    found.append(f"{where}: placeholders differ in {text!r}")
            if all(translations) and (entry.msgctxt, entry.msgid) not in compiled:
                found.append(f"{where} is not in the compiled {mo_path.name}; run scripts/messages")
            elif all(translations):
                got = compiled[(entry.msgctxt, entry.msgid)]
                got_texts = list(got.msgstr_plural.values()) if got.msgid_plural else [got.msgstr]
                if got_texts != translations:
                    found.append(f"{where}: compiled translation is stale; run scripts/messages")
    return found


def main() -> int:
    found = problems()
    for line in found:
        print(line, file=sys.stderr)
    if found:
        print(f"{len(found)} translation problems", file=sys.stderr)
        return 1
    print("Translations complete and compiled.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
