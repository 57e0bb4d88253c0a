"""Importing a whole organisation tree: every row checked, then all written or nothing.

The rows are validated by the same rules as ``organisation_create`` (``validate_organisation``
with the parent's kind and area, unique names among siblings), and written in bulk: a city's
network is thousands of rows, and one ``organisation_create`` per row would be tens of
thousands of queries. The bulk writer sets ``path``, ``depth`` and ``supervising_office``
exactly as ``organisation_create`` does and writes the same ORGANISATION_CREATED audit event
for each new organisation.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from django.db import connection
from django.utils.translation import gettext as _

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.core import imports
from tiaojie.core.capabilities import Capability
from tiaojie.core.errors import NotPermitted
from tiaojie.core.imports import ImportInvalid, Row, RowError, read_table
from tiaojie.organisations.choices import OrganisationKind
from tiaojie.organisations.error_codes import OrganisationsErrorCode as E
from tiaojie.organisations.imports import ImportRow, ParsedSheet, parse_table
from tiaojie.organisations.models import Organisation, OrganisationQuerySet, path_segment
from tiaojie.organisations.rules import organisation_policy
from tiaojie.organisations.services import AUDITED_FIELDS, SUPERVISING_KINDS, nearest_supervisor
from tiaojie.organisations.validation import validate_organisation

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

BATCH_SIZE = 500
# A row's parent: the anchor, another row (its index), or unknown (bad ref or in a cycle).
ANCHOR = -1
UNKNOWN = -2
# Fields whose rules only make sense once the kind is known.
_KIND_DEPENDENT = frozenset({"parent", "committee_kind", "sector", "station"})


@dataclass
class TreePlan:
    """A valid file, ready to write: each row's parent and the rows by depth, roots first."""

    rows: list[ImportRow]
    parents: list[int]
    levels: list[list[int]]


def organisation_tree_import(
    *,
    actor: User | None,
    anchor: Organisation | None,
    file_name: str,
    file: IO[bytes] | None = None,
    rows: Iterable[Row] | None = None,
) -> list[Organisation]:
    """Create the organisations of ``file`` (or of the table ``rows``) under ``anchor``.

    Rows with a blank 上级编号 go directly under ``anchor``; ``anchor`` None (system only, e.g.
    the command line on a fresh install) makes them roots. Raises ``ImportInvalid`` with every
    problem found, and then writes nothing.
    """
    _require_import(actor, anchor)
    if rows is None:
        if file is None:
            raise TypeError("organisation_tree_import needs a file or rows")
        rows = read_table(file, file_name)
    sheet = parse_table(rows)
    locked: list[Organisation | None] = [anchor]

    def lock() -> None:
        # Two imports under one anchor at once could each pass the sibling-name check.
        if anchor is not None:
            locked[0] = Organisation.objects.select_for_update().get(pk=anchor.pk)

    def write(plan: TreePlan) -> list[Organisation]:
        created = _write(plan, actor, locked[0])
        audit.record(
            EventType.ORGANISATION_TREE_IMPORTED,
            actor=actor,
            organisation=locked[0] or created[0],
            obj=locked[0],
            after={"file_name": file_name, "rows": len(plan.rows), "created": len(created)},
        )
        return created

    return imports.run(check=lambda: plan_tree(sheet, locked[0]), write=write, lock=lock)


def _require_import(actor: User | None, anchor: Organisation | None) -> None:
    """``actor`` None is the system itself (command-line import)."""
    if actor is None:
        return
    if not actor.can(Capability.ORGANISATION_IMPORT):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not import organisations."))
    if anchor is None:
        raise NotPermitted(E.NOT_PERMITTED, _("Only the system can create a root organisation."))
    if not organisation_policy.allows(actor, Capability.ORGANISATION_IMPORT, anchor):
        raise NotPermitted(E.NOT_PERMITTED, _("You may not manage this organisation."))


def import_anchors(user: User) -> OrganisationQuerySet:
    """Where ``user`` may import a tree: active organisations in scope that can have children."""
    return (
        organisation_policy.visible_tree(user, Capability.ORGANISATION_IMPORT)
        .active()
        .exclude(kind=OrganisationKind.GRID)
        .order_by("path")
    )


# Checking the tree ---------------------------------------------------------------------------


