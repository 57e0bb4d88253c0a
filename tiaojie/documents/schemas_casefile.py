"""Response schema of a whole-case-file render through the API (``documents/api_casefile.py``)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class CaseFileRenderOut(Schema):
    id: int
    status: str = Field(
        description="queued (waiting for the worker), running, done (download it), failed"
    )
    progress: int = Field(description="percent done")
    pages: int | None
    full_identity: bool = Field(description="rendered with the parties' identity in full")
    created_at: dt.datetime
    finished_at: dt.datetime | None
    download: str | None = Field(description="where to download the PDF once done")
