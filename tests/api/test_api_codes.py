"""Every coded field of the API is documented as its codes, each with its Chinese label, and an
unknown code is refused with the valid ones (issue 9 item 13)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.test import Client

from tests.api.schema import call, openapi
from tiaojie.cases.models import Case

# Names that hold a code wherever they appear in a schema.
CODED = {
    "source",
    "dispute_type",
    "dispute_types",
    "decline_reason",
    "end_reason",
    "method",
    "satisfaction",
    "performance",
    "gender",
    "role",
    "roles",
    "kind",
    "status",
    "case_status",
    "from_status",
    "to_status",
    "agreement_kind",
    "outcome",
    "tier",
    "spread",
    "sector",
    "station",
    "committee_kind",
    "close_out_reason",
    "pending",
    "pending_role",
    "level",
    "unit",
}
# Where such a name holds something else, and what.
NOT_CODES = {
    # the review's copy of a case file shows labels, never codes (no personal data, read by people)
    ("CaseFileOut", "dispute_type"),
    ("CaseFileOut", "status"),
    ("CaseFileOut", "agreement_kind"),
    ("PartyLineOut", "role"),
    # free text: how a supervision ended; where a year's calendar was taken from
    ("SupervisionOut", "outcome"),
    ("SupervisionTransitionIn", "outcome"),
    ("CalendarYearIn", "source"),
    ("CalendarYearOut", "source"),
    ("CalendarYearSummaryOut", "source"),
    # where a deadline rule comes from: own, inherited or default (a setting, not a vocabulary)
    ("RuleOut", "source"),
    # a number: the supervision's escalation level
    ("SupervisionSummaryOut", "level"),
    ("SupervisionOut", "level"),
}
DICTIONARY = {"dispute_type", "dispute_types"}


def _properties() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for name, schema in openapi()["components"]["schemas"].items():
        for prop, spec in schema.get("properties", {}).items():
            yield name, prop, spec


def _leaves(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The value schemas of a property: through null unions and into list items."""
    variants = [v for v in spec.get("anyOf", [spec]) if v.get("type") != "null"]
    return [v.get("items", v) if v.get("type") == "array" else v for v in variants]


def test_every_coded_field_lists_its_codes_with_their_chinese_labels() -> None:
    unlisted = []
    for name, prop, spec in _properties():
        if prop not in CODED or (name, prop) in NOT_CODES or prop in DICTIONARY:
            continue
        for leaf in _leaves(spec):
            if "$ref" in leaf:
                continue  # a nested object, checked under its own name
            if "enum" not in leaf:
                unlisted.append(f"{name}.{prop}")
                continue
            for code in leaf["enum"]:
                shown = code or '""'  # the empty code: not given
                assert f"`{shown}`: " in leaf["description"], (name, prop, code)
    assert not unlisted, unlisted
    gender = openapi()["components"]["schemas"]["PartyIn"]["properties"]["gender"]
    assert "`2`: 女" in gender["description"]
    reason = openapi()["components"]["schemas"]["TransitionIn"]["properties"]["decline_reason"]
    assert "`not_civil`: 不属于民间纠纷" in _leaves(reason)[0]["description"]


def test_a_dispute_type_is_documented_as_a_code_of_the_dictionary() -> None:
    for name, prop, spec in _properties():
        if prop in DICTIONARY and (name, prop) not in NOT_CODES:
            leaf = _leaves(spec)[0]
            assert "GET /api/v1/dispute-types" in leaf.get("description", ""), (name, prop)


def test_an_unknown_code_is_refused_with_the_valid_ones(api_as: Callable[[str], Client]) -> None:
    body = {
        "dispute_type": "neighbours",
        "source": "walk_in",
        "summary": "楼上漏水殃及楼下",
        "narrative": "申请人称楼上卫生间漏水三个月。",
        "parties": [{"role": "applicant", "name": "王建华", "gender": "F"}],
    }
    response = call(api_as("demo_mediator"), "post", "/cases", body)
    assert response.status_code == 422, response.json()
    fields = response.json()["fields"]
    assert "application" in fields["source"][0] and "hotline" in fields["source"][0]
    assert fields["source"][0].startswith("请从以下代码中选择"), fields["source"]
    assert "1, 2, 0" in fields["parties.0.gender"][0], fields
    assert not Case.objects.exists()
