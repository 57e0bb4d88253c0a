"""The overdue-source registry: other apps' overdue work in the deadlines list, by key."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tiaojie.deadlines import sources


def test_a_source_registered_twice_is_listed_once_and_empty_sources_are_left_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sources, "_SOURCES", {})  # the apps' own sources need a database
    item = sources.OverdueItem("月度排查", "某街道", dt.date(2026, 1, 1), 3, "/x/")
    late = sources.OverdueSource("test.late", "逾期", lambda user: [item])
    sources.register(late)
    sources.register(late)
    sources.register(sources.OverdueSource("test.none", "无", lambda user: []))
    user: Any = object()
    found = [(s.key, items) for s, items in sources.overdue_elsewhere(user)]
    assert found == [("test.late", [item])]
