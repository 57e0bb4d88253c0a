"""A ledger with problems: nothing is written, and every problem names its row, its column as
the file writes it, and why."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tests import personas as p
from tiaojie.accounts.models import User
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.ledger_columns import COLUMNS
from tiaojie.cases.ledger_import import ledger_import
from tiaojie.cases.models import Case, CaseNumberCounter
from tiaojie.cases.tests.factories import WANG_ID
from tiaojie.cases.tests.ledger_files import HEADERS, mixed_rows, table, xlsx
from tiaojie.core.imports import ImportInvalid, RowError


@pytest.fixture
def director(db: None) -> User:
    return User.objects.get(username=p.DIRECTOR_A)


def problems(actor: User, cells: Sequence[Sequence[object]]) -> list[RowError]:
    with pytest.raises(ImportInvalid) as caught:
        ledger_import(actor=actor, file=io.BytesIO(xlsx(cells)), file_name="台账.xlsx")
    return caught.value.errors


def en(message: str, **values: object) -> str:
    with translation.override("en"):
        return _(message) % values if values else _(message)


def one_row(**cells: object) -> dict[str, object]:
    """A good row of last year (an oral agreement the same day), with ``cells`` changed."""
    day = f"{timezone.localdate().year - 1}-06-01"
    row: dict[str, object] = {
        "登记日期": day,
        "纠纷类型": "邻里",
        "案件来源": "当事人申请",
        "纠纷简要情况": "邻里纠纷",
        "申请人": "甲",
        "被申请人": "乙",
        "调解结果": "成功",
        "协议形式": "口头",
        "协议日期": day,
        "调解员": "李建国",
    }
    return {**row, **cells}


def test_one_bad_row_among_good_ones_writes_nothing_and_says_why(director: User) -> None:
    cases, counters = Case.objects.count(), CaseNumberCounter.objects.count()
    tomorrow = timezone.localdate().toordinal() + 1
    future = timezone.localdate().fromordinal(tomorrow).isoformat()
    bad = one_row(
        纠纷类型="宠物纠纷",
        申请人身份证号=WANG_ID[:-1] + ("0" if WANG_ID[-1] != "0" else "1"),
        协议日期="",
        调解员="张三",
        纠纷简要情况="坏行",
    )
    bad_date = one_row(登记日期=future, 纠纷简要情况="未来的纠纷")
    rows = mixed_rows()
    cells = table([*rows[:3], bad, *rows[3:], bad_date])
    cells[0][HEADERS.index("申请人身份证号")] = "申请人身份证号码"  # an alias, named as written
    with translation.override("en"):
        found = problems(director, cells)

    assert [(e.row, e.column) for e in found] == [
        (5, "纠纷类型"),
        (5, "申请人身份证号码"),
        (5, "协议日期"),
        (5, "调解员"),
        (10, "登记日期"),
    ]
    reasons = [e.reason for e in found]
    assert reasons[0].startswith("Unknown dispute type “宠物纠纷”; use one of: ")
    assert reasons[1] == en(
        "This ID number's check digit is wrong; please check it for a typing mistake."
    )
    assert reasons[2] == en("A successful mediation needs the agreement's date.")
    assert reasons[3] == en(
        "“%(name)s” is not an active mediator or director of %(committee)s.",
        name="张三",
        committee=p.COMMITTEE_A,
    )
    assert reasons[4] == en("The date cannot be in the future.")
    assert Case.objects.count() == cases
    assert CaseNumberCounter.objects.count() == counters
    assert not AuditEvent.objects.filter(event_type=EventType.CASES_IMPORTED).exists()


def test_the_api_key_of_each_problem_is_row_and_column(director: User) -> None:
    with pytest.raises(ImportInvalid) as caught:
        ledger_import(
            actor=director,
            rows=table([one_row(), one_row(纠纷类型="宠物", 纠纷简要情况="另一件")]),
            file_name="t.xlsx",
        )
    assert list(caught.value.fields) == ["3:纠纷类型"]
    assert caught.value.code == "import_invalid"


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        ({"调解结果": "撤诉"}, "调解结果", "Unknown value “%(value)s”; use one of: %(choices)s."),
        (
            {"协议形式": ""},
            "协议形式",
            "A successful mediation needs the agreement's form: %(choices)s.",
        ),
        (
            {"协议日期": "2001-02-30"},
            "协议日期",
            "Enter a real date such as 2024-03-01, 2024/3/1 or 2024年3月1日.",
        ),
        (
            {"协议日期": "1999-01-01"},
            "协议日期",
            "The agreement cannot come before the registration date.",
        ),
        (
            {"结案日期": "1999-01-01"},
            "结案日期",
            "A successful case ends on the agreement's date; leave this blank.",
        ),
        (
            {"调解结果": "不成功", "协议日期": ""},
            "协议形式",
            "Only a successful mediation has an agreement.",
        ),
        (
            {"调解结果": "调解中", "协议形式": "", "协议日期": "", "履行情况": "已履行"},
            "履行情况",
            "Only an agreement is performed; leave this blank.",
        ),
        (
            {"调解结果": "调解中", "协议形式": "", "协议日期": "", "结案日期": "2001-01-01"},
            "结案日期",
            "A case still in mediation has not ended; leave this blank.",
        ),
        (
            {"调解结果": "终止", "协议形式": "", "协议日期": "", "结案日期": "2001-01-01"},
            "结案日期",
            "A case cannot end before it was registered.",
        ),
        ({"调解员": ""}, "调解员", "Name the mediators who handled the case."),
        ({"申请人": ""}, "申请人", "This cell is required."),
        (
            {"申请人电话": "12345"},
            "申请人电话",
            "Enter an 11-digit mobile number, or a landline number with its area code (e.g. 027-88886666).",
        ),
        (
            {"申请人": "甲、丙", "申请人电话": "13812345678"},
            "申请人电话",
            "Give one value per name, in the same order: %(names)s names, %(values)s here.",
        ),
        ({"涉及人数": "1"}, "涉及人数", "At least as many as the parties named (%(count)s)."),
        ({"涉及人数": "两人"}, "涉及人数", "Enter a whole number of people, e.g. 3."),
        ({"涉及金额(元)": "-5"}, "涉及金额(元)", "The amount cannot be negative."),
        ({"涉及金额(元)": "12.345"}, "涉及金额(元)", "An amount has at most two decimal places."),
        (
            {"涉及金额(元)": "三千"},
            "涉及金额(元)",
            "Enter an amount in yuan, e.g. 3000 or 1860.50.",
        ),
        ({"纠纷简要情况": "纠" * 201}, "纠纷简要情况", "At most %(max)s characters."),
        (
            {"登记日期": "2010-06-01", "协议日期": "2010-06-01"},
            "纠纷类型",
            "The dispute type “%(value)s” was not in use on %(day)s.",
        ),
        (
            {"申请人身份证号": "42010220300101123X"},
            "申请人身份证号",
            "Digits 7 to 14 of an ID number must be a real date of birth.",
        ),
    ],
)
def test_each_rule_names_its_column(
    director: User, cells: dict[str, object], column: str, reason: str
) -> None:
    with translation.override("en"):
        found = problems(director, table([one_row(**cells)]))
    assert [(e.row, e.column) for e in found] == [(2, column)]
    # The reason's fixed words (placeholders vary): compare the text before the first one.
    assert found[0].reason.startswith(en(reason).split("%(")[0])


def test_a_date_of_birth_after_registration_is_a_typo(director: User) -> None:
    with translation.override("en"):
        found = problems(director, table([one_row(登记日期="1979-01-01", 申请人身份证号=WANG_ID)]))
    assert (
        "申请人身份证号",
        en("The date of birth in this ID number is after the registration date."),
    ) in [(e.column, e.reason) for e in found]


def test_a_missing_column_is_named_before_any_row_is_read(director: User) -> None:
    headers = [h for h in HEADERS if h not in ("调解结果", "纠纷类型")]
    with translation.override("en"):
        found = problems(director, table([one_row()], headers))
    assert [(e.row, e.column, e.reason) for e in found] == [
        (1, "纠纷类型", en("This column is missing.")),
        (1, "调解结果", en("This column is missing.")),
    ]


def test_titles_above_the_headers_extra_columns_and_slashes_are_tolerated(director: User) -> None:
    headers = ["序号", *HEADERS]
    cells = table([{"序号": 1, **one_row(履行情况="/", 备注="—")}], headers)
    created = ledger_import(
        actor=director,
        rows=[["东湖社区人民调解委员会 人民调解案件登记台账"], [], *cells],
        file_name="t.xlsx",
    )
    assert len(created) == 1


def test_an_empty_file_and_one_without_rows_are_refused(director: User) -> None:
    with translation.override("en"):
        assert [e.reason for e in problems(director, [])] == [en("The file is empty.")]
        assert [e.reason for e in problems(director, [HEADERS])] == [
            en("The file has no data rows under its headers.")
        ]


def test_every_column_has_a_header_and_an_explanation() -> None:
    assert len({c.header for c in COLUMNS}) == len(COLUMNS) == 19
