"""Every URL declares who may use it; an undeclared view fails this test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from config.api import api

# Everything under /api/v1/ is checked operation by operation in test_api_access instead.
API_PREFIX = "api/v1/"


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_every_page_declares_an_access_rule() -> None:
    undeclared = [
        route
        for route, view in _walk(get_resolver().url_patterns)
        if not route.startswith(API_PREFIX) and not hasattr(view, "access_rule")
    ]
    assert undeclared == [], f"views without @access: {undeclared}"


# password_set: the one-time code from the e-mailed link is the credential (issue 16).
# The citizen API's sign-in (the texted code is the credential, rate-limited per phone and
# source), the respondent's link and its signing (its token, whose hash alone is stored, is the
# credential; signing also needs the code texted to the number the committee has) and
# the public lists (dispute types, the centres taking online applications, the directory of
# committees: published information only).
PUBLIC_OPERATIONS = {
    "token_create",
    "password_set",
    "citizen_code_send",
    "citizen_token_issue",
    "citizen_respondent",
    "citizen_respondent_answer",
    "citizen_respondent_signing",
    "citizen_respondent_signing_code",
    "citizen_respondent_sign",
    "citizen_respondent_signed_pdf",
    "citizen_directory",
    "citizen_dispute_types",
    "citizen_centres",
}


def test_every_api_operation_requires_a_token_unless_listed_public() -> None:
    schema = api.get_openapi_schema()
    seen = set()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            op_id = operation["operationId"]
            seen.add(op_id)
            if op_id in PUBLIC_OPERATIONS:
                assert not operation.get("security"), op_id
            else:
                assert operation.get("security"), f"{method.upper()} {path} ({op_id}) has no auth"
    assert seen >= PUBLIC_OPERATIONS
