"""A covering index of each case's scope, ``(id) INCLUDE (committee_path)`` (ADR 0034).

A search's capped count starts from a token's postings (ADR 0023) and must check the viewer's
scope — a prefix of ``committee_path`` — on up to 10,001 cases. Without this index each check
reads the case's row from the table (scattered pages of a table of 1.4 GB at 1,000,000 cases);
with it the check is an index-only probe of a small b-tree (about 60 bytes per case).

On PostgreSQL the index is built ``CONCURRENTLY``, outside a transaction, so that registering
and editing cases go on while it builds (minutes on a table of millions); an invalid index left
by a build that was interrupted is dropped and built again. SQLite builds it plainly (it has no
``INCLUDE``, and nothing there reads it).
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

NAME = "case_scope_covering_idx"


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        schema_editor.add_index(apps.get_model("cases", "Case"), INDEX)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE c.relname = %s",
            [NAME],
        )
        row = cursor.fetchone()
        if row and row[0]:
            return
        if row:
            cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {NAME}")
        cursor.execute(
            f"CREATE INDEX CONCURRENTLY {NAME} ON cases_case (id) INCLUDE (committee_path)"
        )


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.remove_index(apps.get_model("cases", "Case"), INDEX)
        return
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {NAME}", params=None)


INDEX = models.Index(fields=["id"], include=["committee_path"], name=NAME)


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("cases", "0013_case_source_screening")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="case", index=INDEX)],
            database_operations=[migrations.RunPython(create, drop)],
        )
    ]
