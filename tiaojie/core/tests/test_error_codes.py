"""Every refusal carries a code from its app's ``error_codes`` enum, never a bare string.

Clients and tests match on the codes, so a code typed by hand in one raise (and misspelt) would
be a silent break. mypy refuses a ``str`` where ``DomainError`` wants an ``ErrorCode``; this scan
also catches what mypy cannot see (an ``Any`` passed through) and keeps the rule readable."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from tiaojie.core.error_codes import ErrorCode

PACKAGE = Path(__file__).resolve().parents[2]

# The errors and helpers that take a code, and where the code goes (position, keyword).
BASES = {"DomainError", "ValidationFailed", "Conflict", "NotPermitted"}
HELPERS = {"field_error": 2, "refuse": 0, "_refuse": 0}


def _sources() -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


def _error_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """DomainError and every class that derives from it (by name, to any depth)."""
    names = set(BASES)
    grew = True
    while grew:
        grew = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names:
                    bases = {
                        b.id if isinstance(b, ast.Name) else getattr(b, "attr", "")
                        for b in node.bases
                    }
                    if bases & names:
                        names.add(node.name)
                        grew = True
    return names


def _is_text(node: ast.expr | None) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _bare_codes(trees: dict[Path, ast.Module]) -> list[str]:
    errors = _error_classes(trees)
    found = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            position = 0 if name in errors else HELPERS.get(name or "")
            candidates = [k.value for k in node.keywords if k.arg in {"code", "illegal_code"}]
            if position is not None and len(node.args) > position:
                candidates.append(node.args[position])
            if position is None:
                candidates = [k.value for k in node.keywords if k.arg == "illegal_code"]
            for arg in candidates:
                if _is_text(arg):
                    found.append(f"{path.name}:{node.lineno} {name}({ast.unparse(arg)})")
    return found


def test_no_refusal_carries_a_bare_string_code() -> None:
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in _sources()}
    assert _bare_codes(trees) == [], "use the app's error_codes enum (e.g. E.NOT_PERMITTED)"


def test_the_scan_sees_each_shape_of_bare_code(tmp_path: Path) -> None:
    """The scan is not vacuous: a literal code in each shape it looks for is found, and a code
    from an enum is not."""
    source = (
        "class Late(Conflict): pass\n"
        "raise Conflict('stale', m)\n"
        "raise Late(f'x{y}', m)\n"
        "raise field_error('f', m, 'bad')\n"
        "raise field_error('f', m, code='bad2')\n"
        "refuse('y', m)\n"
        "Messages(illegal_code='z')\n"
        "raise Conflict(E.STALE_VERSION, m)\n"
    )
    found = _bare_codes({tmp_path / "x.py": ast.parse(source)})
    assert [line.split(" ", 1)[1] for line in found] == [
        "Conflict('stale')",
        "Late(f'x{y}')",
        "field_error('bad')",
        "field_error('bad2')",
        "refuse('y')",
        "Messages('z')",
    ]


@pytest.mark.parametrize(
    "app",
    sorted(p.parent.name for p in PACKAGE.glob("*/error_codes.py")),
)
def test_each_apps_codes_derive_from_the_one_base(app: str) -> None:
    module = importlib.import_module(f"tiaojie.{app}.error_codes")
    enums = [
        value
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, ErrorCode) and value is not ErrorCode
    ]
    assert enums, f"tiaojie/{app}/error_codes.py declares no ErrorCode enum"
    for enum in enums:
        for member in enum:
            # The wire value is the member's name in lower case: one spelling to search for.
            assert member.value == member.name.lower()
