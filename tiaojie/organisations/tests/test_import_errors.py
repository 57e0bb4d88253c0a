"""A bad import: every problem named by row, column and reason, and nothing written."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from tiaojie.accounts.models import User
from tiaojie.audit.models import AuditEvent
from tiaojie.core.imports import ImportInvalid, RowError
from tiaojie.organisations.choices import OrganisationKind
from tiaojie.organisations.import_columns import CHOICES, choice_names, normalise
from tiaojie.organisations.import_services import organisation_tree_import
from tiaojie.organisations.models import Organisation
from tiaojie.organisations.tests.import_files import GOOD_ROWS, NEXT_ROW, table


@pytest.fixture
def admin(db: None) -> User:
    return User.objects.get(username="demo_sysadmin")


@pytest.fixture
def anchor(db: None) -> Organisation:
    return Organisation.objects.get(name="东湖区司法局")


def errors_of(
    rows: Sequence[Sequence[object]], anchor: Organisation, actor: User
) -> list[RowError]:
    before = (Organisation.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ImportInvalid) as caught:
        organisation_tree_import(actor=actor, anchor=anchor, rows=rows, file_name="bad.xlsx")
    assert (Organisation.objects.count(), AuditEvent.objects.count()) == before
    return caught.value.errors


def _bad(row: dict[str, object]) -> list[dict[str, object]]:
    return [*GOOD_ROWS, row]


def _kind(kind: str) -> str:
    return str(OrganisationKind(kind).label)


BAD_ROWS: list[tuple[str, list[dict[str, object]], Any]] = [
    (
        "unknown kind",
        _bad({"编号": "X1", "名称": "某某司法厅", "类型": "司法厅"}),
        lambda: [
            (
                NEXT_ROW,
                "类型",
                _("Unknown value “%(value)s”; use one of: %(choices)s.")
                % {"value": "司法厅", "choices": choice_names("kind")},
            )
        ],
    ),
    (
        "parent not found",
        _bad({"编号": "X1", "上级编号": "C9", "名称": "第二网格", "类型": "网格"}),
        lambda: [(NEXT_ROW, "上级编号", _("No row has the ref %(ref)s.") % {"ref": "C9"})],
    ),
    (
        "duplicate ref",
        _bad({"编号": "S1", "名称": "另一街道司法所", "类型": "司法所"}),
        lambda: [
            (
                NEXT_ROW,
                "编号",
                _("The ref %(ref)s is already used in row %(row)s.") % {"ref": "S1", "row": 3},
            )
        ],
    ),
    (
        "committee without committee kind",
        _bad({"编号": "X1", "上级编号": "S1", "名称": "某调委会", "类型": "调委会"}),
        lambda: [(NEXT_ROW, "调委会类型", _("Choose the kind of committee."))],
    ),
    (
        "grid under a justice office",
        _bad({"编号": "X1", "上级编号": "S1", "名称": "第二网格", "类型": "网格"}),
        lambda: [
            (
                NEXT_ROW,
                "上级编号",
                _("A %(kind)s cannot sit under a %(parent)s.")
                % {"kind": _kind("grid"), "parent": _kind("justice_office")},
            )
        ],
    ),
    (
        "bad division code",
        _bad({"编号": "X1", "名称": "某司法所", "类型": "司法所", "区划代码": "99010"}),
        lambda: [
            (
                NEXT_ROW,
                "区划代码",
                _("A division code has 6 digits (GB/T 2260), or 9 or 12 with the extension."),
            )
        ],
    ),
    (
        "division code outside the parent's area",
        _bad({"编号": "X1", "名称": "某司法所", "类型": "司法所", "区划代码": "990105009"}),
        lambda: [
            (
                NEXT_ROW,
                "区划代码",
                _("The code %(code)s does not lie within the parent's area %(parent)s.")
                % {"code": "990105009", "parent": "990102"},
            )
        ],
    ),
    (
        "a cycle of parents",
        [
            *GOOD_ROWS,
            {
                "编号": "Y1",
                "上级编号": "Y2",
                "名称": "甲调委会",
                "类型": "调委会",
                "调委会类型": "企业",
            },
            {"编号": "Y2", "上级编号": "Y1", "名称": "乙司法所", "类型": "司法所"},
        ],
        lambda: [
            (
                line,
                "上级编号",
                _("Rows %(rows)s are each other's parents in a loop.")
                % {"rows": f"{NEXT_ROW}, {NEXT_ROW + 1}"},
            )
            for line in (NEXT_ROW, NEXT_ROW + 1)
        ],
    ),
    (
        "own parent",
        _bad({"编号": "X1", "上级编号": "X1", "名称": "某司法所", "类型": "司法所"}),
        lambda: [(NEXT_ROW, "上级编号", _("A row cannot be its own parent."))],
    ),
    (
        "name taken by an existing child of the anchor",
        _bad({"编号": "X1", "名称": "东湖街道司法所", "类型": "司法所"}),
        lambda: [(NEXT_ROW, "名称", _("An organisation with this name already exists here."))],
    ),
    (
        "two siblings with one name",
        _bad({"编号": "X1", "上级编号": "C1", "名称": "第一网格", "类型": "网格"}),
        lambda: [
            (
                NEXT_ROW,
                "名称",
                _("Row %(row)s has the same name under the same parent.") % {"row": 2},
            )
        ],
    ),
    (
        "missing ref and name",
        _bad({"类型": "司法所"}),
        lambda: [
            (NEXT_ROW, "编号", _("Give this row a ref, unique in the file.")),
            (NEXT_ROW, "名称", _("Enter the organisation's name.")),
        ],
    ),
    (
        "a date that does not exist",
        _bad({"编号": "X1", "名称": "某司法所", "类型": "司法所", "成立日期": "2021-02-30"}),
        lambda: [
            (NEXT_ROW, "成立日期", _("Enter a date such as 2020-03-01, 2020/3/1 or 2020年3月1日."))
        ],
    ),
]


@pytest.mark.parametrize(
    ("rows", "expected"), [c[1:] for c in BAD_ROWS], ids=[c[0] for c in BAD_ROWS]
)
def test_one_bad_row_among_good_ones_writes_nothing_and_names_row_column_reason(
    admin: User, anchor: Organisation, rows: list[dict[str, object]], expected: Any
) -> None:
    errors = errors_of(table(rows), anchor, admin)
    assert [(e.row, e.column, e.reason) for e in errors] == expected()


def test_an_unknown_kind_does_not_also_complain_about_its_children(
    admin: User, anchor: Organisation
) -> None:
    rows = table(
        [
            {"编号": "S1", "名称": "新湖司法所", "类型": "司法厅"},
            {
                "编号": "C1",
                "上级编号": "S1",
                "名称": "某调委会",
                "类型": "调委会",
                "调委会类型": "村",
            },
        ]
    )
    errors = errors_of(rows, anchor, admin)
    assert [(e.row, e.column) for e in errors] == [(2, "类型")]


def test_every_error_in_the_file_is_reported_in_row_order(
    admin: User, anchor: Organisation
) -> None:
    rows = table(
        [
            {"编号": "A", "上级编号": "B", "名称": "第二网格", "类型": "网格", "成立日期": "去年"},
            {"编号": "B", "名称": "某调委会", "类型": "调委会", "调委会类型": "居委会"},
            {"编号": "C", "上级编号": "Z", "名称": "", "类型": "网格"},
        ]
    )
    errors = errors_of(rows, anchor, admin)
    assert [(e.row, e.column) for e in errors] == [
        (2, "成立日期"),
        (3, "调委会类型"),
        (4, "上级编号"),
        (4, "名称"),
    ]
    assert str(errors[0]) == _("Row %(row)s, %(column)s: %(reason)s") % {
        "row": 2,
        "column": "成立日期",
        "reason": errors[0].reason,
    }


def test_headers_are_named_as_written_in_the_file(admin: User, anchor: Organisation) -> None:
    rows = [["ref", "Name", "TYPE"], ["x", "某机构", "司法厅"]]
    errors = errors_of(rows, anchor, admin)
    assert [(e.row, e.column) for e in errors] == [(2, "TYPE")]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], [(None, "", "The file is empty.")]),
        (
            [["编号", "名称", "类型"], [], [None, ""]],
            [(None, "", "The file has no data rows under its headers.")],
        ),
        ([["编号", "名称", "上级编号"], ["S1", "x", ""]], [(1, "类型", "This column is missing.")]),
        (
            [["编号", "名称", "类型", "名称"], ["S1", "x", "司法所", "y"]],
            [(1, "名称", "This column repeats the column %(first)s.")],
        ),
    ],
    ids=["empty", "headers only", "missing column", "repeated column"],
)
def test_files_without_usable_rows_are_refused(
    admin: User,
    anchor: Organisation,
    rows: list[list[object]],
    expected: list[tuple[Any, str, str]],
) -> None:
    errors = errors_of(rows, anchor, admin)
    assert [(e.row, e.column, e.reason) for e in errors] == [
        (row, column, _(reason) % {"first": "名称"} if "%(" in reason else _(reason))
        for row, column, reason in expected
    ]


def test_too_many_rows_are_refused_with_a_clear_message(
    admin: User, anchor: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tiaojie.organisations.imports.MAX_ROWS", 3)
    rows = table([{"编号": f"G{i}", "名称": f"网格{i}", "类型": "网格"} for i in range(4)])
    errors = errors_of(rows, anchor, admin)
    assert errors == [
        RowError(
            None,
            "",
            _("The file has more than %(max)s rows; split it into several files.") % {"max": "3"},
        )
    ]


def test_unreadable_files_are_refused(admin: User, anchor: Organisation) -> None:
    with pytest.raises(ImportInvalid) as caught:
        organisation_tree_import(
            actor=admin,
            anchor=anchor,
            file=io.BytesIO(b"PK\x03\x04 not really a workbook"),
            file_name="tree.xlsx",
        )
    assert caught.value.errors[0].reason == _("The file is not a readable XLSX workbook.")
    assert caught.value.fields == {"__all__": [_("The file is not a readable XLSX workbook.")]}


def test_no_accepted_word_means_two_different_values() -> None:
    for field, (enum, names) in CHOICES.items():
        meanings: dict[str, set[str]] = {}
        words = [(code, str(code)) for code in enum.values]
        words += [(str(code), word) for code, aliases in names.items() for word in aliases]
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                words += [(code, str(enum(code).label)) for code in enum.values]
        for code, word in words:
            meanings.setdefault(normalise(word), set()).add(code)
        clashes = {word: codes for word, codes in meanings.items() if len(codes) > 1}
        assert clashes == {}, field
