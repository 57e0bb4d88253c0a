"""Importing a roster: every row read and checked, then all written in one transaction or
nothing. Reading files is the organisation-tree import's (``organisations.imports``: size and
row limits, XLSX or CSV, UTF-8 or GB18030), headers and choice words are
``core.spreadsheets``'; errors name the row as the spreadsheet shows it, the column header as
written, and the reason, in Chinese.

Rows with the same ID number are one person serving in several committees: the first row
gives the person, each further row a membership (the public directories list such a person
once per committee). A person already in the registry is refused: add the committee on their
page instead."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.models import DisputeType
from tiaojie.core import bulk
from tiaojie.core.imports import ImportInvalid, Row, RowError, cell_text, read_table
from tiaojie.core.spreadsheets import normalise
from tiaojie.core.validators import normalise_id_number
from tiaojie.mediators import roster_columns as columns
from tiaojie.mediators import selectors, services
from tiaojie.mediators.choices import MembershipRole
from tiaojie.mediators.models import Membership

if TYPE_CHECKING:
    from tiaojie.accounts.models import User
    from tiaojie.mediators.models import Grade, Mediator
    from tiaojie.organisations.models import Organisation

MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 10
_LIST = re.compile(r"[、，,；;/\s]+")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


@dataclass
class RosterRow:
    line: int
    data: services.MediatorData
    committee: Organisation | None = None
    role: str = MembershipRole.MEMBER
    grade: Grade | None = None


@dataclass(frozen=True)
class Ready:
    """A checked row, ready to write."""

    data: services.MediatorData
    committee: Organisation
    role: str
    grade: Grade | None


@dataclass
class Result:
    people: int
    memberships: int
    mediators: list[Mediator] = field(default_factory=list)


def _find_header(numbered: Iterable[tuple[int, Row]]) -> tuple[int, dict[str, int], dict[str, str]]:
    lookup = columns.header_lookup()
    for seen, (line, cells) in enumerate(numbered):
        texts = [cell_text(c) for c in cells]
        if sum(normalise(t) in lookup for t in texts if t) >= 2:
            positions: dict[str, int] = {}
            headers: dict[str, str] = {}
            errors: list[RowError] = []
            for index, text in enumerate(texts):
                name = lookup.get(normalise(text)) if text else None
                if name is None:
                    continue
                if name in positions:
                    errors.append(
                        RowError(
                            line,
                            text,
                            _("This column repeats the column %(first)s.")
                            % {"first": headers[name]},
                        )
                    )
                    continue
                positions[name], headers[name] = index, text
            for column in columns.COLUMNS:
                if column.required and column.field not in positions:
                    errors.append(RowError(line, column.header, _("This column is missing.")))
            if errors:
                raise ImportInvalid(errors)
            return line, positions, headers
        if seen >= HEADER_SEARCH_ROWS:
            break
    raise ImportInvalid([RowError(None, "", _("The file has no header row of a roster."))])


class _Checker:
    """Reads and checks the rows; collects every problem."""

    def __init__(self, actor: User, headers: dict[str, str]) -> None:
        self.actor = actor
        self.headers = headers
        self.errors: list[RowError] = []
        self.lookups = {name: columns.choice_lookup(name) for name in columns.CHOICES}
        self.committees: dict[str, list[Organisation]] = {}
        for committee in selectors.committees_in_scope(actor):
            for name in {committee.name, committee.short_name}:
                if name:
                    self.committees.setdefault(normalise(name), []).append(committee)
        self.ladders: dict[int, list[Grade]] = {}
        self.types = {
            normalise(key): t
            for t in DisputeType.objects.filter(valid_to__isnull=True)
            for key in (t.name, t.code)
        }

    def ladder_for(self, committee: Organisation) -> list[Grade]:
        """The committee's ladder, read once per committee, not once per row."""
        if committee.pk not in self.ladders:
            self.ladders[committee.pk] = selectors.ladder_for(committee)
        return self.ladders[committee.pk]

    def fail(self, line: int, name: str, reason: str) -> None:
        header = self.headers.get(name) or columns.COLUMNS_BY_FIELD[name].header
        self.errors.append(RowError(line, header, reason))

    def choice(self, line: int, name: str, text: str) -> str:
        if not text:
            return ""
        code = self.lookups[name].get(normalise(text))
        if code is None:
            self.fail(
                line,
                name,
                _("Unknown value “%(value)s”; use one of: %(choices)s.")
                % {"value": text, "choices": columns.choice_names(name)},
            )
            return ""
        return code

    def date(self, line: int, name: str, value: object, text: str) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if not text:
            return None
        match = _DATE.match(text)
        if match:
            try:
                return dt.date(*(int(p) for p in match.groups()))
            except ValueError:
                pass
        self.fail(line, name, _("Enter a date such as 2020-03-01, 2020/3/1 or 2020年3月1日."))
        return None

    def row(self, line: int, values: dict[str, object]) -> RosterRow:
        t = {name: cell_text(v) for name, v in values.items()}
        certified_text = normalise(t.get("certified", ""))
        certified = certified_text in {normalise(w) for w in columns.YES_WORDS}
        if not certified and certified_text not in {normalise(w) for w in columns.NO_WORDS}:
            self.fail(line, "certified", _("Write 是 or 否."))
        expertise: list[DisputeType] = []
        for word in _LIST.split(t.get("expertise", "")):
            if not word:
                continue
            found = self.types.get(normalise(word))
            if found is None:
                self.fail(
                    line, "expertise", _("Unknown dispute type “%(value)s”.") % {"value": word}
                )
            elif found not in expertise:
                expertise.append(found)
        data = services.MediatorData(
            name=t.get("name", ""),
            id_number=t.get("id_number", ""),
            employment=self.choice(line, "employment", t.get("employment", "")),
            phone=t.get("phone", ""),
            address=t.get("address", ""),
            source=self.choice(line, "source", t.get("source", "")) or "other",
            education=self.choice(line, "education", t.get("education", "")),
            political_status=self.choice(line, "political_status", t.get("political_status", "")),
            certificate_number=t.get("certificate_number", ""),
            certified=certified,
            expertise=expertise,
            joined_on=self.date(line, "joined_on", values.get("joined_on"), t.get("joined_on", "")),
        )
        row = RosterRow(line, data, role=self.choice(line, "role", t.get("role", "")) or "member")
        committee_text = t.get("committee", "")
        matches = self.committees.get(normalise(committee_text), []) if committee_text else []
        if not committee_text:
            self.fail(line, "committee", _("Give the committee's name."))
        elif not matches:
            self.fail(
                line,
                "committee",
                _("No committee “%(value)s” within your organisation.") % {"value": committee_text},
            )
        elif len(matches) > 1:
            self.fail(
                line, "committee", _("Several committees have this name: give the full name.")
            )
        else:
            row.committee = matches[0]
        grade_text = t.get("grade", "")
        if grade_text and row.committee is not None:
            ladder = {normalise(g.name): g for g in self.ladder_for(row.committee)}
            row.grade = ladder.get(normalise(grade_text))
            if row.grade is None:
                names = "、".join(g.name for g in ladder.values()) or _("none")
                self.fail(
                    line,
                    "grade",
                    _("“%(value)s” is not on the bureau's grade ladder (its grades: %(names)s).")
                    % {"value": grade_text, "names": names},
                )
            else:
                row.data.grade_id = row.grade.pk
        return row