def plan_tree(sheet: ParsedSheet, anchor: Organisation | None) -> TreePlan:
    """Resolve parents and check every row; raise ``ImportInvalid`` listing all problems."""
    errors = list(sheet.errors)
    rows = sheet.rows
    parents = _resolve_parents(sheet, errors)
    depths = _depths(sheet, parents, errors)
    for index in range(len(rows)):
        errors.extend(_check_row(sheet, index, parents, anchor))
    errors.extend(_check_sibling_names(sheet, parents, anchor))
    if errors:
        errors.sort(key=sheet.sort_key)
        raise ImportInvalid(errors)
    levels: list[list[int]] = [[] for _ in range(max(depths) + 1)]
    for index, depth in enumerate(depths):
        levels[depth].append(index)
    return TreePlan(rows=rows, parents=parents, levels=levels)


def _resolve_parents(sheet: ParsedSheet, errors: list[RowError]) -> list[int]:
    by_ref: dict[str, int] = {}
    for index, row in enumerate(sheet.rows):
        if not row.ref:
            continue
        if row.ref in by_ref:
            first = sheet.rows[by_ref[row.ref]].line
            errors.append(
                sheet.error(
                    row,
                    "ref",
                    _("The ref %(ref)s is already used in row %(row)s.")
                    % {"ref": row.ref, "row": first},
                )
            )
        else:
            by_ref[row.ref] = index
    parents: list[int] = []
    for index, row in enumerate(sheet.rows):
        if not row.parent_ref:
            parents.append(ANCHOR)
        elif row.parent_ref not in by_ref:
            parents.append(UNKNOWN)
            errors.append(
                sheet.error(
                    row, "parent", _("No row has the ref %(ref)s.") % {"ref": row.parent_ref}
                )
            )
        elif by_ref[row.parent_ref] == index:
            parents.append(UNKNOWN)
            errors.append(sheet.error(row, "parent", _("A row cannot be its own parent.")))
        else:
            parents.append(by_ref[row.parent_ref])
    return parents


def _depths(sheet: ParsedSheet, parents: list[int], errors: list[RowError]) -> list[int]:
    """Each row's depth below the anchor (0 = directly under it); -1 if it never gets there.

    Walks up from each row, remembering the walk, so that a loop of parents is caught where
    it closes and every row on the loop is reported once.
    """
    depths = [-2] * len(parents)  # -2 not yet known, -1 unreachable
    for start in range(len(parents)):
        walk: list[int] = []
        on_walk: set[int] = set()
        node = start
        while node >= 0 and depths[node] == -2 and node not in on_walk:
            walk.append(node)
            on_walk.add(node)
            node = parents[node]
        if node == ANCHOR:
            depth = -1
        elif node == UNKNOWN or depths[node] == -1:
            depth = None
        elif node in on_walk:
            loop = walk[walk.index(node) :]
            lines = ", ".join(str(sheet.rows[i].line) for i in sorted(loop))
            for member in loop:
                errors.append(
                    sheet.error(
                        sheet.rows[member],
                        "parent",
                        _("Rows %(rows)s are each other's parents in a loop.") % {"rows": lines},
                    )
                )
                depths[member] = -1
                # Its parent is wrong whatever its kind: do not check the kinds as well.
                parents[member] = UNKNOWN
            walk = walk[: walk.index(node)]
            depth = None
        else:
            depth = depths[node]
        for member in reversed(walk):
            if depth is None:
                depths[member] = -1
            else:
                depth += 1
                depths[member] = depth
    return depths


def _parent_of(
    sheet: ParsedSheet, index: int, parents: list[int], anchor: Organisation | None
) -> tuple[bool, str | None, str]:
    """Whether the parent's kind is known, that kind, and the parent's division code."""
    parent = parents[index]
    if parent == ANCHOR:
        return True, (anchor.kind if anchor else None), (anchor.division_code if anchor else "")
    if parent == UNKNOWN or "kind" in sheet.rows[parent].bad_fields:
        return False, None, ""
    data = sheet.rows[parent].data
    code = data.division_code
    # A malformed parent code is reported on the parent's row; do not measure children by it.
    usable = code.isdigit() and len(code) in {6, 9, 12}
    return True, data.kind, code if usable else ""


