"""A close-out carries its case's tree path and registration time (ADR 0068).

A ledger's figures count the close-outs of its subtree; joined to the subtree's cases, that
count read every case the organisation ever held (a street office: 400,000 cases, 260,000
close-outs, 300 ms). With the two copies, it is one range of ``closeout_path_idx``.

The copies are filled from the cases in one statement (about 10 s for 642,000 close-outs
at 1,000,000 cases here), inside the migration's transaction."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_from_cases(apps, schema_editor):
    CloseOut = apps.get_model("supervision", "CloseOut")
    Case = apps.get_model("cases", "Case")
    case = Case.objects.filter(pk=OuterRef("case_id"))
    CloseOut.objects.using(schema_editor.connection.alias).update(
        committee_path=Subquery(case.values("committee_path")[:1]),
        registered_at=Subquery(case.values("registered_at")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0018_path_time_index"),
        ("supervision", "0002_report_is_transition_log"),
    ]

    operations = [
        migrations.AddField(
            model_name="closeout",
            name="committee_path",
            field=models.CharField(editable=False, max_length=255, null=True),
        ),
        migrations.AddField(
            model_name="closeout",
            name="registered_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunPython(copy_from_cases, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="closeout",
            name="committee_path",
            field=models.CharField(editable=False, max_length=255),
        ),
        migrations.AlterField(
            model_name="closeout",
            name="registered_at",
            field=models.DateTimeField(editable=False),
        ),
        migrations.AddIndex(
            model_name="closeout",
            index=models.Index(
                fields=["committee_path", "closed_on"],
                include=("registered_at",),
                name="closeout_path_idx",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
        ),
    ]
