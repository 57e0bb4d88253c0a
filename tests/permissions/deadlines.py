"""Permission cases for the deadlines pages and API operations."""

from __future__ import annotations

from tests.permission_kit import ApiCase, PageCase

PAGE_CASES: list[PageCase] = []
API_CASES: list[ApiCase] = []