def _check_row(
    sheet: ParsedSheet, index: int, parents: list[int], anchor: Organisation | None
) -> list[RowError]:
    row = sheet.rows[index]
    known, parent_kind, parent_code = _parent_of(sheet, index, parents, anchor)
    found = validate_organisation(row.data, parent_kind=parent_kind, parent_code=parent_code)
    # A cell that could not be read is already reported; do not report it twice.
    skip = set(row.bad_fields)
    if "kind" in row.bad_fields:
        skip |= _KIND_DEPENDENT
    if not known:
        skip.add("parent")
    return [
        sheet.error(row, field_name, message)
        for field_name, messages in found.items()
        if field_name not in skip
        for message in messages
    ]


def _check_sibling_names(
    sheet: ParsedSheet, parents: list[int], anchor: Organisation | None
) -> list[RowError]:
    """Names are unique among siblings, as ``organisation_create`` insists."""
    existing = set(Organisation.objects.filter(parent=anchor).values_list("name", flat=True))
    first_line: dict[tuple[int, str], int] = {}
    errors: list[RowError] = []
    for index, row in enumerate(sheet.rows):
        parent, name = parents[index], row.data.name.strip()
        if parent == UNKNOWN or not name:
            continue
        if parent == ANCHOR and name in existing:
            reason = _("An organisation with this name already exists here.")
            errors.append(sheet.error(row, "name", reason))
        elif (parent, name) in first_line:
            reason = _("Row %(row)s has the same name under the same parent.") % {
                "row": first_line[(parent, name)]
            }
            errors.append(sheet.error(row, "name", reason))
        else:
            first_line[(parent, name)] = row.line
    return errors


# Writing -------------------------------------------------------------------------------------


def _write(plan: TreePlan, actor: User | None, anchor: Organisation | None) -> list[Organisation]:
    """Insert level by level: a level's rows need their parents' ids for their paths."""
    anchor_supervisor = nearest_supervisor(anchor)
    saved: dict[int, Organisation] = {}
    for level in plan.levels:
        batch: list[Organisation] = []
        for index in level:
            parent = anchor if plan.parents[index] == ANCHOR else saved[plan.parents[index]]
            if parent is None:
                supervisor = None
            elif parent.kind in SUPERVISING_KINDS:
                supervisor = parent
            elif parent is anchor:
                supervisor = anchor_supervisor
            else:
                # ``nearest_supervisor`` of a non-supervising parent is the parent's own.
                supervisor = parent.supervising_office
            org = Organisation(
                parent=parent,
                supervising_office=supervisor,
                depth=(parent.depth + 1) if parent else 0,
                path="",
                **dataclasses.asdict(plan.rows[index].data),
            )
            batch.append(org)
            saved[index] = org
        _insert(batch)
        for org in batch:
            org.path = (org.parent.path if org.parent else "") + path_segment(org.pk)
        _save_paths(batch)
    created = [saved[index] for level in plan.levels for index in level]
    AuditEvent.objects.bulk_create(
        [_created_event(org, actor) for org in created], batch_size=BATCH_SIZE
    )
    return created


def _insert(batch: list[Organisation]) -> None:
    if connection.features.can_return_rows_from_bulk_insert:
        Organisation.objects.bulk_create(batch, batch_size=BATCH_SIZE)
    else:  # pragma: no cover - SQLite and PostgreSQL return the new ids
        for org in batch:
            org.save()


def _save_paths(batch: list[Organisation]) -> None:
    # ``bulk_update`` builds a CASE WHEN per row and costs seconds for thousands of rows;
    # one prepared UPDATE run with many parameter sets is a fraction of that on both backends.
    table = connection.ops.quote_name(Organisation._meta.db_table)
    sql = f"UPDATE {table} SET path = %s WHERE id = %s"  # noqa: S608 - the table name is ours
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(org.path, org.pk) for org in batch])


def _created_event(org: Organisation, actor: User | None) -> AuditEvent:
    """The event ``organisation_create`` records, built unsaved for one bulk insert."""
    return audit.build(
        EventType.ORGANISATION_CREATED,
        actor=actor,
        organisation=org,
        obj=org,
        after=audit.snapshot(org, AUDITED_FIELDS),
    )
