"""Reading a historical case ledger into rows, and the checks that need no database.

Errors point at the cell to fix as the user sees it: the row number the spreadsheet shows and
the column header as written in the file (``core.imports.RowError``). Reading never
stops at the first bad cell: every problem is collected, so one round of corrections is enough.
The checks against the database (dispute types, mediators, cases already registered) are in
``cases.ledger_import``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.cases import ledger_columns as columns
from tiaojie.cases.choices import PartyKind, PartyRole, Performance
from tiaojie.cases.ledger_columns import LedgerResult, Parse
from tiaojie.cases.services.intake import PartyData, clean_party
from tiaojie.core.imports import ImportInvalid, Row, RowError, cell_text
from tiaojie.organisations.import_columns import normalise

if TYPE_CHECKING:
    from tiaojie.accounts.models import User
    from tiaojie.cases.models import DisputeType

# A ledger is one committee's cases of some years: a city's whole year is 6–10k.
MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 10
SUMMARY_LENGTH = 200
NAME_LENGTH = 120
LARGEST_AMOUNT = Decimal("1e12")  # the column keeps 14 digits, 2 after the point
FEN = Decimal("0.01")
# What ledgers write in a cell that does not apply.
_NOT_APPLICABLE = frozenset({"/", "-", "—", "——", "无", "n/a", "na"})
_LIST = re.compile(r"[、，,；;/\n]+")
_NAMES = re.compile(r"[、，,；;/\s]+")
_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_COUNT = re.compile(r"^(\d+)\s*人?$")
# A party whose name holds one of these (and who has no ID number) is an organisation.
_BODY_WORDS: tuple[str, ...] = ("公司", "集团", "医院", "学校", "银行", "委员会", "合作社")
_BODY_WORDS += ("工厂", "酒店", "超市", "商店", "中心", "物业", "幼儿园", "事务所", "有限")

_Fail = Callable[[str, str], None]


@dataclass
class LedgerRow:
    """One data row as read; ``bad`` holds the fields whose cells could not be read."""

    line: int
    registered_on: dt.date | None = None
    dispute_type_text: str = ""
    source: str = ""
    summary: str = ""
    applicants: list[PartyData] = field(default_factory=list)
    respondents: list[PartyData] = field(default_factory=list)
    people_involved: int = 0
    amount: Decimal | None = None
    result: str = ""
    agreement_kind: str = ""
    agreement_on: dt.date | None = None
    performance: str = Performance.PENDING
    closed_on: dt.date | None = None
    mediator_names: list[str] = field(default_factory=list)
    notes: str = ""
    bad: set[str] = field(default_factory=set)
    # Filled in by the database checks.
    dispute_type: DisputeType | None = None
    mediators: list[User] = field(default_factory=list)

    @property
    def parties(self) -> list[PartyData]:
        return [*self.applicants, *self.respondents]

    @property
    def ended_on(self) -> dt.date | None:
        """The day the case ended: the agreement's, the ledger's closing date, or registration."""
        if self.result == LedgerResult.IN_MEDIATION:
            return None
        if self.result == LedgerResult.SUCCESS:
            return self.agreement_on
        return self.closed_on or self.registered_on


@dataclass
class ParsedLedger:
    """The rows of a file, the problems found, and where its columns are."""

    rows: list[LedgerRow]
    errors: list[RowError]
    headers: dict[str, str]  # field → header as written in the file
    positions: dict[str, int]

    def column(self, field_name: str) -> str:
        """The header to name in an error; the template's header if the file lacks it."""
        return self.headers.get(field_name) or columns.COLUMNS_BY_FIELD[field_name].header

    def error(self, line: int, field_name: str, reason: str) -> RowError:
        return RowError(line, self.column(field_name), reason)

    def sort_key(self, error: RowError) -> tuple[int, int]:
        order = [c.field for c in columns.COLUMNS]
        by_header = {self.column(f): i for i, f in enumerate(order)}
        return (error.row or 0, by_header.get(error.column, len(order)))


def file_error(reason: str) -> ImportInvalid:
    return ImportInvalid([RowError(None, "", reason)])


def parse_ledger(table: Iterable[Row]) -> ParsedLedger:
    """Find the header row, map its columns, and read every non-empty row after it."""
    numbered = enumerate(table, start=1)
    sheet = _map_headers(*_find_header(numbered))
    lookups = {name: columns.choice_lookup(name) for name in columns.CHOICES}
    markers = columns.explanation_markers()
    for line, cells in numbered:
        values = {f: cells[i] if i < len(cells) else None for f, i in sheet.positions.items()}
        texts = {f: cell_text(v) for f, v in values.items()}
        if not any(texts.values()) or texts.get("registered_on", "").startswith(markers):
            continue
        if len(sheet.rows) == MAX_ROWS:
            raise file_error(
                _("The file has more than %(max)s rows; split it into several files.")
                % {"max": f"{MAX_ROWS:,}"}
            )
        texts = {f: "" if t.lower() in _NOT_APPLICABLE else t for f, t in texts.items()}
        sheet.rows.append(_parse_row(sheet, line, values, texts, lookups))
    if not sheet.rows:
        raise file_error(_("The file has no data rows under its headers."))
    return sheet


