"""A covering index of each case's scope, ``(id) INCLUDE (committee_path)`` (ADR 0034).

A search's capped count starts from a token's postings (ADR 0023) and must check the viewer's
scope — a prefix of ``committee_path`` — on up to 10,001 cases. Without this index each check
reads the case's row from the table (scattered pages of a table of 1.4 GB at 1,000,000 cases);
with it the check is an index-only probe of a small b-tree (about 60 bytes per case).

On PostgreSQL the index is built ``CONCURRENTLY`` (``core.indexes``): registering and editing
cases go on while it builds (minutes on a table of millions). SQLite builds it plainly (it has
no ``INCLUDE``, and nothing there reads it).
"""

from django.db import migrations, models

from tiaojie.core.indexes import add_index_concurrently

INDEX = models.Index(fields=["id"], include=["committee_path"], name="case_scope_covering_idx")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("cases", "0013_case_source_screening")]

    operations = [add_index_concurrently("cases", "case", INDEX)]
