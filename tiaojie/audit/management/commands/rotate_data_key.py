"""``manage.py rotate_data_key``: re-encrypt personal data under the current key.

Every model is covered without being listed here: any concrete model with an
``EncryptedTextField`` or a ``blind_indexes`` declaration (see ``tiaojie.core.crypto``) has
its encrypted values rewritten under ``TIAOJIE_DATA_KEY`` and its blind indexes recomputed.
Old keys must still be in ``TIAOJIE_DATA_KEYS_OLD`` while it runs. Running it again is safe.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core.crypto import (
    current_key_id,
    declared_blind_indexes,
    encrypted_fields,
    keyring,
    refresh_blind_indexes,
)


def models_with_personal_data() -> Iterator[type[models.Model]]:
    """Every concrete, managed model with an encrypted field or a declared blind index."""
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        if encrypted_fields(model) or declared_blind_indexes(model):
            yield model


def rotate_model(model: type[models.Model], *, chunk_size: int = 500) -> int:
    """Re-encrypt ``model``'s encrypted fields under the current key and recompute its blind
    indexes; returns the number of rows rewritten.

    Rows are read in primary-key order, one locked batch per transaction, so the run holds no
    lock for long, can be stopped and run again, and never writes back a value that someone
    changed after the batch was read.
    """
    fields = [f.name for f in encrypted_fields(model)]
    indexes = declared_blind_indexes(model)
    sources = {source for source, _purpose in indexes.values()}
    written = [*fields, *indexes]
    if not written:
        return 0
    # The plain manager: a default manager that hides rows must not leave them unrotated.
    manager = model._base_manager
    count, last = 0, None
    while True:
        # Keyset batches rather than one iterator(): on SQLite a cursor is not isolated from
        # the writes made beside it, and one long transaction would lock the table throughout.
        with transaction.atomic():
            batch = manager.select_for_update().order_by("pk")
            if last is not None:
                batch = batch.filter(pk__gt=last)
            rows = list(batch.only("pk", *fields, *indexes, *sources)[:chunk_size])
            if not rows:
                return count
            for row in rows:
                # Loading decrypted each value under whichever key it was encrypted with;
                # bulk_update encrypts it again under the current one.
                refresh_blind_indexes(row)
            manager.bulk_update(rows, written, batch_size=chunk_size)
        count += len(rows)
        last = rows[-1].pk


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field under TIAOJIE_DATA_KEY and recompute blind indexes. "
        "Keep the previous key in TIAOJIE_DATA_KEYS_OLD until this has finished."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=500,
            help="Rows per batch and per transaction (default 500).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size must be at least 1")
        ring = keyring()  # a malformed key stops here, before any row is touched
        old = sorted(kid for kid in ring.keys if kid != ring.current_id)
        self.stdout.write(
            f"Current key {current_key_id()}; also decrypting with: {', '.join(old) or 'none'}."
        )
        total = 0
        for model in models_with_personal_data():
            count = rotate_model(model, chunk_size=options["chunk_size"])
            self.stdout.write(f"  {model._meta.label}: {count} rows")
            total += count
        audit.record(
            EventType.DATA_KEY_ROTATED,
            actor=None,
            after={"key_id": ring.current_id, "old_keys": old, "rows": total},
        )
        self.stdout.write(
            self.style.SUCCESS(f"Done: {total} rows now under key {ring.current_id}.")
        )