def _find_header(numbered: Iterator[tuple[int, Row]]) -> tuple[int, Row]:
    lookup = columns.header_lookup()
    first: tuple[int, Row] | None = None
    for seen, (line, cells) in enumerate(numbered):
        texts = [cell_text(c) for c in cells]
        if any(texts):
            first = first or (line, cells)
            if sum(normalise(t) in lookup for t in texts) >= 2:
                return line, cells
        if seen >= HEADER_SEARCH_ROWS:
            break
    if first is None:
        raise file_error(_("The file is empty."))
    return first


def _map_headers(line: int, cells: Row) -> ParsedLedger:
    lookup = columns.header_lookup()
    sheet = ParsedLedger(rows=[], errors=[], headers={}, positions={})
    errors: list[RowError] = []
    for index, cell in enumerate(cells):
        header = cell_text(cell)
        name = lookup.get(normalise(header)) if header else None
        if name is None:
            continue  # a column of the bureau's own (序号, 地址 …): ignored
        if name in sheet.headers:
            reason = _("This column repeats the column %(first)s.") % {"first": sheet.headers[name]}
            errors.append(RowError(line, header, reason))
            continue
        sheet.headers[name] = header
        sheet.positions[name] = index
    for column in columns.COLUMNS:
        if column.required and column.field not in sheet.headers:
            errors.append(RowError(line, column.header, _("This column is missing.")))
    if errors:
        raise ImportInvalid(errors)
    return sheet


def _parse_row(
    sheet: ParsedLedger,
    line: int,
    values: dict[str, object],
    texts: dict[str, str],
    lookups: dict[str, dict[str, str]],
) -> LedgerRow:
    row = LedgerRow(line)

    def fail(field_name: str, reason: str) -> None:
        row.bad.add(field_name)
        sheet.errors.append(sheet.error(line, field_name, reason))

    def text(name: str) -> str:
        return texts.get(name, "")

    for column in columns.COLUMNS:
        name = column.field
        if column.required and not text(name):
            fail(name, _("This cell is required."))
        elif column.parse is Parse.DATE:
            setattr(row, name, _date(name, values.get(name), text(name), fail))
        elif column.parse is Parse.CHOICE and text(name):
            setattr(row, name, _choice(name, text(name), lookups[name], fail))
    row.dispute_type_text = text("dispute_type")
    row.summary = text("summary")
    if len(row.summary) > SUMMARY_LENGTH:
        fail("summary", _("At most %(max)s characters.") % {"max": SUMMARY_LENGTH})
    row.applicants = _parties(row, "applicant", PartyRole.APPLICANT, texts, fail)
    row.respondents = _parties(row, "respondent", PartyRole.RESPONDENT, texts, fail)
    row.people_involved = _people(text("people_involved"), len(row.parties), fail)
    row.amount = _amount(values.get("amount"), text("amount"), fail)
    row.mediator_names = [n for n in dict.fromkeys(_NAMES.split(text("mediators"))) if n]
    row.notes = text("notes")
    _check_result(row, fail)
    return row


def _choice(name: str, text: str, lookup: dict[str, str], fail: _Fail) -> str:
    code = lookup.get(normalise(text))
    if code is None:
        fail(
            name,
            _("Unknown value “%(value)s”; use one of: %(choices)s.")
            % {"value": text, "choices": columns.choice_names(name)},
        )
        return ""
    return code


def _date(name: str, value: object, text: str, fail: _Fail) -> dt.date | None:
    day: dt.date | None = None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif text:
        match = _DATE.match(text) or _COMPACT_DATE.match(text)
        try:
            day = dt.date(*(int(part) for part in match.groups())) if match else None
        except ValueError:
            day = None
        if day is None:
            fail(name, _("Enter a real date such as 2024-03-01, 2024/3/1 or 2024年3月1日."))
            return None
    if day is not None and day > timezone.localdate():
        fail(name, _("The date cannot be in the future."))
        return None
    return day


def _split(text: str, *, keep_blanks: bool = False) -> list[str]:
    """Parts of a cell holding a list; ``keep_blanks``: "号码1、" is a number and a blank."""
    parts = [part.strip() for part in _LIST.split(text)] if text.strip() else []
    return parts if keep_blanks else [part for part in parts if part]


