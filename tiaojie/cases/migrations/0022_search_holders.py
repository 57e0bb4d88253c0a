"""On PostgreSQL, which committees hold each search token (ADR 0080): ``cases_search_holder``,
``(token, committee_id)``, filled here from every case's ``search_tokens`` and kept from now
on by the search postings' triggers, which also add a case's tokens for its new committee on a
transfer. A search rules out the committees of the viewer's scope that hold none of its words
before it merges their postings with the scope's cases. About a minute per 1,000,000 cases
here; writes to cases wait meanwhile (SHARE ROW EXCLUSIVE), so no case is missed.

The SQL is a frozen copy of ``tiaojie.cases.postings``: migrations never import today's code.
SQLite has no postings: nothing is created there.
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

HOLDERS = """
CREATE TABLE IF NOT EXISTS cases_search_holder (
    token text COLLATE "C" NOT NULL,
    committee_id bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS cases_search_holder_key ON cases_search_holder (token, committee_id)
"""
HOLDERS_FILL = """
INSERT INTO cases_search_holder (token, committee_id)
SELECT DISTINCT token, c.committee_id
FROM cases_case c, unnest(string_to_array(btrim(c.search_tokens), ' ')) AS token
WHERE token <> ''
"""
FUNCTIONS = """
CREATE OR REPLACE FUNCTION cases_search_posting_insert() RETURNS trigger
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    INSERT INTO cases_search_posting (token, case_id)
    SELECT DISTINCT token, n.id
    FROM new_cases n, unnest(string_to_array(btrim(n.search_tokens), ' ')) AS token
    WHERE token <> '';
    INSERT INTO cases_search_holder (token, committee_id)
    SELECT p.token, p.committee_id
    FROM (
        SELECT DISTINCT t.token, n.committee_id
        FROM new_cases n, unnest(string_to_array(btrim(n.search_tokens), ' ')) AS t(token)
        WHERE t.token <> ''
    ) p
    WHERE (
        SELECT true FROM cases_search_holder h
        WHERE h.token = p.token AND h.committee_id = p.committee_id LIMIT 1
    ) IS NULL;
    RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION cases_search_posting_change() RETURNS trigger
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.search_tokens IS NOT DISTINCT FROM OLD.search_tokens
       AND NEW.id = OLD.id
       AND NEW.committee_id = OLD.committee_id THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE'
       OR NEW.search_tokens IS DISTINCT FROM OLD.search_tokens
       OR NEW.id <> OLD.id THEN
        DELETE FROM cases_search_posting
        WHERE token = ANY (string_to_array(btrim(OLD.search_tokens), ' '))
          AND case_id = OLD.id;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF NEW.search_tokens IS DISTINCT FROM OLD.search_tokens OR NEW.id <> OLD.id THEN
            INSERT INTO cases_search_posting (token, case_id)
            SELECT DISTINCT token, NEW.id
            FROM unnest(string_to_array(btrim(NEW.search_tokens), ' ')) AS token
            WHERE token <> '';
        END IF;
        -- A transfer, or new words: the committee now holds them (a holder is never taken
        -- away, so the old committee keeps its rows).
        INSERT INTO cases_search_holder (token, committee_id)
        SELECT DISTINCT t.token, NEW.committee_id
        FROM unnest(string_to_array(btrim(NEW.search_tokens), ' ')) AS t(token)
        WHERE t.token <> '' AND (
            SELECT true FROM cases_search_holder h
            WHERE h.token = t.token AND h.committee_id = NEW.committee_id LIMIT 1
        ) IS NULL;
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
AFTER DELETE OR UPDATE OF search_tokens, id, committee_id ON cases_case
FOR EACH ROW EXECUTE FUNCTION cases_search_posting_change()
"""
FUNCTIONS_0012 = """
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
TRIGGERS_0012 = """
CREATE TRIGGER cases_search_posting_insert
AFTER INSERT ON cases_case REFERENCING NEW TABLE AS new_cases
FOR EACH STATEMENT EXECUTE FUNCTION cases_search_posting_insert();
CREATE TRIGGER cases_search_posting_change
AFTER DELETE OR UPDATE OF search_tokens, id ON cases_case
FOR EACH ROW EXECUTE FUNCTION cases_search_posting_change()
"""


def _replace(schema_editor: BaseDatabaseSchemaEditor, functions: str, triggers: str) -> None:
    """The functions and triggers replaced in place: CREATE OR REPLACE TRIGGER takes the lock
    ``create`` already holds, where DROP TRIGGER would raise it to ACCESS EXCLUSIVE after the
    fill and could deadlock with a move that had locked its case FOR UPDATE meanwhile."""
    schema_editor.execute(functions, params=None)
    schema_editor.execute(
        triggers.replace("CREATE TRIGGER", "CREATE OR REPLACE TRIGGER"), params=None
    )


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    # Writes to cases wait (none is missed by the fill); reads and FOR UPDATE go on.
    schema_editor.execute("LOCK TABLE cases_case IN SHARE ROW EXCLUSIVE MODE", params=None)
    schema_editor.execute(HOLDERS, params=None)
    schema_editor.execute(HOLDERS_FILL, params=None)
    schema_editor.execute("ANALYZE cases_search_holder", params=None)
    _replace(schema_editor, FUNCTIONS, TRIGGERS)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    _replace(schema_editor, FUNCTIONS_0012, TRIGGERS_0012)
    schema_editor.execute("DROP TABLE IF EXISTS cases_search_holder", params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0021_case_path_id_index")]
    operations = [
        migrations.CreateModel(
            name="SearchHolder",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "token",
                        "committee_id",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("token", models.TextField()),
                ("committee_id", models.BigIntegerField()),
            ],
            options={"db_table": "cases_search_holder", "managed": False},
        ),
        migrations.RunPython(create, drop),
    ]
