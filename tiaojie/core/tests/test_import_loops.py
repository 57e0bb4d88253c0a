"""No two apps import each other, in any layer (docs/architecture.md, "Layers").

import-linter's layers contract keeps imports from running upward, but apps in one layer may use
each other, so a loop inside a layer (deadlines ↔ notifications, say) would pass it. This scan
reads every ``tiaojie.<app>`` import outside tests, migrations and TYPE_CHECKING blocks and
fails on any pair of apps that import each other, including apps added later."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]


def _imports(tree: ast.Module) -> list[str]:
    """The ``tiaojie.*`` modules a module imports at run time (not under TYPE_CHECKING)."""
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            hidden.update(id(inner) for inner in ast.walk(node))
    found: list[str] = []
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tiaojie."):
            found.append(node.module or "")
        elif isinstance(node, ast.Import):
            found.extend(a.name for a in node.names if a.name.startswith("tiaojie."))
    return found


def loops(sources: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Pairs of apps that import each other, given each module's path (app first) and imports."""
    edges: dict[str, set[str]] = defaultdict(set)
    for path, modules in sources.items():
        app = path.split("/")[0]
        edges[app].update(m.split(".")[1] for m in modules if m.split(".")[1] != app)
    pairs = {(min(a, b), max(a, b)) for a in edges for b in edges[a] if a in edges.get(b, set())}
    return sorted(pairs)


def _sources() -> dict[str, list[str]]:
    sources: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if "tests" in relative.parts or "migrations" in relative.parts or len(relative.parts) < 2:
            continue
        sources[str(relative)] = _imports(ast.parse(path.read_text(encoding="utf-8")))
    return sources


def test_no_two_apps_import_each_other() -> None:
    assert loops(_sources()) == []


def test_the_scan_sees_a_loop_and_ignores_annotations() -> None:
    a = ast.parse("from tiaojie.beta.models import X\n")
    b = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "import tiaojie.alpha.services\n"
        "if TYPE_CHECKING:\n    from tiaojie.gamma.models import Y\n"
    )
    c = ast.parse("from tiaojie.beta import services\n")
    sources = {"alpha/x.py": _imports(a), "beta/y.py": _imports(b), "gamma/z.py": _imports(c)}
    assert loops(sources) == [("alpha", "beta")]
