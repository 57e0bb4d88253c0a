"""On PostgreSQL, the postings table of case search (ADR 0023): one row per search token per
case, ``(token, case_id)``, its b-tree the primary key, kept by triggers on
``cases_case`` and filled here from every case's stored ``search_tokens`` (about two minutes
per 200,000 cases; see bench/case_search.py). SQLite keeps searching ``search_tokens`` with
LIKE: the model is unmanaged and nothing is created there. The trigram index of 0003 on
``search_tokens`` goes: nothing reads it any more.

The SQL is a frozen copy of ``tiaojie.cases.postings``: migrations never import today's code.
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TABLE = """
CREATE TABLE IF NOT EXISTS cases_search_posting (
    token text COLLATE "C" NOT NULL,
    case_id bigint NOT NULL
)
"""
# Built after the fill: sorting once is many times faster than growing the b-tree row by row.
KEY = """
ALTER TABLE cases_search_posting
ADD CONSTRAINT cases_search_posting_pkey PRIMARY KEY (token, case_id)
"""
# The planner picks the rarest token and the way to walk from its estimate of each token's
# postings: with the default 100 most common values, 装修 (13,000 of 30 million) was guessed at
# 6,600 and 腕 (20,000) too, and the plans went wrong. 10,000 covers every common token.
STATISTICS = "ALTER TABLE cases_search_posting ALTER COLUMN token SET STATISTICS 10000"
# A case's tokens are its stored ``search_tokens`` split at the spaces. ``index_text`` wrote
# each once (migration 0007 recomputed every case), so the fill needs no DISTINCT, whose sort
# was most of its time; a repeat would stop the key's creation rather than pass unnoticed.
FILL = """
INSERT INTO cases_search_posting (token, case_id)
SELECT token, c.id
FROM cases_case c, unnest(string_to_array(btrim(c.search_tokens), ' ')) AS token
WHERE token <> '' AND c.id >= %s AND c.id < %s
"""
FUNCTIONS = """
CREATE OR REPLACE FUNCTION cases_search_posting_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO cases_search_posting (token, case_id)
    SELECT DISTINCT token, n.id
    FROM new_cases n, unnest(string_to_array(btrim(n.search_tokens), ' ')) AS token
    WHERE token <> '';
    RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION cases_search_posting_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.search_tokens IS NOT DISTINCT FROM OLD.search_tokens
       AND NEW.id = OLD.id THEN
        RETURN NULL;
    END IF;
    DELETE FROM cases_search_posting
    WHERE token = ANY (string_to_array(btrim(OLD.search_tokens), ' '))
      AND case_id = OLD.id;
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO cases_search_posting (token, case_id)
        SELECT DISTINCT token, NEW.id
        FROM unnest(string_to_array(btrim(NEW.search_tokens), ' ')) AS token
        WHERE token <> '';
    END IF;
    RETURN NULL;
END
$$
"""
TRIGGERS = """
CREATE TRIGGER cases_search_posting_insert
AFTER INSERT ON cases_case REFERENCING NEW TABLE AS new_cases
FOR EACH STATEMENT EXECUTE FUNCTION cases_search_posting_insert();
CREATE TRIGGER cases_search_posting_change
AFTER DELETE OR UPDATE OF search_tokens, id ON cases_case
FOR EACH ROW EXECUTE FUNCTION cases_search_posting_change()
"""
BATCH = 50_000


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(TABLE, params=None)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(min(id), 0), coalesce(max(id), -1) FROM cases_case")
        low, high = cursor.fetchone()
        # In batches of ids, so that no single statement sorts every case's tokens at once.
        for start in range(low, high + 1, BATCH):
            cursor.execute(FILL, [start, start + BATCH])
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute(KEY)
        cursor.execute(STATISTICS)
        cursor.execute("ANALYZE cases_search_posting")
    schema_editor.execute(FUNCTIONS, params=None)
    schema_editor.execute(TRIGGERS, params=None)
    # Searches no longer read search_tokens with LIKE on PostgreSQL: its trigram index (0003)
    # would only cost every write and twice the text's size.
    schema_editor.execute("DROP INDEX IF EXISTS case_search_tokens_trgm", params=None)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for trigger in ("cases_search_posting_insert", "cases_search_posting_change"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON cases_case", params=None)
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {trigger}()", params=None)
    schema_editor.execute("DROP TABLE IF EXISTS cases_search_posting", params=None)
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS case_search_tokens_trgm ON cases_case "
        "USING gin (search_tokens gin_trgm_ops)",
        params=None,
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_case_registered_by_empty_for_online_applications")]
    operations = [
        migrations.CreateModel(
            name="SearchPosting",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "token",
                        "case_id",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("token", models.TextField()),
                ("case_id", models.BigIntegerField()),
            ],
            options={"db_table": "cases_search_posting", "managed": False},
        ),
        migrations.RunPython(create, drop),
    ]