def _parties(
    row: LedgerRow, side: str, role: str, texts: dict[str, str], fail: _Fail
) -> list[PartyData]:
    """The parties on one side: names, with ID numbers and phones given in the same order."""
    names = _split(texts.get(side, ""))
    lists: dict[str, list[str]] = {}
    for suffix in ("id", "phone"):
        column = f"{side}_{suffix}"
        values = _split(texts.get(column, ""), keep_blanks=True)
        if values and len(values) != len(names):
            fail(
                column,
                _("Give one value per name, in the same order: %(names)s names, %(values)s here.")
                % {"names": len(names), "values": len(values)},
            )
            values = []
        lists[suffix] = values
    # clean_party names its fields; the ledger has a name, an ID number and a phone column.
    column_of = {"phone": f"{side}_phone", "id_number": f"{side}_id", "birth_date": f"{side}_id"}
    column_of["gender"] = f"{side}_id"
    parties: list[PartyData] = []
    for index, name in enumerate(names):
        id_number = lists["id"][index] if lists["id"] else ""
        body = not id_number and any(word in name for word in _BODY_WORDS)
        data = PartyData(
            role=role,
            name=name,
            kind=PartyKind.ORGANISATION if body else PartyKind.PERSON,
            id_number=id_number,
            phone=lists["phone"][index] if lists["phone"] else "",
        )
        if len(name) > NAME_LENGTH:
            fail(side, _("At most %(max)s characters.") % {"max": NAME_LENGTH})
        clean, errors = clean_party(data)
        for key, messages in errors.items():
            for message in messages:
                fail(column_of.get(key, side), f"{name}: {message}" if len(names) > 1 else message)
        born = clean.birth_date
        if born and row.registered_on and born > row.registered_on and not errors:
            reason = _("The date of birth in this ID number is after the registration date.")
            fail(f"{side}_id", f"{name}: {reason}" if len(names) > 1 else reason)
        parties.append(clean)
    return parties


def _people(text: str, parties: int, fail: _Fail) -> int:
    if not text:
        return max(parties, 1)
    match = _COUNT.match(unicodedata.normalize("NFKC", text))
    if match is None:
        fail("people_involved", _("Enter a whole number of people, e.g. 3."))
        return max(parties, 1)
    count = int(match[1])
    if count < max(parties, 1):
        fail(
            "people_involved",
            _("At least as many as the parties named (%(count)s).") % {"count": max(parties, 1)},
        )
    return count


def _amount(value: object, text: str, fail: _Fail) -> Decimal | None:
    if not text:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        raw = str(value)
    else:
        raw = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "")
        raw = raw.removeprefix("¥").removeprefix("￥").removesuffix("元")
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        fail("amount", _("Enter an amount in yuan, e.g. 3000 or 1860.50."))
        return None
    if amount < 0:
        fail("amount", _("The amount cannot be negative."))
    elif amount >= LARGEST_AMOUNT:
        fail("amount", _("The amount is too large."))
    elif amount != amount.quantize(FEN):
        fail("amount", _("An amount has at most two decimal places."))
    else:
        return amount.quantize(FEN)
    return None


def _check_result(row: LedgerRow, fail: _Fail) -> None:
    """The outcome must agree with the other columns: only a successful mediation has an
    agreement, its date and its performance; every case that was accepted names mediators."""
    result = row.result
    if not result:
        return
    if result == LedgerResult.SUCCESS:
        if not row.agreement_kind and "agreement_kind" not in row.bad:
            fail(
                "agreement_kind",
                _("A successful mediation needs the agreement's form: %(choices)s.")
                % {"choices": columns.choice_names("agreement_kind")},
            )
        if row.agreement_on is None:
            if "agreement_on" not in row.bad:
                fail("agreement_on", _("A successful mediation needs the agreement's date."))
        elif row.registered_on and row.agreement_on < row.registered_on:
            fail("agreement_on", _("The agreement cannot come before the registration date."))
        if row.closed_on and row.agreement_on and row.closed_on != row.agreement_on:
            fail(
                "closed_on",
                _("A successful case ends on the agreement's date; leave this blank."),
            )
    else:
        if row.agreement_kind:
            fail("agreement_kind", _("Only a successful mediation has an agreement."))
        if row.agreement_on:
            fail("agreement_on", _("Only a successful mediation has an agreement."))
        if row.performance != Performance.PENDING:
            fail("performance", _("Only an agreement is performed; leave this blank."))
        if result == LedgerResult.IN_MEDIATION and row.closed_on:
            fail("closed_on", _("A case still in mediation has not ended; leave this blank."))
        elif row.closed_on and row.registered_on and row.closed_on < row.registered_on:
            fail("closed_on", _("A case cannot end before it was registered."))
    if result != LedgerResult.DECLINED and not row.mediator_names:
        fail("mediators", _("Name the mediators who handled the case."))


def sorted_rows(rows: list[LedgerRow]) -> list[LedgerRow]:
    """The order to register in: by date, then as in the file, so numbers follow the dates."""
    return sorted(rows, key=lambda r: (r.registered_on or dt.date.min, r.line))