def check(actor: User, table: Iterable[Row]) -> list[Ready]:
    """Every row read and checked; ``ImportInvalid`` lists every problem found."""
    services.require_manage(actor)
    numbered = iter(enumerate(table, start=1))
    _line, positions, headers = _find_header(numbered)
    checker = _Checker(actor, headers)
    rows: list[RosterRow] = []
    for line, cells in numbered:
        values = {f: cells[i] if i < len(cells) else None for f, i in positions.items()}
        if not any(cell_text(v) for v in values.values()):
            continue
        if len(rows) == MAX_ROWS:
            raise ImportInvalid(
                [
                    RowError(
                        None,
                        "",
                        _("The file has more than %(max)s rows; split it into several files.")
                        % {"max": f"{MAX_ROWS:,}"},
                    )
                ]
            )
        rows.append(checker.row(line, values))
    if not rows:
        raise ImportInvalid([RowError(None, "", _("The file has no data rows under its headers."))])
    registered = services.find_people(row.data.id_number for row in rows)
    first_of: dict[str, RosterRow] = {}
    for row in rows:
        if row.committee is None:
            continue
        if normalise_id_number(row.data.id_number) in first_of:
            # A further committee of a person of an earlier row: that row gives the person.
            cleaned, errors = services.clean(row.data)
        else:
            cleaned, _grade, errors = services.validate_for_register(
                actor,
                row.data,
                row.committee,
                ladder_of=checker.ladder_for,
                registered=registered,
            )
        row.data = cleaned
        for name, reasons in errors.items():
            target = name if name in columns.COLUMNS_BY_FIELD else "name"
            for reason in reasons:
                checker.fail(row.line, target, reason)
        if errors:
            continue
        first = first_of.setdefault(cleaned.id_number, row)
        if first is not row and first.committee == row.committee:
            checker.fail(
                row.line,
                "committee",
                _("Row %(row)s already puts this person in this committee.") % {"row": first.line},
            )
    if checker.errors:
        order = [c.field for c in columns.COLUMNS]
        by_header = {
            checker.headers.get(f, columns.COLUMNS_BY_FIELD[f].header): i
            for i, f in enumerate(order)
        }
        raise ImportInvalid(
            sorted(checker.errors, key=lambda e: (e.row or 0, by_header.get(e.column, len(order))))
        )
    return [Ready(r.data, r.committee, r.role, r.grade) for r in rows if r.committee]


def roster_import(*, actor: User, file: IO[bytes], file_name: str) -> Result:
    """Import a roster file: all rows or none."""
    rows = check(actor, read_table(file, file_name, max_rows=MAX_ROWS))
    result = Result(people=0, memberships=0)
    with transaction.atomic():
        # The first row of a person registers them; each further row adds a committee.
        firsts: dict[str, Ready] = {}
        for row in rows:
            firsts.setdefault(row.data.id_number, row)
        people = dict(
            zip(
                firsts,
                services.write_many(
                    actor,
                    [
                        services.NewMediator(r.data, r.grade, r.committee, r.role)
                        for r in firsts.values()
                    ],
                ),
                strict=True,
            )
        )
        bulk.insert(
            Membership,
            [
                Membership(
                    mediator=people[row.data.id_number],
                    committee=row.committee,
                    role=row.role,
                    since=people[row.data.id_number].joined_on,
                )
                for row in rows
                if firsts[row.data.id_number] is not row
            ],
        )
        result.mediators = list(people.values())
        result.people = len(people)
        result.memberships = len(rows)
        audit.record(
            EventType.ROSTER_IMPORTED,
            actor=actor,
            after={"file": file_name, "people": result.people, "memberships": result.memberships},
        )
    return result
