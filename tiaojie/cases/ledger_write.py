"""Writing a checked ledger in bulk: the rows, statements and events the services would write,
dated as the ledger says, a thousand rows to a statement.

``cases.ledger_import`` checks every row first (nothing is written if one is wrong). This module
then writes what, case by case, ``case_register``, the workflow's moves, ``session_add``,
``agreement_draw_up``, ``agreement_sign`` and ``performance_record`` would write: the case and
its parties (encrypted, with blind indexes), its mediators, one transition row per move, the
session, the agreement and its signatures, the performance record, one audit event per step
(the same events, with the same contents, in the same order, on the tamper-evident chain) and
the domain events (``case.registered``, ``case.moved``, ``agreement.in_effect``), delivered after
commit by one sweep. Every date is the ledger's from the start: nothing is rewritten afterwards.

Which rules hold, and where they are checked, since no service runs per case:

- the moves: each case's path is checked against the case workflow's table
  (``WORKFLOW.plan``: known action, the actor's capability, the source state, a reason);
- the guards' facts hold by construction: mediators are active staff of the committee (checked),
  a session comes before a failure or an agreement, a written agreement has every party's
  signature, the mediator's and the seal before the case moves to agreed;
- scope and the workflow's ``permit`` rule: every case is at the actor's own committee
  (``require_ledger_import``); a director works on any case there, a mediator only on the cases
  they mediated (``ledger_check`` refuses the others), as ``may_work_on`` says;
- numbers: each year's counter is locked once for the whole file, inside the writing
  transaction, after everything has been checked and built, every row written (the cases and
  agreements under temporary numbers) and every foreign key checked (``numbering.reserve``;
  ``Writer``, ADR 0044 and 0048).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.utils import timezone

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases import numbering, search
from tiaojie.cases.choices import (
    ENDED_STATUSES,
    AgreementKind,
    CaseStatus,
    DeclineReason,
    EndReason,
    Performance,
)
from tiaojie.cases.ledger_columns import RESULT_WORDS, LedgerResult
from tiaojie.cases.ledger_rows import LedgerRow
from tiaojie.cases.models import (
    Agreement,
    AgreementSignature,
    Case,
    CaseMediator,
    CaseTransition,
    MediationSession,
    Party,
    PerformanceRecord,
)
from tiaojie.cases.services import intake
from tiaojie.cases.workflow import (
    WORKFLOW,
    Action,
    mediation_due_on,
    mediation_due_on_many,
    moved_audit_parts,
)
from tiaojie.core import bulk, events
from tiaojie.core.errors import DomainError
from tiaojie.core.imports import ImportInvalid, RowError
from tiaojie.core.models import OutboxEvent
from tiaojie.core.transitions import Planned

if TYPE_CHECKING:
    from tiaojie.accounts.models import User
    from tiaojie.organisations.models import Organisation

BATCH_SIZE = 1000
# Written on every step the import makes, so the case file says where it came from.
IMPORT_NOTE = "据历史台账补录"
NOT_STATED = "台账未载明"
AGREEMENT_CONTENT = "据历史台账补录，协议内容以纸质调解协议书为准。"
# The ledger gives days; the steps of one day are put in their order at these times.
REGISTERED_AT = dt.time(9, 0)
SESSION_AT = dt.time(10, 0)
ENDED_AT = dt.time(11, 0)

# The columns of the rows written plain (``bulk.Stripped``). Their ids are the database's,
# but for the moves that record an agreement's number (``_unpublish`` may have to take them
# back). The columns not named take their defaults (not chosen by the
# parties, not withdrawn; fingerprinted, not signed by an agent), as the models would.
LOGGED = (
    "case_id", "actor_id", "action", "from_status", "to_status", "actor_name", "at", "reason",
    "data",
)  # fmt: skip
_logged = operator.itemgetter(*LOGGED)
MEDIATOR_COLUMNS = ("case_id", "mediator_id", "is_presiding", "assigned_at")
SIGNATURE_COLUMNS = ("agreement_id", "party_id", "signed_on")
PERFORMANCE_COLUMNS = ("case_id", "recorded_on", "status", "note", "created_by_id")

Progress = Callable[[int, int], None]
# The cases and agreements go in before their numbers are taken, under numbers no case has:
# sequences from here on (a year's numbers never come near) and ``TEMPORARY`` and the id.
# Both are unique per row, so two imports at once do not collide either.
TEMPORARY_SEQUENCE = 1_000_000_000
TEMPORARY = "导入中-"
RENUMBER_BATCH = 500


def moment(day: dt.date, at: dt.time) -> dt.datetime:
    """That day at that time, or now if that is later than now (a ledger row of today)."""
    return min(timezone.make_aware(dt.datetime.combine(day, at)), timezone.now())


@dataclass
class Step:
    """A planned move of one case, when it happened and the data it records."""

    planned: Planned
    at: dt.datetime
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Built:
    """One row's case, built in memory and checked against the workflow, before any write."""

    row: LedgerRow
    case: Case
    parties: list[Party]
    steps: list[Step]


