"""A committee's cases in id order (ADR 0079).

The scope of a committee's staff is their committee's path, matched exactly; this index gives
the committee's cases in id order from that match. A search's sample (``core.paging.sampled``)
walks the matches of a word in id order, and merges this range with the word's postings
instead of walking the ids of every case in the city and keeping the committee's (a tenth of
them at 1,000,000 cases). Built concurrently on PostgreSQL (``core.indexes``): writes to cases
go on meanwhile (2 s at 1,000,000 cases here).
"""

from django.db import migrations, models

from tiaojie.core.indexes import add_index_concurrently

INDEX = models.Index(
    fields=["committee_path", "id"],
    name="case_path_id_idx",
    opclasses=["varchar_pattern_ops", "int8_ops"],
)


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("cases", "0020_case_transition_at_index")]

    operations = [add_index_concurrently("cases", "case", INDEX)]
