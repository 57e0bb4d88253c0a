"""Importing a committee's historical case ledger: every row checked, then all written or none,
on the one import framework (``core.imports.run``).

Checking reads the file and checks every row (``cases.ledger_rows``: cells; here: dispute types,
mediators, cases already registered), then builds every case in memory and checks its path of
moves against the case workflow's table (``cases.ledger_write.build``). Nothing is written if
any row is wrong. Writing then inserts the cases, their parties, mediators, moves, records,
audit events and domain events in bulk, dated as the ledger says (``cases.ledger_write``: which
rule is checked where), numbered in each year's sequence in date order (a case of 2024 takes a
2024 number), the year's counter taken once, for the last inserts only (ADR 0044).

The background run of large files is ``cases.ledger_jobs``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability, Role
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases import ledger_write
from tiaojie.cases.choices import (
    PartyRole,
)
from tiaojie.cases.error_codes import CasesErrorCode as E
from tiaojie.cases.ledger_columns import LedgerResult, dispute_type_names
from tiaojie.cases.ledger_rows import (
    MAX_ROWS,
    LedgerRow,
    ParsedLedger,
    parse_ledger,
    sorted_rows,
)
from tiaojie.cases.models import Case, DisputeType, Party
from tiaojie.cases.services import intake
from tiaojie.core import imports
from tiaojie.core.errors import NotPermitted
from tiaojie.core.imports import ImportInvalid, Row, read_table
from tiaojie.organisations.import_columns import normalise

if TYPE_CHECKING:
    from tiaojie.organisations.models import Organisation

IMPORT_NOTE = ledger_write.IMPORT_NOTE
Progress = ledger_write.Progress


def may_import(user: User) -> bool:
    """Importing a ledger registers cases and records how each was handled: it needs both."""
    return user.can(Capability.CASE_REGISTER) and user.can(Capability.CASE_HANDLE)


def require_ledger_import(actor: User) -> Organisation:
    """The committee ``actor`` imports into, or ``NotPermitted``."""
    if not actor.can(Capability.CASE_REGISTER):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not register cases."))
    if not actor.can(Capability.CASE_HANDLE):
        raise NotPermitted(
            E.NOT_PERMITTED,
            _("A ledger records how each case was handled: mediators and directors import it."),
        )
    return intake.committee_for(actor)


def ledger_import(
    *,
    actor: User,
    file_name: str,
    file: IO[bytes] | None = None,
    rows: Iterable[Row] | None = None,
    progress: Progress | None = None,
) -> list[Case]:
    """Create the cases of a ledger ``file`` (or of the table ``rows``) at the actor's committee.

    Raises ``ImportInvalid`` listing every problem (row, column as written, reason), and then
    writes nothing. ``progress(done, total)`` is called with 0 once every row has passed, before
    anything is written, then after each batch of ``ledger_write.BATCH_SIZE`` cases inside the
    writing transaction. Returns the cases as registered (numbers, dates, final statuses).
    """
    committee = require_ledger_import(actor)
    if rows is None:
        if file is None:
            raise TypeError("ledger_import needs a file or rows")
        rows = read_table(file, file_name, max_rows=MAX_ROWS)
    table = rows

    def check() -> list[ledger_write.Built]:
        plan = ledger_write.build(
            actor, committee, ledger_check(actor=actor, committee=committee, table=table)
        )
        if progress is not None:
            progress(0, len(plan))
        return plan

    def write(plan: list[ledger_write.Built]) -> list[Case]:
        created = ledger_write.Writer(actor, committee).write(plan, progress)
        audit.record(
            EventType.CASES_IMPORTED,
            actor=actor,
            organisation=committee,
            after={
                "file_name": file_name,
                "rows": len(plan),
                "created": len(created),
                "numbers": [created[0].number, created[-1].number],
            },
        )
        return created

    return imports.run(check=check, write=write)


def ledger_check(*, actor: User, committee: Organisation, table: Iterable[Row]) -> list[LedgerRow]:
    """Read and check every row; the rows in the order to register them, or ``ImportInvalid``."""
    sheet = parse_ledger(table)
    _check_types(sheet)
    _check_mediators(sheet, actor, committee)
    _check_duplicates(sheet, committee)
    if sheet.errors:
        raise ImportInvalid(sorted(sheet.errors, key=sheet.sort_key))
    return sorted_rows(sheet.rows)


# Checks against the database ------------------------------------------------------------------


def _fail(sheet: ParsedLedger, row: LedgerRow, field_name: str, reason: str) -> None:
    row.bad.add(field_name)
    sheet.errors.append(sheet.error(row.line, field_name, reason))


def _check_types(sheet: ParsedLedger) -> None:
    """纠纷类型 by name (with or without 纠纷) or code, in use on the registration date."""
    by_word: dict[str, list[DisputeType]] = {}
    for kind in DisputeType.objects.all():
        for word in {kind.code, kind.name, f"{kind.name}纠纷"}:
            by_word.setdefault(normalise(word), []).append(kind)
    for row in sheet.rows:
        text = row.dispute_type_text
        if not text:
            continue
        key = normalise(text)
        candidates = by_word.get(key) or by_word.get(key.removesuffix("纠纷"), [])
        day = row.registered_on
        if not candidates:
            reason = _("Unknown dispute type “%(value)s”; use one of: %(choices)s.")
            values = {"value": text, "choices": dispute_type_names(day)}
            _fail(sheet, row, "dispute_type", reason % values)
        elif day is not None:
            valid = [
                kind
                for kind in candidates
                if kind.valid_from <= day and (kind.valid_to is None or day <= kind.valid_to)
            ]
            if valid:
                row.dispute_type = valid[0]
            else:
                reason = _("The dispute type “%(value)s” was not in use on %(day)s.")
                _fail(sheet, row, "dispute_type", reason % {"value": text, "day": day})


def _check_mediators(sheet: ParsedLedger, actor: User, committee: Organisation) -> None:
    """调解员: full names of the committee's active mediators and directors. A mediator (not a
    director) imports only cases they mediated: the services let them handle no others."""
    staff = User.objects.filter(
        organisation=committee,
        is_active=True,
        role__in=[Role.MEDIATOR, Role.COMMITTEE_DIRECTOR],
    )
    by_name: dict[str, list[User]] = {}
    for user in staff:
        by_name.setdefault(user.full_name.strip(), []).append(user)
    for row in sheet.rows:
        values = {"committee": committee.name}
        for name in row.mediator_names:
            users = by_name.get(name, [])
            values["name"] = name
            if len(users) == 1:
                row.mediators.append(users[0])
            elif not users:
                reason = _("“%(name)s” is not an active mediator or director of %(committee)s.")
                _fail(sheet, row, "mediators", reason % values)
            else:
                reason = _("%(committee)s has more than one mediator named “%(name)s”.")
                _fail(sheet, row, "mediators", reason % values)
        handled = row.result not in ("", LedgerResult.DECLINED)
        if (
            handled
            and "mediators" not in row.bad
            and row.mediators
            and actor.role == Role.MEDIATOR
            and actor not in row.mediators
        ):
            reason = _(
                "A mediator imports only the cases they mediated; the director imports this."
            )
            _fail(sheet, row, "mediators", reason)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _check_duplicates(sheet: ParsedLedger, committee: Organisation) -> None:
    """The same case twice in the file, or already registered (the same ledger uploaded twice):
    the same registration date, summary and applicant."""
    days = [row.registered_on for row in sheet.rows if row.registered_on]
    existing: dict[tuple[dt.date, str, str], str] = {}
    if days:
        parties = Party.objects.filter(
            case__committee=committee,
            role=PartyRole.APPLICANT,
            case__registered_at__gte=_day_start(min(days)),
            case__registered_at__lt=_day_start(max(days) + dt.timedelta(days=1)),
        ).values_list("case__registered_at", "case__summary", "case__number", "name")
        for registered_at, summary, number, name in parties:
            existing[(timezone.localdate(registered_at), summary, name)] = number
    first: dict[tuple[dt.date, str, str], int] = {}
    for row in sheet.rows:
        if row.registered_on is None or not row.summary or not row.applicants:
            continue
        key = (row.registered_on, row.summary, row.applicants[0].name)
        if key in existing:
            reason = _("This case is already registered as %(number)s.")
            _fail(sheet, row, "summary", reason % {"number": existing[key]})
        elif key in first:
            reason = _("Row %(row)s has the same registration date, applicant and summary.")
            _fail(sheet, row, "summary", reason % {"row": first[key]})
        else:
            first[key] = row.line
