"""Importing a committee's historical case ledger: every row checked, then all written or none.

Each case is written through the services a clerk's clicks go through (``case_register``, the
workflow's moves, ``session_add``, ``agreement_draw_up`` and ``agreement_sign``,
``performance_record``), so every rule, transition row and audit event is the same as for a case
handled in the app. The services date what they do today; the import then moves those dates
back to the ledger's, as the demo data does (``cases.demo._backdate``): accepted, due and closed
dates, when the moves happened, when mediators were assigned. These are its only writes that do
not go through a service, and they touch nothing but dates. The registration date and the
number come from ``case_register(registered_at=...)``: a case of 2024 is numbered in 2024's
sequence, and rows are registered in date order so numbers follow the dates.

Reading the file and the checks that need no database are ``cases.ledger_rows``; the background
run of large files is ``cases.ledger_jobs``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability, Role
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.choices import (
    AgreementKind,
    DeclineReason,
    EndReason,
    PartyRole,
    Performance,
)
from tiaojie.cases.ledger_columns import RESULT_WORDS, LedgerResult, dispute_type_names
from tiaojie.cases.ledger_rows import (
    MAX_ROWS,
    LedgerRow,
    ParsedLedger,
    parse_ledger,
    sorted_rows,
)
from tiaojie.cases.models import Case, CaseMediator, CaseTransition, DisputeType, Party
from tiaojie.cases.services import aftercare, agreements, intake, records
from tiaojie.cases.workflow import Action, add_months, transition
from tiaojie.core.errors import DomainError, NotPermitted
from tiaojie.core.imports import ImportInvalid, Row, RowError, read_table
from tiaojie.organisations.import_columns import normalise

if TYPE_CHECKING:
    from tiaojie.organisations.models import Organisation

# Written on every step the import makes, so the case file says where it came from.
IMPORT_NOTE = "据历史台账补录"
NOT_STATED = "台账未载明"
AGREEMENT_CONTENT = "据历史台账补录，协议内容以纸质调解协议书为准。"
PROGRESS_EVERY = 50
# The ledger gives days; the steps of one day are put in their order at these times.
REGISTERED_AT = dt.time(9, 0)
SESSION_AT = dt.time(10, 0)
ENDED_AT = dt.time(11, 0)
STARTING_MOVES = (Action.ACCEPT, Action.START_MEDIATION)
ENDING_MOVES = (Action.DECLINE, Action.TERMINATE, Action.FAIL, Action.REACH_AGREEMENT)

Progress = Callable[[int, int], None]


def may_import(user: User) -> bool:
    """Importing a ledger registers cases and records how each was handled: it needs both."""
    return user.can(Capability.CASE_REGISTER) and user.can(Capability.CASE_HANDLE)


def require_ledger_import(actor: User) -> Organisation:
    """The committee ``actor`` imports into, or ``NotPermitted``."""
    if not actor.can(Capability.CASE_REGISTER):
        raise NotPermitted("not_permitted", _("Your role may not register cases."))
    if not actor.can(Capability.CASE_HANDLE):
        raise NotPermitted(
            "not_permitted",
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
    anything is written, then every ``PROGRESS_EVERY`` rows inside the writing transaction.
    Returns the cases as registered (numbers and registration dates; reload them for status).
    """
    committee = require_ledger_import(actor)
    if rows is None:
        if file is None:
            raise TypeError("ledger_import needs a file or rows")
        rows = read_table(file, file_name, max_rows=MAX_ROWS)
    plan = ledger_check(actor=actor, committee=committee, table=rows)
    total = len(plan)
    if progress is not None:
        progress(0, total)
    created: list[Case] = []
    with transaction.atomic():
        for done, row in enumerate(plan, start=1):
            created.append(_write(actor, row))
            if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
                progress(done, total)
        audit.record(
            EventType.CASES_IMPORTED,
            actor=actor,
            organisation=committee,
            after={
                "file_name": file_name,
                "rows": total,
                "created": len(created),
                "numbers": [created[0].number, created[-1].number],
            },
        )
    return created


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


# Writing --------------------------------------------------------------------------------------


def _moment(day: dt.date, at: dt.time) -> dt.datetime:
    """That day at that time, or now if that is later than now (a ledger row of today)."""
    return min(timezone.make_aware(dt.datetime.combine(day, at)), timezone.now())


def _write(actor: User, row: LedgerRow) -> Case:
    """One row's case; a service's refusal the checks did not foresee names the row."""
    try:
        return _write_case(actor, row)
    except DomainError as exc:
        details = [m for messages in exc.fields.values() for m in messages]
        reason = "；".join(details) if details else exc.message
        raise ImportInvalid([RowError(row.line, "", reason)]) from exc