def build(actor: User, committee: Organisation, rows: list[LedgerRow]) -> list[Built]:
    """Every row's case, parties and path of moves, checked; ``ImportInvalid`` names the row of
    a move the workflow refuses (which the checks should have caught)."""
    built: list[Built] = []
    errors: list[RowError] = []
    # The deadline rule reads the calendar and the committee's rules: once for every day.
    accepted = [
        r.registered_on for r in rows if r.registered_on and r.result != LedgerResult.DECLINED
    ]
    due = mediation_due_on_many(committee, accepted)

    def due_on(day: dt.date) -> dt.date:
        return due[day] if day in due else mediation_due_on(committee, day)

    for row in rows:
        try:
            built.append(_build(actor, committee, row, due_on))
        except DomainError as exc:
            details = [m for messages in exc.fields.values() for m in messages]
            errors.append(RowError(row.line, "", "；".join(details) if details else exc.message))
    if errors:
        raise ImportInvalid(errors)
    return built


def _build(
    actor: User,
    committee: Organisation,
    row: LedgerRow,
    due_on: Callable[[dt.date], dt.date],
) -> Built:
    if row.dispute_type is None or row.registered_on is None:  # pragma: no cover - checked
        raise ValueError(f"row {row.line} was not checked")
    registered_at = moment(row.registered_on, REGISTERED_AT)
    ended = row.ended_on
    ended_at = moment(ended, ENDED_AT) if ended is not None else registered_at
    closing = f"{IMPORT_NOTE}：{row.notes}" if row.notes else IMPORT_NOTE
    summary = row.summary.strip()
    case = Case(
        year=row.registered_on.year,
        committee=committee,
        committee_path=committee.path,
        dispute_type=row.dispute_type,
        source=row.source,
        summary=summary,
        amount=row.amount,
        people_involved=row.people_involved,
        registered_by=actor,
        registered_at=registered_at,
        search_tokens=search.index_text([summary, "", "", *(p.name for p in row.parties)]),
    )
    parties = [intake.party_row(case, party) for party in row.parties]
    moves: list[tuple[Action, str, dt.datetime, dict[str, Any]]] = []
    if row.result == LedgerResult.DECLINED:
        case.decline_reason = DeclineReason.OTHER
        case.closed_on = ended
        moves.append((Action.DECLINE, closing, ended_at, {"decline_reason": DeclineReason.OTHER}))
    else:
        case.accepted_on = row.registered_on
        case.due_on = due_on(row.registered_on)
        ids = [mediator.pk for mediator in row.mediators]
        start = {
            "mediator_ids": ids,
            "presiding_id": ids[0],
            "mediator_names": [m.full_name for m in row.mediators],
        }
        moves.append((Action.ACCEPT, IMPORT_NOTE, registered_at, {}))
        moves.append((Action.START_MEDIATION, IMPORT_NOTE, registered_at, start))
        endings: dict[LedgerResult, tuple[Action, dict[str, Any]]] = {
            LedgerResult.TERMINATED: (Action.TERMINATE, {"end_reason": EndReason.OTHER}),
            LedgerResult.FAILED: (
                Action.FAIL,
                {"routes_told": True, "end_reason": EndReason.NO_AGREEMENT},
            ),
            LedgerResult.SUCCESS: (Action.REACH_AGREEMENT, {}),
        }
        ending = endings.get(LedgerResult(row.result))
        if ending is not None:
            action, data = ending
            moves.append((action, closing, ended_at, data))
            if "end_reason" in data:
                case.end_reason = data["end_reason"]
                case.routes_told = True
            case.closed_on = ended
    planned = WORKFLOW.plan(
        actor=actor,
        status=CaseStatus.REGISTERED,
        steps=[(action, reason) for action, reason, _at, _data in moves],
    )
    steps = [Step(plan, at, data) for plan, (_a, _r, at, data) in zip(planned, moves, strict=True)]
    case.status = planned[-1].after
    if case.status in ENDED_STATUSES:
        case.ended_as = case.status
    # The version the services' bumps would have left: one per move and per record written.
    records = 0
    if row.result in (LedgerResult.SUCCESS, LedgerResult.FAILED):
        records += 1  # the session
    if row.result == LedgerResult.SUCCESS:
        records += 1  # the agreement
        if row.agreement_kind == AgreementKind.WRITTEN:
            records += len(parties) + 2  # every party, the mediator, the seal
        if row.performance != Performance.PENDING:
            case.performance = row.performance
            records += 1
    case.version = 1 + len(steps) + records
    return Built(row, case, parties, steps)


