"""Copies of an organisation's path that other apps keep on their rows (to scope a query by
prefix without a join) follow the organisation when it moves.

A model names its copies in a class attribute ``organisation_path_copies``: pairs of (lookup
to the organisation, field holding the copy), e.g. ``(("committee", "committee_path"),)`` or
``(("round__organisation", "organisation_path"),)``. Organisations finds them through the app
registry, so it imports no app above it, and the move re-keys them in its own transaction:
there is no moment after the commit when a moved committee's cases are still scoped to its old
parent (a leak to the old district, "not found" for the new one). The audit trail's copies are
history and are not listed.

A copy taken from an organisation the row does not point to (a promotion keeps the path of its
proposer's organisation at the time, not a key to it) is declared by field alone in
``organisation_path_prefix_copies``: every such path under the moved node's old path takes the
new prefix."""

from __future__ import annotations

from typing import ClassVar

from django.apps import apps
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from tiaojie.organisations.models import Organisation

ATTRIBUTE = "organisation_path_copies"
PREFIX_ATTRIBUTE = "organisation_path_prefix_copies"

PathCopies = ClassVar[tuple[tuple[str, str], ...]]
PathPrefixCopies = ClassVar[tuple[str, ...]]


def registered() -> list[tuple[type[models.Model], str, str]]:
    """Every (model, lookup, field) declared by an installed model."""
    return [
        (model, lookup, field)
        for model in apps.get_models()
        for lookup, field in getattr(model, ATTRIBUTE, ())
    ]


def registered_prefixes() -> list[tuple[type[models.Model], str]]:
    """Every (model, field) declared as a copy kept by path alone."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in getattr(model, PREFIX_ATTRIBUTE, ())
    ]


def follow_prefixes(old_path: str, new_path: str) -> int:
    """Re-key the by-path copies of a subtree moved from ``old_path`` to ``new_path``; return
    how many rows changed. Called once, in the move's transaction: a path is never reused, so
    whatever starts with ``old_path`` was under the moved node."""
    changed = 0
    for model, field in registered_prefixes():
        changed += model._default_manager.filter(**{f"{field}__startswith": old_path}).update(
            **{field: Concat(Value(new_path), Substr(field, len(old_path) + 1))}
        )
    return changed


def follow(root: Organisation) -> int:
    """Give every copy in ``root``'s subtree (``root`` at its new place) its organisation's
    current path; return how many rows changed. Reads the tree as it is now, so running it
    twice changes nothing more."""
    changed = 0
    for model, lookup, field in registered():
        stale = (
            model._default_manager.filter(**{f"{lookup}__path__startswith": root.path})
            .exclude(**{field: F(f"{lookup}__path")})
            .values_list(f"{lookup}__pk", flat=True)
            .distinct()
        )
        # One UPDATE per organisation with stale rows: an UPDATE may not read a joined column,
        # and a lookup may cross a relation (a finding's round's organisation).
        for pk in list(stale):
            with transaction.atomic():
                # The path as it is now, locked: a move of the organisation that committed
                # since the list was read (or that is under way and holds the row) must not
                # have its new path overwritten with the one read before it.
                path = Organisation.objects.select_for_update().values_list("path", flat=True)
                current = path.get(pk=pk)
                changed += (
                    model._default_manager.filter(**{lookup: pk})
                    .exclude(**{field: current})
                    .update(**{field: current})
                )
    return changed


def rows_under(root: Organisation) -> list[tuple[str, int]]:
    """How many rows of each declaring model (cases, screening findings, …) belong to
    ``root``'s subtree: what a move of ``root`` carries along, named by the model's own plural
    so organisations need not know the apps. Models with no such row are left out, and so are
    models that give no plural name of their own (an English class name is no label)."""
    counts: dict[str, int] = {}
    for model, lookup, _field in registered():
        if "verbose_name_plural" not in model._meta.original_attrs:
            continue
        count = model._default_manager.filter(**{f"{lookup}__path__startswith": root.path}).count()
        if count:
            label = str(model._meta.verbose_name_plural)
            counts[label] = counts.get(label, 0) + count
    return sorted(counts.items())
