"""Permission cases for triage: whoever registers disputes may read a narrative (the intake
suggestion and the classify API); nobody else."""

from __future__ import annotations

from tests import personas as p
from tests.permission_kit import ApiCase, PageCase

REGISTRARS = {
    name: 200
    for name in (p.MEDIATOR_A, p.MEDIATOR_B, p.DIRECTOR_A, p.GRID_A, p.STREET, p.DISTRICT, p.CITY)
}

PAGE_CASES = [
    PageCase("triage:suggest", expect=REGISTRARS, method="post"),
]

API_CASES = [
    ApiCase(
        "screening_classify",
        "post",
        "/screening/classify",
        body=lambda: {"text": "楼上漏水，双方吵了几次。", "channel": "hotline"},
        expect=REGISTRARS,
        default=403,
    ),
]