@dataclass
class Ready:
    """A batch's rows that name the cases' numbers: its audit events, serialised for the
    chain (``audit.PreparedTrail``), its domain events and its agreement moves, both written
    before the locks under the numbers foreseen (``Writer._unpublish`` takes them back if the
    numbers reserved differ)."""

    trail: audit.PreparedTrail
    outbox: list[int]  # the ids of what was written, to take back
    moves: list[int]


@dataclass
class _Prepared:
    trail: audit.PreparedTrail
    outbox: events.PreparedEvents


class Writer:
    """Writes the built cases in one transaction (the caller's), in bulk, in two phases.

    First, with no lock that others wait for, every row but those that must follow the
    numbers: the cases' and agreements' ids are taken from their sequences, then the cases and
    agreements go in under temporary numbers, with their parties, mediators, sessions,
    signatures, performance records and moves, a batch at a time; the audit events and domain
    events are built with the numbers the counters would give now; the foreign keys of all
    these rows are checked (``SET CONSTRAINTS ALL IMMEDIATE``: they were deferred). Last, each
    year's numbers are reserved in one step: if they are the ones foreseen (no one registered a
    case of those years meanwhile) the events stand, else they are built again with the numbers
    reserved. Then the cases and agreements are given their numbers (one ``UPDATE`` per few
    hundred), and the agreement moves (which record the agreement's number), the audit events
    (chained) and the domain events go in. The year's number counter and the audit chain's
    head, which every registration elsewhere also takes, are held for that last phase only
    (ADR 0044, 0048)."""

    def __init__(self, actor: User, committee: Organisation) -> None:
        self.actor = actor
        self.committee = committee
        # The audit events as plain rows, not model instances (ADR 0048, stop 26), and so the
        # rows no later step reads: moves, mediators, signatures, performance records.
        self.trail = audit.TrailRows(actor=actor, organisation=committee)
        self.moves = bulk.Stripped(CaseTransition, LOGGED, prepared=("data",))
        self.numbered_moves = bulk.Stripped(CaseTransition, ("id", *LOGGED), prepared=("data",))
        self.assigned = bulk.Stripped(CaseMediator, MEDIATOR_COLUMNS)
        self.signatures = bulk.Stripped(AgreementSignature, SIGNATURE_COLUMNS)
        self.performances = bulk.Stripped(PerformanceRecord, PERFORMANCE_COLUMNS)
        self.outbox: list[tuple[str, Mapping[str, Any]]] = []
        self.sessions: dict[int, MediationSession] = {}
        self.agreements: dict[int, Agreement] = {}

    def write(self, built: list[Built], progress: Progress | None = None) -> list[Case]:
        """Number and insert everything; ``progress(done, total)`` after each batch of cases
        whose unnumbered rows are written (the numbered rest follows in seconds)."""
        total = len(built)
        batches = [built[start : start + BATCH_SIZE] for start in range(0, total, BATCH_SIZE)]
        bulk.take_ids(Case, [b.case for b in built])
        self.agreements = {
            b.case.pk: self._agreement(b) for b in built if b.row.result == LedgerResult.SUCCESS
        }
        bulk.take_ids(Agreement, list(self.agreements.values()))
        years = Counter(b.case.year for b in built)
        foreseen = {year: numbering.peek(self.committee, year) for year in years}
        self._number(built, foreseen)
        ready: list[Ready] = []
        for index, batch in enumerate(batches):
            self._unnumbered(batch)
            ready.append(self._numbered(batch))
            if progress is not None:
                progress(min((index + 1) * BATCH_SIZE, total), total)
        self._check_now()
        # From here until the commit the counters are locked: only the numbers remain.
        first = {year: numbering.reserve(self.committee, year, n) for year, n in years.items()}
        if first != foreseen:  # someone registered a case of those years in the meantime
            self._unpublish(ready)
            self._number(built, first)
            ready = [self._numbered(batch) for batch in batches]
        self._renumber(built)
        for rows in ready:
            audit.record_prepared(rows.trail)
        return [b.case for b in built]

    def _numbered(self, batch: list[Built]) -> Ready:
        """Write the rows of ``batch`` that name the numbers given now: the agreement moves
        (which record the agreement's number) and the domain events; and serialise its audit
        events, which only the chain's head may append (``audit.record_prepared``)."""
        moves = self._insert_moves(
            [(b, b.steps[-1]) for b in batch if b.case.pk in self.agreements], numbered=True
        )
        rows = self._prepare(batch)
        return Ready(trail=rows.trail, outbox=events.publish_prepared(rows.outbox), moves=moves)

    def _unpublish(self, ready: list[Ready]) -> None:
        """Take back the agreement moves and domain events written with numbers that turned
        out to be taken (someone registered a case meanwhile): the import writes them again
        with the numbers reserved. Inside the import's transaction, so no one saw them."""
        for model, ids in (
            (OutboxEvent, [pk for rows in ready for pk in rows.outbox]),
            (CaseTransition, [pk for rows in ready for pk in rows.moves]),
        ):
            for start in range(0, len(ids), RENUMBER_BATCH):
                model.objects.filter(pk__in=ids[start : start + RENUMBER_BATCH]).delete()

    def _number(self, built: list[Built], first: Mapping[int, int]) -> None:
        """Number each year's cases from ``first`` on, in date order (rows come sorted by
        date), and their agreements after them."""
        following = dict(first)
        for b in built:
            sequence = following[b.case.year]
            following[b.case.year] += 1
            b.case.sequence = sequence
            b.case.number = numbering.format_number(self.committee, b.case.year, sequence)
            agreement = self.agreements.get(b.case.pk)
            if agreement is not None:
                agreement.number = f"{b.case.number}协1"
                # The move records the agreement, as its effect does.
                b.steps[-1].data["agreement_number"] = agreement.number

    def _prepare(self, batch: list[Built]) -> _Prepared:
        """The audit events and domain events of ``batch``, made ready to insert with the
        cases' numbers as they are now."""
        for b in batch:
            self._trail(b, self.sessions.get(b.case.pk), self.agreements.get(b.case.pk))
        outbox, self.outbox = self.outbox, []
        return _Prepared(
            trail=audit.prepare_rows(self.trail.take()), outbox=events.prepare_many(outbox)
        )

    def _check_now(self) -> None:
        """Check the foreign keys of every row written so far now, before taking the locks,
        rather than at commit under them. PostgreSQL defers them; switching them to immediate
        runs the pending checks, and switching back defers those of later rows again (as
        Django's ``check_constraints`` does). SQLite has no such switch: it checks at commit,
        and locks the whole database for the transaction anyway."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def _renumber(self, built: list[Built]) -> None:
        """Give the cases and agreements, written under temporary numbers, their own: on
        PostgreSQL one ``UPDATE`` per table from arrays (one join, where a statement per few
        hundred rows scanned the table each time), elsewhere one per ``RENUMBER_BATCH`` rows
        from a ``VALUES`` list."""
        agreements = [(a.pk, 0, a.number) for b in built if (a := self.agreements.get(b.case.pk))]
        cases = [(b.case.pk, b.case.sequence, b.case.number) for b in built]
        postgres = connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            for table, rows in (
                (Case._meta.db_table, cases),
                (Agreement._meta.db_table, agreements),
            ):
                sequence = ", sequence = v.sequence" if table == Case._meta.db_table else ""
                quoted = connection.ops.quote_name(table)
                if postgres and rows:
                    ids, sequences, numbers = (list(column) for column in zip(*rows, strict=True))
                    cursor.execute(
                        f"UPDATE {quoted} SET number = v.number{sequence} "  # noqa: S608
                        "FROM unnest(%s::bigint[], %s::integer[], %s::text[]) "
                        f"AS v (id, sequence, number) WHERE {quoted}.id = v.id",
                        [ids, sequences, numbers],
                    )
                    continue
                for start in range(0, len(rows), RENUMBER_BATCH):
                    chunk = rows[start : start + RENUMBER_BATCH]
                    values = ", ".join(
                        ["(CAST(%s AS bigint), CAST(%s AS integer), CAST(%s AS text))"] * len(chunk)
                    )
                    cursor.execute(
                        f"WITH v (id, sequence, number) AS (VALUES {values}) "  # noqa: S608
                        f"UPDATE {quoted} SET number = v.number{sequence} "
                        f"FROM v WHERE {quoted}.id = v.id",
                        [value for row in chunk for value in row],
                    )

    def _insert_temporarily_numbered(self, batch: list[Built]) -> None:
        """The cases of ``batch`` and their agreements, under temporary numbers; the objects
        keep the numbers foreseen (which the audit and domain events name)."""
        cases = [b.case for b in batch]
        agreements = [self.agreements[b.case.pk] for b in batch if b.case.pk in self.agreements]
        foreseen = [(case.sequence, case.number) for case in cases]
        agreed = [agreement.number for agreement in agreements]
        for case in cases:
            case.sequence = TEMPORARY_SEQUENCE + case.pk
            case.number = f"{TEMPORARY}{case.pk}"
        for agreement in agreements:
            agreement.number = f"{TEMPORARY}{agreement.pk}"
        try:
            bulk.insert(Case, cases)
            bulk.insert(Agreement, agreements)
        finally:
            for case, (sequence, number) in zip(cases, foreseen, strict=True):
                case.sequence, case.number = sequence, number
            for agreement, number in zip(agreements, agreed, strict=True):
                agreement.number = number

    def _unnumbered(self, batch: list[Built]) -> None:
        """The rows of ``batch`` that are written before the numbers are taken, the cases' ids
        already taken: the cases and agreements (temporarily numbered) and all that do not
        name a number."""
        actor, agreements = self.actor, self.agreements
        self._insert_temporarily_numbered(batch)
        parties: list[Party] = []
        mediators: list[tuple[Any, ...]] = []
        for b in batch:
            for party in b.parties:
                party.case = b.case
            parties.extend(b.parties)
            if b.row.result != LedgerResult.DECLINED:
                mediators.extend(
                    (b.case.pk, user.pk, index == 0, b.case.registered_at)
                    for index, user in enumerate(b.row.mediators)
                )
        bulk.insert(Party, parties)
        self.assigned.insert(mediators)
        sessions = {
            b.case.pk: self._session(b)
            for b in batch
            if b.row.result in (LedgerResult.SUCCESS, LedgerResult.FAILED)
        }
        bulk.insert(MediationSession, list(sessions.values()))
        self.sessions.update(sessions)
        signatures = [
            (agreements[b.case.pk].pk, party.pk, day)
            for b in batch
            if b.case.pk in agreements and agreements[b.case.pk].kind == AgreementKind.WRITTEN
            for party in b.parties
            if (day := agreements[b.case.pk].formed_on)
        ]
        self.signatures.insert(signatures)
        performances = [
            (b.case.pk, agreements[b.case.pk].formed_on, b.row.performance, IMPORT_NOTE, actor.pk)
            for b in batch
            if b.case.pk in agreements and b.row.performance != Performance.PENDING
        ]
        self.performances.insert(performances)
        self._insert_moves(
            [(b, s) for b in batch for s in (b.steps[:-1] if b.case.pk in agreements else b.steps)]
        )

    def _insert_moves(
        self, moves: list[tuple[Built, Step]], *, numbered: bool = False
    ) -> list[int]:
        """Insert the transition rows of ``moves`` (as ``WORKFLOW.log_row`` makes them, as
        plain rows). ``numbered``: they record an agreement's number, and may have to be taken
        back (``_unpublish``): their ids are taken first and returned."""
        log, actor = WORKFLOW.log_values, self.actor
        rows = [
            _logged(log(b.case, s.planned, actor=actor, at=s.at, data=s.data)) for b, s in moves
        ]
        if not numbered:
            self.moves.insert(rows)
            return []
        ids = bulk.new_ids(CaseTransition, len(rows))
        self.numbered_moves.insert([(pk, *row) for pk, row in zip(ids, rows, strict=True)])
        return ids

    def _session(self, b: Built) -> MediationSession:
        day = b.row.ended_on
        if day is None:  # pragma: no cover - a successful or failed row has ended
            raise ValueError(f"row {b.row.line} has no end")
        lines = [f"{IMPORT_NOTE}。", f"纠纷简要情况：{b.row.summary}"]
        lines.append(f"调解结果：{RESULT_WORDS[b.row.result][0]}")
        if b.row.notes:
            lines.append(f"备注：{b.row.notes}")
        return MediationSession(
            case=b.case,
            held_at=moment(day, SESSION_AT),
            place=NOT_STATED,
            parties_present="、".join(p.name for p in b.row.parties)[:200],
            recorder=b.row.mediators[0].full_name[:60],
            content="\n".join(lines),
            rights_told=True,
            created_by=self.actor,
        )

    def _agreement(self, b: Built) -> Agreement:
        day = b.row.ended_on
        if day is None:  # pragma: no cover - a successful row has ended
            raise ValueError(f"row {b.row.line} has no end")
        written = b.row.agreement_kind == AgreementKind.WRITTEN
        return Agreement(
            case=b.case,
            kind=b.row.agreement_kind,
            number="",  # ``_numbers`` gives it the case's, once the case has its own
            facts=b.row.summary.strip(),
            content=AGREEMENT_CONTENT,
            performance_manner=NOT_STATED,
            formed_on=day,
            mediator_signed_on=day if written else None,
            sealed_on=day if written else None,
            effective_on=day,
            created_by=self.actor,
        )

    def _trail(
        self, b: Built, session: MediationSession | None, agreement: Agreement | None
    ) -> None:
        """The audit events and domain events of one case, in the order the services would
        record them."""
        actor, case = self.actor, b.case
        registered = CaseStatus.REGISTERED
        self.trail.add(
            EventType.CASE_REGISTERED,
            obj=case,
            after=intake.registered_after(case, len(b.parties), registered),
        )
        self.outbox.append(("case.registered", intake.registered_payload(actor, case, registered)))

        def step(s: Step) -> None:
            recorded = {k: s.data[k] for k in s.planned.move.extra if k in s.data}
            self.trail.add(
                EventType.CASE_MOVED,
                obj=case,
                **moved_audit_parts(s.planned.move, s.planned.before, s.planned.reason, recorded),
            )
            self.outbox.append(
                ("case.moved", WORKFLOW.payload(case, s.planned, actor=actor, data=s.data))
            )

        ending = b.steps[2:] if len(b.steps) > 2 else []
        for s in b.steps[: len(b.steps) - len(ending)]:
            step(s)
        if session is not None:
            self._record(
                case,
                EventType.RECORD_ADDED,
                {"record": "session", "id": session.pk, "held_at": session.held_at},
            )
        if agreement is not None:
            self._agreement_trail(b, agreement)
        for s in ending:
            step(s)
        if agreement is not None and case.performance != Performance.PENDING:
            self._record(
                case,
                EventType.PERFORMANCE_RECORDED,
                {"performance": case.performance, "note": IMPORT_NOTE},
                before={"performance": Performance.PENDING},
            )
            # As ``performance_record`` tells the watchers (statistics, workload, subsidies).
            self.outbox.append(
                (
                    "case.updated",
                    {"case_id": case.pk, "committee_id": case.committee_id, "what": "performance"},
                )
            )

    def _agreement_trail(self, b: Built, agreement: Agreement) -> None:
        number, day = agreement.number, agreement.effective_on
        written = agreement.kind == AgreementKind.WRITTEN
        in_effect = {
            "case_id": b.case.pk,
            "agreement_id": agreement.pk,
            "number": number,
            "effective_on": day,
        }
        self._record(
            b.case, EventType.AGREEMENT_DRAFTED, {"agreement": number, "kind": agreement.kind}
        )
        if not written:  # an oral agreement is in effect once drawn up
            self.outbox.append(("agreement.in_effect", in_effect))
            return
        signers = [f"party {party.pk}" for party in b.parties] + ["mediator", "seal"]
        for index, what in enumerate(signers, start=1):
            effective = day if index == len(signers) else None
            self._record(
                b.case,
                EventType.AGREEMENT_SIGNED,
                {"agreement": number, "signed": what, "effective_on": effective},
            )
        self.outbox.append(("agreement.in_effect", in_effect))

    def _record(
        self,
        case: Case,
        event: EventType,
        after: dict[str, Any],
        before: dict[str, Any] | None = None,
    ) -> None:
        self.trail.add(event, obj=case, before=before, after=after)
