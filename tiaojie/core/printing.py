"""HTML to PDF (WeasyPrint, the CJK fonts the documents use, nothing fetched) under the limits
of ``core.isolation``: for reports laid out from the database's figures (statistics, campaign
reports). The unified documents have their own path (``documents.rendering``)."""

from __future__ import annotations

from weasyprint import HTML
from weasyprint.urls import URLFetcher

from tiaojie.core.isolation import Limits, run_limited

# Reports are built from the database and local fonts only: nothing is ever fetched.
NO_FETCHING = URLFetcher(allowed_protocols=())


def _write(html: str) -> bytes:
    return HTML(string=html, url_fetcher=NO_FETCHING).write_pdf()  # type: ignore[no-any-return]


def pdf_from_html(html: str, *, what: str) -> bytes:
    """``html`` as PDF, laid out in a child process under the configured limits; ``what`` names
    it in the message a user reads if it is stopped ("the statistics report")."""
    return run_limited(_write, html, limits=Limits.configured(), what=what)