def _write_case(actor: User, row: LedgerRow) -> Case:
    if row.dispute_type is None or row.registered_on is None:  # pragma: no cover - checked
        raise ValueError(f"row {row.line} was not checked")
    registered_at = _moment(row.registered_on, REGISTERED_AT)
    case = intake.case_register(
        actor=actor,
        data=intake.CaseData(
            dispute_type=row.dispute_type,
            source=row.source,
            summary=row.summary,
            amount=row.amount,
            people_involved=row.people_involved,
            parties=row.parties,
        ),
        registered_at=registered_at,
    )
    closing = f"{IMPORT_NOTE}：{row.notes}" if row.notes else IMPORT_NOTE
    if row.result == LedgerResult.DECLINED:
        declined = {"decline_reason": DeclineReason.OTHER.value}
        transition(actor=actor, case=case, action=Action.DECLINE, reason=closing, data=declined)
    else:
        ids = [mediator.pk for mediator in row.mediators]
        start = {"mediator_ids": ids, "presiding_id": ids[0]}
        moved = transition(actor=actor, case=case, action=Action.ACCEPT, reason=IMPORT_NOTE)
        moved = transition(
            actor=actor, case=moved, action=Action.START_MEDIATION, reason=IMPORT_NOTE, data=start
        )
        if row.result == LedgerResult.TERMINATED:
            ended = {"end_reason": EndReason.OTHER.value}
            transition(actor=actor, case=moved, action=Action.TERMINATE, reason=closing, data=ended)
        elif row.result in (LedgerResult.SUCCESS, LedgerResult.FAILED):
            _mediate(actor, moved, row, closing)
    _set_dates(case.pk, row, registered_at)
    return case


def _mediate(actor: User, case: Case, row: LedgerRow, closing: str) -> None:
    """The session the ledger implies, then the failure, or the agreement and its performance."""
    day = row.ended_on
    if day is None:  # pragma: no cover - a successful or failed row has ended
        raise ValueError(f"row {row.line} has no end")
    lines = [f"{IMPORT_NOTE}。", f"纠纷简要情况：{row.summary}"]
    lines.append(f"调解结果：{RESULT_WORDS[row.result][0]}")
    if row.notes:
        lines.append(f"备注：{row.notes}")
    records.session_add(
        actor=actor,
        case=case,
        held_at=_moment(day, SESSION_AT),
        place=NOT_STATED,
        parties_present="、".join(p.name for p in row.parties)[:200],
        recorder=row.mediators[0].full_name[:60],
        content="\n".join(lines),
    )
    if row.result == LedgerResult.FAILED:
        data = {"routes_told": True}
        transition(actor=actor, case=case, action=Action.FAIL, reason=closing, data=data)
        return
    agreements.agreement_draw_up(
        actor=actor,
        case=case,
        kind=row.agreement_kind,
        facts=row.summary,
        content=AGREEMENT_CONTENT,
        performance_manner=NOT_STATED,
        formed_on=day,
    )
    if row.agreement_kind == AgreementKind.WRITTEN:
        # Every party, the mediator and the seal on the agreement's date: in effect that day.
        for party in case.parties.all():
            agreements.agreement_sign(actor=actor, case=case, party=party, signed_on=day)
        agreements.agreement_sign(actor=actor, case=case, mediator=True, signed_on=day)
        agreements.agreement_sign(actor=actor, case=case, seal=True, signed_on=day)
    transition(actor=actor, case=case, action=Action.REACH_AGREEMENT, reason=closing)
    if row.performance != Performance.PENDING:
        aftercare.performance_record(
            actor=actor, case=case, status=row.performance, recorded_on=day, note=IMPORT_NOTE
        )


def _set_dates(case_id: int, row: LedgerRow, registered_at: dt.datetime) -> None:
    """Move what the services dated today back to the ledger's days."""
    if row.registered_on is None:  # pragma: no cover - checked
        return
    ended = row.ended_on
    updates: dict[str, object] = {"closed_on": ended}
    if row.result != LedgerResult.DECLINED:
        updates["accepted_on"] = row.registered_on
        updates["due_on"] = add_months(row.registered_on, settings.TIAOJIE_MEDIATION_MONTHS)
    Case.objects.filter(pk=case_id).update(**updates)
    moves = CaseTransition.objects.filter(case_id=case_id)
    moves.filter(action__in=STARTING_MOVES).update(at=registered_at)
    if ended is not None:
        moves.filter(action__in=ENDING_MOVES).update(at=_moment(ended, ENDED_AT))
    CaseMediator.objects.filter(case_id=case_id).update(assigned_at=registered_at)
