"""Uploading a ledger: a small one is imported within the request, a large one in the background.

A large ledger is stored under MEDIA_ROOT/imports/ and a ``LedgerImport`` row is queued; the
task ``cases.tasks.import_ledger`` (enqueued on commit) claims the row, checks every row, then
imports them, writing progress on the row, which the page and the API poll. The stored file holds
parties' ID numbers: it is deleted as soon as the import has finished, whatever the outcome.

The import is one transaction, and no other connection sees inside it until it commits. On
PostgreSQL the progress is therefore written through a second connection of its own; SQLite lets
one connection write at a time, so there the row shows the rows done only at the end.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import uuid
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, TYPE_CHECKING
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tiaojie.cases.choices import LedgerImportStatus
from tiaojie.cases.error_codes import CasesErrorCode as E
from tiaojie.cases.ledger_import import ledger_import, require_ledger_import
from tiaojie.cases.ledger_rows import MAX_ROWS, parse_ledger
from tiaojie.cases.models import Case, LedgerImport
from tiaojie.cases.services.intake import committee_for
from tiaojie.cases.tasks import import_ledger
from tiaojie.core.errors import DomainError, NotPermitted
from tiaojie.core.imports import (
    MAX_FILE_BYTES,
    ImportInvalid,
    RowError,
    check_upload,
    read_table,
)

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from tiaojie.accounts.models import User

logger = logging.getLogger(__name__)

# Up to this many rows a ledger is imported while the user waits (a few seconds).
SMALL_LEDGER_ROWS = 200
STATUS = LedgerImportStatus


@dataclass(frozen=True)
class LedgerUpload:
    """What became of an upload: the cases created now (and the registration dates they span),
    or the import queued for later."""

    created: int = 0
    registered_from: dt.date | None = None
    registered_to: dt.date | None = None
    job: LedgerImport | None = None


def ledger_imports_for(user: User) -> QuerySet[LedgerImport]:
    """The imports of the user's committee: everyone who may import there follows them."""
    try:
        return LedgerImport.objects.filter(committee=committee_for(user))
    except NotPermitted:
        return LedgerImport.objects.none()


def cases_url(registered_from: dt.date | None, registered_to: dt.date | None) -> str:
    """The case list filtered to the registration dates an import spans, oldest first."""
    query = {"sort": "registered"}
    if registered_from and registered_to:
        query |= {"registered_from": f"{registered_from}", "registered_to": f"{registered_to}"}
    return f"{reverse('cases:case_list')}?{urlencode(query)}"


def ledger_upload(*, actor: User, file: IO[bytes], file_name: str) -> LedgerUpload:
    """Import a ledger of at most ``SMALL_LEDGER_ROWS`` rows now; queue a larger one."""
    require_ledger_import(actor)
    content = file.read(MAX_FILE_BYTES + 1)
    check_upload(file_name, len(content))
    table = list(read_table(io.BytesIO(content), file_name, max_rows=MAX_ROWS))
    rows = len(parse_ledger(table).rows)
    if rows <= SMALL_LEDGER_ROWS:
        created = ledger_import(actor=actor, rows=table, file_name=file_name)
        days = [timezone.localdate(case.registered_at) for case in created]
        return LedgerUpload(
            created=len(created), registered_from=min(days), registered_to=max(days)
        )
    return LedgerUpload(
        job=ledger_import_queue(actor=actor, content=content, file_name=file_name, rows=rows)
    )


@transaction.atomic
def ledger_import_queue(*, actor: User, content: bytes, file_name: str, rows: int) -> LedgerImport:
    """Store the file and queue its import; the errors will be in the uploader's language."""
    committee = require_ledger_import(actor)
    suffix = PurePath(file_name).suffix.lower()
    stored = default_storage.save(
        f"imports/{committee.pk}/{uuid.uuid4().hex}{suffix}", ContentFile(content)
    )
    job = LedgerImport.objects.create(
        committee=committee,
        uploaded_by=actor,
        file=stored,
        file_name=file_name[:200],
        language=translation.get_language() or "",
        total_rows=rows,
    )

    transaction.on_commit(lambda: import_ledger.enqueue(job.pk))
    return job


