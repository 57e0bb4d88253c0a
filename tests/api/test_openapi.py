"""The published API contract: a committed snapshot makes every change a reviewable diff."""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.test import Client

from tests.api.schema import openapi

SNAPSHOT = Path(__file__).with_name("openapi.json")


def _render() -> str:
    return json.dumps(openapi(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def test_openapi_matches_the_committed_snapshot() -> None:
    if os.environ.get("UPDATE_OPENAPI_SNAPSHOT") == "1":
        SNAPSHOT.write_text(_render(), encoding="utf-8")
    assert SNAPSHOT.read_text(encoding="utf-8") == _render(), (
        "The API changed. Review it, then run: UPDATE_OPENAPI_SNAPSHOT=1 "
        ".venv/bin/python -m pytest tests/api/test_openapi.py"
    )


def test_schema_and_docs_are_served_locally(db: None) -> None:
    client = Client()
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Tiaojie API"
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    # The interactive docs load Swagger UI from our own static files, never from a CDN.
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
