"""The case records of the two permission suites, shared by the per-app case lists in
``tests/permissions/`` (each app lists its own pages and operations there)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# The apps whose permission cases live in tests/permissions/<app>.py, each defining
# ``PAGE_CASES: list[PageCase]`` and ``API_CASES: list[ApiCase]``.
APP_CASE_MODULES = (
    "routing",
    "deadlines",
    "notifications",
    "supervision",
    "reviews",
    "case_records",
    "accounts",
    "privacy",
    "statistics",
    "subsidies",
    "mediators",
    "experts",
    "associations",
    "studios",
    "screening",
    "triage",
    "public",
    "video",
    "organisations",
)


@dataclass
class PageCase:
    """One URL and the status each persona must get (anyone not listed: ``default``)."""

    url_name: str
    kwargs: Callable[[], dict[str, Any]] = dict
    expect: dict[str, int] = field(default_factory=dict)
    default: int = 403
    method: str = "get"
    public: bool = False


@dataclass
class ApiCase:
    operation_id: str
    method: str
    template: str
    params: Callable[[], dict[str, Any]] = dict
    body: Callable[[], Any] | None = None
    multipart: Callable[[], dict[str, Any]] | None = None
    expect: dict[str, int] = field(default_factory=dict)
    default: int = 200


def app_cases(attribute: str) -> list[Any]:
    cases: list[Any] = []
    for name in APP_CASE_MODULES:
        module = importlib.import_module(f"tests.permissions.{name}")
        cases.extend(getattr(module, attribute))
    return cases
