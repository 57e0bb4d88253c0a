"""Permission cases for the personal-information request page (PIPL, issue 16): only roles
with ``personal_info.request`` (the committee director), never an administrator."""

from __future__ import annotations

from tests import personas as p
from tests.permission_kit import ApiCase, PageCase

PAGE_CASES: list[PageCase] = [
    PageCase("cases:person_request", expect={p.DIRECTOR_A: 200}),
]

API_CASES: list[ApiCase] = []
