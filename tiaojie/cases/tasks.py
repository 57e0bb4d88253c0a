"""Background work of the cases app: thin, by id, through one service."""

from __future__ import annotations

from django_tasks import task

from tiaojie.cases import ledger_jobs, privacy


@task()
def import_ledger(import_id: int) -> None:
    """Check and import a queued ``LedgerImport``."""
    ledger_jobs.ledger_import_run(import_id=import_id)


@task()
def anonymise_expired() -> int:
    """Anonymise the parties of cases past retention (``cases.privacy``); how many cases."""
    return len(privacy.anonymise_expired())
