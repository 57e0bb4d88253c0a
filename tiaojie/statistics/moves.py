"""The figures follow the organisation tree: when a unit moves to another parent
(``organisation.moved``), every stored copy of a path in its subtree (the cells summed by path
prefix, the facts, the reports' scope) takes the unit's current path.

Filed and approved reports keep the figures they were filed with (``StatReport.figures``): the
old parent's approved months still show the moved unit, as filed; only what is computed from
the cells (drafts, dashboards, the screen, new filings) follows the move. Re-opening a period
re-aggregates it with the unit under its new parent."""

from __future__ import annotations

import dataclasses

from django.db import models, transaction
from django.db.models import F, OuterRef, Subquery

from tiaojie.organisations.models import Organisation, path_ids
from tiaojie.statistics import levels
from tiaojie.statistics.models import (
    AnalysisReport,
    CaseFact,
    LevelCell,
    PreventionFact,
    ScreeningFact,
    StatCell,
    StatReport,
)

# Every statistics row that keeps a copy of its organisation's path.
KEYED: tuple[type[models.Model], ...] = (
    StatCell,
    LevelCell,
    CaseFact,
    PreventionFact,
    ScreeningFact,
    StatReport,
    AnalysisReport,
)


def _current_path() -> Subquery:
    return Subquery(Organisation.objects.filter(pk=OuterRef("organisation_id")).values("path")[:1])


@transaction.atomic
def follow(organisation_id: int | None = None) -> int:
    """Give every row of ``organisation_id``'s subtree (every row when None) its organisation's
    current path; return how many rows changed. Reads the tree as it is now, so a second or
    late delivery of the event, or one of a later move back, changes nothing wrong."""
    orgs = Organisation.objects.all()
    if organisation_id is not None:
        root = Organisation.objects.get(pk=organisation_id)
        orgs = orgs.filter(path__startswith=root.path)
    ids = orgs.values("pk")
    changed = 0
    for model in KEYED:
        stale = model._default_manager.filter(organisation_id__in=ids).exclude(
            org_path=F("organisation__path")
        )
        changed += stale.update(org_path=_current_path())
    return changed


@transaction.atomic
def follow_move(organisation_id: int, old_path: str, new_path: str) -> int:
    """A unit moved from ``old_path`` to ``new_path``: re-key the subtree's rows (``follow``),
    then sum again the level cells of the units above it on one side only (the old district
    loses the unit's figures, the new one gains them). Those above both, the city of a move
    between two of its districts, keep theirs: the unit stays in their subtree. The unit's
    own level cells and those below it do not change. Recomputed from the cells rather than
    subtracted and added, so a second or late delivery changes nothing."""
    changed = follow(organisation_id)
    old_above = set(path_ids(old_path)[:-1])
    new_above = set(path_ids(new_path)[:-1])
    levels.rebuild(old_above ^ new_above)
    return changed


@dataclasses.dataclass(frozen=True)
class PathDifference:
    """Rows of one kind kept under an organisation's old path."""

    model: str
    organisation_id: int
    stored: str
    current: str
    rows: int

    def __str__(self) -> str:
        return (
            f"{self.model} organisation {self.organisation_id}: {self.rows} rows under path "
            f"{self.stored}, the organisation is at {self.current}"
        )


def path_differences() -> list[PathDifference]:
    """Every group of rows whose path is not their organisation's (a move not yet followed)."""
    out: list[PathDifference] = []
    for model in KEYED:
        rows = (
            model._default_manager.exclude(org_path=F("organisation__path"))
            .values("organisation_id", "org_path", "organisation__path")
            .annotate(rows=models.Count("pk"))
            .order_by("organisation_id", "org_path")
        )
        out.extend(
            PathDifference(
                model.__name__,
                r["organisation_id"],
                r["org_path"],
                r["organisation__path"],
                r["rows"],
            )
            for r in rows
        )
    return out
