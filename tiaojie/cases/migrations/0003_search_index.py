"""On PostgreSQL, a pg_trgm GIN index on the search tokens, so that the space-padded LIKE
patterns of cases.search (one or two Chinese characters) are answered from the index."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm", params=None)
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS case_search_tokens_trgm ON cases_case "
            "USING gin (search_tokens gin_trgm_ops)",
            params=None,
        )


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS case_search_tokens_trgm", params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_dispute_types")]
    operations = [migrations.RunPython(create, drop)]
