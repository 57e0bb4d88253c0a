"""The postings of case search on PostgreSQL (ADR 0023): the SQL that keeps them and the
rebuild.

``cases_search_posting`` holds one row per search token per case, ``(token, case_id)``, the
primary key's b-tree ordered so. Triggers on ``cases_case`` keep it in the same
transaction as every write of ``search_tokens`` — registration, edits, party changes,
anonymisation, the ledger's COPY, a migration's UPDATE — so no code path can forget it: a
statement-level trigger on INSERT turns a bulk insert into one set-based insert of its tokens,
a row-level one re-posts a case whose tokens change. Migration
``cases.0012`` creates all of it (with its own frozen copy of this SQL) and fills it;
``manage.py rebuild_search_postings`` rebuilds it from ``search_tokens``.

Beside it, ``cases_search_holder`` names, for each token, the committees (and governance
centres) that hold or held a case with it: ``(token, committee_id)``, a few hundred thousand
rows at a million cases. The same triggers add to it, never remove from it, so it is a superset
a search may trust to rule committees out: a word frequent in the city and absent from a
street's committees is found absent there without merging its postings with the street's
cases (ADR 0080). Migration ``cases.0022`` creates and fills it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import connection, transaction

TABLE = """
CREATE TABLE IF NOT EXISTS cases_search_posting (
    token text COLLATE "C" NOT NULL,
    case_id bigint NOT NULL
)
"""
# Built after a fill: sorting once is many times faster than growing the b-tree row by row.
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
# A writer adds the pairs it does not see, and the holders have no unique key: a pair another
# transaction is adding, not yet committed, is added again rather than waited for. With ON
# CONFLICT a registration waited for a running ledger import of its committee, and the two
# deadlocked on the number counter (test_ledger_concurrency). A repeated pair costs a row and
# changes no search (``search._holders`` counts distinct tokens); a rebuild drops it. Each
# pair is looked up as a scalar subquery, one probe of the index: a NOT EXISTS became a hash
# anti-join over the whole table (150 ms a registration at 400,000 holders). The planner
# does not know how many cases a statement inserted, so the probes' estimated cost passed
# the JIT's threshold and compiling took 4 ms of every registration: no JIT in these
# functions (docs/deploy.md turns it off everywhere; a server left at the default did not).
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
# The triggers' names: a bulk load of cases without search tokens may switch them off.
TRIGGER_NAMES = ("cases_search_posting_insert", "cases_search_posting_change")
BATCH = 50_000


def enabled() -> bool:
    """Whether searches read the postings: on PostgreSQL (SQLite keeps ``LIKE``)."""
    return connection.vendor == "postgresql"


@dataclass
class Rebuilt:
    cases: int
    postings: int
    fill_s: float
    key_s: float


def fill(batch: int = BATCH) -> tuple[int, float, float]:
    """Fill the empty, key-less table from every case's ``search_tokens``, in batches of ids,
    then build its key, and name each token's committees (``cases_search_holder``, empty);
    returns (rows, fill seconds, key seconds)."""
    started = time.perf_counter()
    rows = 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(min(id), 0), coalesce(max(id), -1) FROM cases_case")
        row = cursor.fetchone()
        low, high = (int(row[0]), int(row[1])) if row else (0, -1)
        for start in range(low, high + 1, batch):
            cursor.execute(FILL, [start, start + batch])
            rows += max(cursor.rowcount, 0)
        filled = time.perf_counter()
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute(KEY)
        cursor.execute(STATISTICS)
        cursor.execute("ANALYZE cases_search_posting")
        cursor.execute(HOLDERS_FILL)
        cursor.execute("ANALYZE cases_search_holder")
    return rows, filled - started, time.perf_counter() - filled


def rebuild(batch: int = BATCH) -> Rebuilt:
    """Throw the postings and the holders away and post every case again, in one transaction
    (a rebuild also drops holders no case needs any more); cases are locked
    against writes meanwhile (SHARE), so none is missed or posted twice."""
    if not enabled():
        raise RuntimeError("search postings exist on PostgreSQL only")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE cases_case IN SHARE MODE")
        cursor.execute("ALTER TABLE cases_search_posting DROP CONSTRAINT cases_search_posting_pkey")
        cursor.execute("TRUNCATE cases_search_posting, cases_search_holder")
        rows, fill_s, key_s = fill(batch)
        cursor.execute("SELECT count(*) FROM cases_case")
        row = cursor.fetchone()
    return Rebuilt(int(row[0]) if row else 0, rows, fill_s, key_s)
