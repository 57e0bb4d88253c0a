"""How a case ended, stored when it ends; filled in here for the cases that already have."""

from django.db import migrations, models

ENDINGS = ["declined", "agreed", "failed", "terminated"]


def backfill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseTransition = apps.get_model("cases", "CaseTransition")
    for status in ENDINGS:
        Case.objects.filter(status=status).update(ended_as=status)
    # An archived case ended as its last move before archiving (as casefile.py read it).
    for case_id in Case.objects.filter(status="archived").values_list("pk", flat=True).iterator():
        last = (
            CaseTransition.objects.filter(case_id=case_id)
            .exclude(to_status="archived")
            .order_by("-at", "-id")
            .values_list("to_status", flat=True)
            .first()
        )
        if last in ENDINGS:
            Case.objects.filter(pk=case_id).update(ended_as=last)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_search_tokens_every_plane"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="ended_as",
            field=models.CharField(
                blank=True,
                choices=[
                    ("queued", "Awaiting triage"),
                    ("registered", "Registered"),
                    ("accepted", "Accepted"),
                    ("declined", "Declined"),
                    ("in_mediation", "In mediation"),
                    ("agreed", "Agreed"),
                    ("failed", "Mediation failed"),
                    ("terminated", "Terminated"),
                    ("archived", "Archived"),
                ],
                max_length=16,
                verbose_name="ended as",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