def ledger_import_run(*, import_id: int) -> None:
    """Check and import a queued ledger, reporting progress and the outcome on its row."""
    claimed = LedgerImport.objects.filter(pk=import_id, status=STATUS.QUEUED).update(
        status=STATUS.VALIDATING
    )
    if not claimed:
        return  # taken by another worker, or finished
    job = LedgerImport.objects.select_related("uploaded_by", "committee").get(pk=import_id)
    progress = ProgressReport(job.pk)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            created = _run(job, progress)
        except ImportInvalid as exc:
            _finish(job, STATUS.FAILED, errors=exc.errors)
        except DomainError as exc:
            _finish(job, STATUS.FAILED, errors=[RowError(None, "", exc.message)])
        except Exception:
            logger.exception("The import of ledger %s failed", job.pk)
            reason = _("The import stopped on an unexpected error; nothing was imported.")
            _finish(job, STATUS.FAILED, errors=[RowError(None, "", reason)])
        else:
            _finish(job, STATUS.DONE, created=created)
        finally:
            progress.close()
            if job.file:
                default_storage.delete(job.file)


def _run(job: LedgerImport, progress: ProgressReport) -> list[Case]:
    uploader = job.uploaded_by
    if not uploader.is_active or committee_for(uploader).pk != job.committee_id:
        raise NotPermitted(
            E.NOT_PERMITTED, _("The uploader no longer works at this committee; upload again.")
        )
    with default_storage.open(job.file, "rb") as stored:
        content = stored.read()
    return ledger_import(
        actor=uploader, file=io.BytesIO(content), file_name=job.file_name, progress=progress
    )


def _finish(
    job: LedgerImport,
    status: LedgerImportStatus,
    *,
    errors: list[RowError] | None = None,
    created: list[Case] | None = None,
) -> None:
    values: dict[str, object] = {"status": status, "file": "", "finished_at": timezone.now()}
    if errors is not None:
        values["errors"] = [{"row": e.row, "column": e.column, "reason": e.reason} for e in errors]
    if created:
        days = [timezone.localdate(case.registered_at) for case in created]
        values |= {
            "created_cases": len(created),
            "done_rows": len(created),
            "registered_from": min(days),
            "registered_to": max(days),
        }
    LedgerImport.objects.filter(pk=job.pk).update(**values)


class ProgressReport:
    """``progress(done, total)`` for ``ledger_import``: the rows done, on the import's row."""

    def __init__(self, import_id: int) -> None:
        self.import_id = import_id
        self._aside: BaseDatabaseWrapper | None = None

    def __call__(self, done: int, total: int) -> None:
        if not connection.in_atomic_block:
            LedgerImport.objects.filter(pk=self.import_id).update(
                status=STATUS.IMPORTING, done_rows=done, total_rows=total
            )
        elif connection.vendor == "postgresql":
            self._write_aside(done, total)

    def _write_aside(self, done: int, total: int) -> None:
        """Through a connection of its own, committed at once: the page sees it while the
        import's transaction is still open. Progress is a courtesy: never fail the import."""
        table = connection.ops.quote_name(LedgerImport._meta.db_table)
        sql = f"UPDATE {table} SET status = %s, done_rows = %s, total_rows = %s WHERE id = %s"  # noqa: S608 - our table
        try:
            if self._aside is None:
                self._aside = connections.create_connection(DEFAULT_DB_ALIAS)
            with self._aside.cursor() as cursor:
                cursor.execute(sql, [STATUS.IMPORTING.value, done, total, self.import_id])
        except DatabaseError:
            logger.warning("Could not report the progress of ledger %s", self.import_id)

    def close(self) -> None:
        if self._aside is not None:
            self._aside.close()
            self._aside = None
