"""The case page's registry: contributed actions filtered by capability and condition."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tiaojie.core import case_page


def test_actions_are_offered_by_capability_and_condition(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(case_page, "_ACTIONS", {})
    monkeypatch.setattr(case_page.CaseAction, "url", lambda self, case: f"/x/{case.pk}/")
    for action in (
        case_page.CaseAction("a.any", "任何人", "x", capability=None),
        case_page.CaseAction("b.cap", "有权限", "x", capability="case.handle"),
        case_page.CaseAction("c.never", "从不", "x", capability=None, when=lambda u, c: False),
    ):
        case_page.register_action(action)
        case_page.register_action(action)  # twice: still once
    case = SimpleNamespace(pk=7)
    handler = SimpleNamespace(can=lambda cap: True)
    reader = SimpleNamespace(can=lambda cap: False)
    assert [(a.key, url) for a, url in case_page.actions_for(handler, case)] == [
        ("a.any", "/x/7/"),
        ("b.cap", "/x/7/"),
    ]
    assert [a.key for a, _ in case_page.actions_for(reader, case)] == ["a.any"]
