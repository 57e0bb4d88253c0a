"""The moves of a period, by time (ADR 0076).

The accountability report traces the cases with a step starting in its period: registered,
moved or supervised then. The moves are found by their time through this index rather than
by reading every move ever made. Built concurrently on PostgreSQL (``core.indexes``).
"""

from django.db import migrations, models

from tiaojie.core.indexes import add_index_concurrently

INDEX = models.Index(fields=["at"], name="case_transition_at_idx")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("cases", "0019_case_live_path_index")]

    operations = [add_index_concurrently("cases", "casetransition", INDEX)]
