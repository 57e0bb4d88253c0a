"""Load the State Council holiday tables the project ships (``deadlines.official``)."""

from typing import Any

from django.db import migrations

from tiaojie.deadlines.official import OFFICIAL_YEARS


def load(apps: Any, schema_editor: Any) -> None:
    CalendarYear = apps.get_model("deadlines", "CalendarYear")
    CalendarDay = apps.get_model("deadlines", "CalendarDay")
    for year, official in sorted(OFFICIAL_YEARS.items()):
        if CalendarYear.objects.filter(year=year).exists():
            continue  # a bureau entered it already: theirs stands
        calendar = CalendarYear.objects.create(year=year, source=official.source)
        CalendarDay.objects.bulk_create(
            CalendarDay(calendar=calendar, day=day, kind=kind, name=name)
            for day, kind, name in official.days()
        )


def unload(apps: Any, schema_editor: Any) -> None:
    CalendarYear = apps.get_model("deadlines", "CalendarYear")
    for year, official in OFFICIAL_YEARS.items():
        CalendarYear.objects.filter(year=year, source=official.source, updated_by=None).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0002_rules_alerts")]

    operations = [migrations.RunPython(load, unload)]
