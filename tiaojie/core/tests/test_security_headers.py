"""Issue 16 controls: a Content-Security-Policy without inline scripts, a Permissions-Policy,
and API docs private unless configured otherwise."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.test import Client


def test_every_page_carries_the_policies(db: None) -> None:
    response = Client().get("/login/")
    csp = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_no_template_has_an_inline_script_or_handler() -> None:
    """What the policy would block: inline <script> bodies and on…= attributes."""
    offenders = []
    roots = [Path(settings.BASE_DIR) / "templates", Path(settings.BASE_DIR) / "tiaojie"]
    for root in roots:
        for path in root.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            for tag in re.findall(r"<script\b[^>]*>", text):
                if "src=" not in tag and "application/json" not in tag:
                    offenders.append(f"{path}: {tag}")
            if re.search(r"\son[a-z]+\s*=", text):
                offenders.append(f"{path}: event handler attribute")
    assert offenders == []


def test_api_docs_are_private_unless_configured(db: None, settings: object) -> None:
    settings.TIAOJIE_API_DOCS_PUBLIC = False  # type: ignore[attr-defined]
    anonymous = Client()
    assert anonymous.get("/api/v1/docs").status_code == 302
    assert anonymous.get("/api/v1/openapi.json").status_code == 302
    settings.TIAOJIE_API_DOCS_PUBLIC = True  # type: ignore[attr-defined]
    assert anonymous.get("/api/v1/docs").status_code == 200
