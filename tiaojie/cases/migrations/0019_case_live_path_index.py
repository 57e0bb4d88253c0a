"""The live cases of a scope, with what the home page counts them by (ADR 0075).

A partial index of every case not yet archived, keyed by the committee's tree path and holding
id, status, registration time, due and extended dates and performance. The home page's case
counts by status and its deadline counts are then index-only scans of a subtree's live cases;
before it they read the subtree's whole history (a district's 700,000 of 1,000,000 generated
cases: 2.2 s and 3.2 s). Built concurrently on PostgreSQL (``core.indexes``): writes to cases go on meanwhile
(4 s at 1,000,000 cases here).
"""

from django.db import migrations, models

from tiaojie.core.indexes import add_index_concurrently

INDEX = models.Index(
    fields=["committee_path"],
    include=["id", "status", "registered_at", "extended_to", "due_on", "performance"],
    condition=~models.Q(status="archived"),
    name="case_live_path_idx",
    opclasses=["varchar_pattern_ops"],
)


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("cases", "0018_path_time_index")]

    operations = [add_index_concurrently("cases", "case", INDEX)]
