"""Call the API and check every response body against the OpenAPI schema it publishes."""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any

from django.test import Client
from jsonschema import Draft202012Validator

from config.api import api

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

PREFIX = "/api/v1"


@cache
def openapi() -> dict[str, Any]:
    # Through JSON, so the document is exactly what clients download.
    return json.loads(json.dumps(api.get_openapi_schema(), default=str))  # type: ignore[no-any-return]


def validate(response: Response, method: str, template: str) -> None:
    """Fail unless ``response`` is declared for this operation and its body matches the schema."""
    doc = openapi()
    operation = doc["paths"][PREFIX + template][method.lower()]
    status = str(response.status_code)
    assert status in operation["responses"], (
        f"{method.upper()} {template} answered {status}, which the schema does not declare"
    )
    declared = operation["responses"][status]
    if "content" not in declared:
        assert not response.content, f"{status} should have no body"
        return
    if "application/json" not in declared["content"]:
        # A file (a PDF, a DOCX): the schema only says which media types it may be.
        media_type = response["Content-Type"].split(";")[0]
        assert media_type in declared["content"], f"{status} {media_type} is not declared"
        return
    schema = {**declared["content"]["application/json"]["schema"], "components": doc["components"]}
    body = json.loads(response.content)
    errors = sorted(Draft202012Validator(schema).iter_errors(body), key=str)
    assert not errors, f"{method.upper()} {template} {status}: {errors[0].message}"


def call(
    client: Client,
    method: str,
    template: str,
    body: Any = None,
    *,
    query: dict[str, Any] | None = None,
    multipart: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    **params: Any,
) -> Response:
    """Request ``template`` (e.g. "/organisations/{org_id}") and validate the answer."""
    url = PREFIX + template.format(**params)
    kwargs: dict[str, Any] = {"headers": headers or {}}
    if multipart is not None:
        kwargs["data"] = multipart
    elif body is not None:
        kwargs |= {"data": json.dumps(body), "content_type": "application/json"}
    elif query:
        kwargs["data"] = query
    response: Response = getattr(client, method.lower())(url, **kwargs)
    validate(response, method, template)
    return response
