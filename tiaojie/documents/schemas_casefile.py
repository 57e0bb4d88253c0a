"""Response schema of a whole-case-file render through the API (``documents/api_casefile.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from tiaojie.core.api import codes
from tiaojie.documents.models import RenderStatus


class CaseFileRenderOut(Schema):
    id: int
    status: Annotated[
        str,
        codes(
            RenderStatus,
            note="done: download it; queued: waiting for the worker; stopped: see message.",
        ),
    ]
    progress: int = Field(description="percent done")
    pages: int | None
    full_identity: bool = Field(description="rendered with the parties' identity in full")
    created_at: dt.datetime
    finished_at: dt.datetime | None
    laid_out_at: dt.datetime | None = Field(
        description="when the stored file was laid out: finished_at, or earlier when nothing "
        "the file prints had changed since an earlier render and its file was used"
    )
    reused: bool = Field(description="the file of an earlier render with the same content")
    download: str | None = Field(description="where to download the PDF once done")
    message: str | None = Field(
        description="why a render was stopped at its time or memory limit (status stopped)"
    )
