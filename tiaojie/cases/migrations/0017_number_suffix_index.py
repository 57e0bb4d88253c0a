"""On PostgreSQL, a case number's search (31号 → the numbers ending in 第31号, ADR 0007) reads a
b-tree of the reversed numbers instead of the trigram indexes of migration 0009 (ADR 0064).

Every case number shares most of its trigrams with every other (人调字, 调字第, the year, the
committee's name), so a whole number typed into the search made the trigram index merge a
posting list per trigram, most of them as long as the table. A number *ending* in the query is a
prefix of the reversed number: one range of a b-tree, whatever the table's size.
``text_pattern_ops`` lets ``LIKE 'prefix%'`` use it under any collation."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def _indexes(expression: str, columns: dict[str, str]) -> dict[str, str]:
    """A ``CREATE INDEX`` on cases_case for each index name, its column put into
    ``expression`` where it says ``{column}``."""
    return {
        name: f"CREATE INDEX IF NOT EXISTS {name} ON cases_case " + expression.format(column=column)
        for name, column in columns.items()
    }


REVERSED = _indexes(
    "(reverse({column}) text_pattern_ops)",
    {"case_number_reversed": "number", "case_intake_number_reversed": "intake_number"},
)
TRIGRAMS = _indexes(
    "USING gin ({column} gin_trgm_ops)",
    {"case_number_trgm": "number", "case_intake_number_trgm": "intake_number"},
)


def _replace(
    schema_editor: BaseDatabaseSchemaEditor, build: dict[str, str], drop: dict[str, str]
) -> None:
    """Build the indexes of ``build``, then drop those of ``drop`` (PostgreSQL only)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in build.values():
        schema_editor.execute(statement, params=None)
    for name in drop:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}", params=None)


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _replace(schema_editor, REVERSED, TRIGRAMS)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _replace(schema_editor, TRIGRAMS, REVERSED)


class Migration(migrations.Migration):
    dependencies = [("cases", "0016_jointcommittee_names")]
    operations = [migrations.RunPython(create, drop)]
