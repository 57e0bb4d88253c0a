"""Search tokens again for every case: the tokeniser now indexes Han characters of every plane
(𠮷, 𪚥), letters beyond ASCII, and full-width forms as ASCII (cases.search, ADR 0007)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def reindex(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from tiaojie.cases.search import index_text

    case_model = apps.get_model("cases", "Case")
    party_model = apps.get_model("cases", "Party")
    names: dict[int, list[str]] = {}
    for case_id, name in party_model.objects.values_list("case_id", "name").iterator():
        names.setdefault(case_id, []).append(name)
    last = 0
    while True:
        # Chunks by primary key: no cursor stays open while the chunk is written (SQLite).
        chunk = list(
            case_model.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "summary", "narrative", "requests", "search_tokens")[:500]
        )
        if not chunk:
            return
        last = chunk[-1].pk
        changed = []
        for case in chunk:
            parts = [case.summary, case.narrative, case.requests, *names.get(case.pk, [])]
            tokens = index_text(parts)
            if tokens != case.search_tokens:
                case.search_tokens = tokens
                changed.append(case)
        case_model.objects.bulk_update(changed, ["search_tokens"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_governance_centres")]
    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
