"""An index added to a large table without stopping writes to it, for migrations.

PostgreSQL builds it ``CONCURRENTLY``: registering and editing cases go on while it builds
(seconds to minutes on a table of millions). That cannot run in a transaction, so a migration
using it sets ``atomic = False``. A build that was interrupted leaves an invalid index behind;
the next run drops it and builds it again, and a valid one is left alone. Other databases
(SQLite in development and tests) build it plainly.

Django's ``AddIndexConcurrently`` does the first part on PostgreSQL only and fails elsewhere;
this operation keeps one migration for both databases.
"""

from __future__ import annotations

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def add_index_concurrently(
    app_label: str, model_name: str, index: models.Index
) -> migrations.SeparateDatabaseAndState:
    """The migration operation adding ``index`` to ``app_label.model_name``."""

    def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        model = apps.get_model(app_label, model_name)
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            schema_editor.add_index(model, index)
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE c.relname = %s",
                [index.name],
            )
            row = cursor.fetchone()
            if row and row[0]:
                return
            if row:
                cursor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{index.name}"')
        schema_editor.execute(index.create_sql(model, schema_editor, concurrently=True))

    def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        model = apps.get_model(app_label, model_name)
        if schema_editor.connection.vendor != "postgresql":
            schema_editor.remove_index(model, index)
            return
        schema_editor.execute(index.remove_sql(model, schema_editor, concurrently=True))

    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AddIndex(model_name=model_name, index=index)],
        database_operations=[migrations.RunPython(create, drop)],
    )
