"""The level cells' unique key carries the value (an index-only scan for a report's sums) and
the organisation loses its own index, which the key already starts with (ADR 0060).

SQLite has no covering indexes, and Django creates no constraint with ``include`` there; the
upserts of the level cells (``ON CONFLICT``) need a unique index all the same, so SQLite gets
the plain one under the same name."""

import django.db.models.deletion
from django.db import migrations, models

KEY = "organisation_id, period, indicator, key, historical"


def plain_key_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    table = apps.get_model("statistics", "LevelCell")._meta.db_table
    schema_editor.execute(f'CREATE UNIQUE INDEX "level_cell_once" ON "{table}" ({KEY})')


def drop_plain_key_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute('DROP INDEX IF EXISTS "level_cell_once"')


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0003_admin_mediation_kind"),
        ("statistics", "0006_live_counts"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="levelcell",
            name="level_cell_once",
        ),
        migrations.AlterField(
            model_name="levelcell",
            name="organisation",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.organisation",
            ),
        ),
        migrations.AddConstraint(
            model_name="levelcell",
            constraint=models.UniqueConstraint(
                fields=("organisation", "period", "indicator", "key", "historical"),
                include=("value",),
                name="level_cell_once",
            ),
        ),
        migrations.RunPython(plain_key_on_sqlite, drop_plain_key_on_sqlite),
    ]
