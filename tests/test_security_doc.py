"""docs/security.md maps each third-level control to the test that proves it: every test it
names must exist, so the table cannot point at a file or test that has gone (issue 16)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "security.md"
# `path/to/test_x.py` or `path/to/test_x.py::test_name…` (a name may be cut short with …).
NAMED = re.compile(r"`([\w./-]*test_\w+\.py)(?:::(\w+)…?)?`")
FAMILIES = (
    "身份鉴别",
    "访问控制",
    "安全审计",
    "入侵防范",
    "数据完整性",
    "数据保密性",
    "数据备份恢复",
    "剩余信息保护",
    "个人信息保护",
)


def _named() -> list[tuple[str, str | None]]:
    return [(m.group(1), m.group(2)) for m in NAMED.finditer(PAGE.read_text(encoding="utf-8"))]


def test_every_test_the_security_page_names_exists() -> None:
    named = _named()
    assert len(named) > 30
    missing = [path for path, _name in named if not (ROOT / path).is_file()]
    assert missing == [], f"docs/security.md names test files that do not exist: {missing}"
    absent = [
        f"{path}::{name}"
        for path, name in named
        if name and not re.search(rf"^def {name}", (ROOT / path).read_text(), re.MULTILINE)
    ]
    assert absent == [], f"docs/security.md names tests that do not exist: {absent}"


def test_tests_are_named_by_their_path_from_the_repository_root() -> None:
    # A bare ``test_privacy.py`` could be either of two files.
    bare = [path for path, _name in _named() if "/" not in path]
    assert bare == []


def test_every_control_family_has_a_row_with_a_test() -> None:
    rows = [
        line
        for line in PAGE.read_text(encoding="utf-8").splitlines()
        if line.startswith("| ") and NAMED.search(line)
    ]
    for family in FAMILIES:
        assert any(row.startswith(f"| {family}") for row in rows), family
