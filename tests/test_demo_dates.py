"""The demo goes through the services with the day each thing happened (``on=``): no demo
module rewrites dates afterwards with a queryset's ``.update(...)``, which would leave the
transition rows, the audit trail and the events saying "today" while the row says otherwise."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "tiaojie"
DATED = ("_at", "_on", "date")


def _demo_modules() -> list[Path]:
    found = list(ROOT.glob("*/demo*.py")) + list(ROOT.glob("*/demo/*.py"))
    found += [p for p in ROOT.glob("*/management/commands/seed*.py")]
    return sorted(set(found))


def _date_rewrites(path: Path, base: Path = ROOT.parent) -> list[str]:
    """``.update(...)`` calls with a keyword naming a date or a moment."""
    hits = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "update"
        ):
            dated = [k.arg for k in node.keywords if k.arg and k.arg.endswith(DATED)]
            if dated:
                hits.append(f"{path.relative_to(base)}:{node.lineno} {', '.join(dated)}")
    return hits


def test_the_scan_sees_the_demo_modules() -> None:
    names = {p.parent.name for p in _demo_modules()}
    assert {"cases", "screening", "subsidies", "supervision", "routing"} <= names


def test_the_scan_catches_a_date_rewrite_and_leaves_other_updates(tmp_path: Path) -> None:
    demo = tmp_path / "demo.py"
    demo.write_text(
        "Case.objects.filter(pk=1).update(closed_on=day, status='x')\n"
        "Round.objects.filter(pk=2).update(opened_at=now)\n"
        "Party.objects.filter(pk=3).update(birth_date=day)\n"
        "Organisation.objects.filter(pk=4).update(name='x')\n"
        "codes.update(other)\n",
        encoding="utf-8",
    )
    hits = [hit.split(" ", 1)[1] for hit in _date_rewrites(demo, base=tmp_path)]
    assert hits == ["closed_on", "opened_at", "birth_date"]


def test_no_demo_module_rewrites_dates_afterwards() -> None:
    hits = [hit for path in _demo_modules() for hit in _date_rewrites(path)]
    assert hits == [], "record the day through the service's on= instead:\n" + "\n".join(hits)
