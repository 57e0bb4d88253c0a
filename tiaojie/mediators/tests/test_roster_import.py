"""Importing and exporting the roster: all rows or none, errors by row, column and reason in
Chinese, one person across committees, grades from the ladder, formula text kept as text."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from conftest import World
from tiaojie.core.imports import ImportInvalid
from tiaojie.mediators import roster_import
from tiaojie.mediators.models import Mediator, Membership
from tiaojie.mediators.services import ladder_set
from tiaojie.mediators.tests.helpers import id_number, register

Clients = Callable[[str], Client]
A = "东湖社区人民调解委员会"
B = "梨园社区人民调解委员会"
HEADERS = [
    "序号",
    "姓名",
    "身份证号",
    "所在调委会",
    "职务",
    "专兼职",
    "人员来源",
    "等级",
    "持证上岗",
    "证书编号",
]


def _xlsx(rows: list[list[object]], title: bool = True) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if title:
        sheet.append(["东湖街道人民调解员名册"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _run(world: World, username: str, rows: list[list[object]]) -> roster_import.Result:
    return roster_import.roster_import(
        actor=world.user(username), file=_xlsx(rows), file_name="名册.xlsx"
    )


def test_a_roster_imports_with_one_person_in_two_committees(world: World) -> None:
    ladder_set(actor=world.user("demo_district"), names=["初级", "中级", "高级"])
    result = _run(
        world,
        "demo_street",
        [
            [1, "王秀兰", id_number(11), A, "主任", "专职", "退休法官", "高级", "是", "TJ-01"],
            [2, "刘德华", id_number(12), B, "调解员", "兼职", "五老", "初级", "否", ""],
            [3, "王秀兰", id_number(11), B, "首席调解员", "专职", "退休法官", "", "", ""],
        ],
    )
    assert (result.people, result.memberships) == (2, 3)
    wang = Mediator.objects.get(name="王秀兰")
    assert wang.grade is not None and wang.grade.name == "高级" and wang.certified
    assert sorted(Membership.objects.filter(mediator=wang).values_list("role", flat=True)) == [
        "chief",
        "director",
    ]


def test_nothing_is_written_unless_every_row_is_valid(world: World) -> None:
    ladder_set(actor=world.user("demo_district"), names=["初级"])
    bad_check = id_number(13)[:-1] + ("1" if id_number(13)[-1] != "1" else "2")
    with pytest.raises(ImportInvalid) as refused:
        _run(
            world,
            "demo_street",
            [
                [1, "王秀兰", id_number(11), A, "主任", "专职", "", "", "", ""],
                [2, "刘德华", bad_check, B, "", "兼职", "", "", "", ""],
                [3, "张三", id_number(14), "不存在调委会", "", "专职", "", "特级", "", ""],
                [4, "李四", id_number(15), A, "", "半职", "", "", "是", ""],
            ],
        )
    messages = [str(e) for e in refused.value.errors]
    assert not Mediator.objects.exists()
    # Row numbers as the spreadsheet shows them (a title line, then the headers on row 2).
    assert any(m.startswith("第 4 行") and "身份证号" in m and "校验码" in m for m in messages)
    assert any(m.startswith("第 5 行") and "所在调委会" in m for m in messages)
    assert any(m.startswith("第 6 行") and "专兼职" in m and "半职" in m for m in messages)
    assert any(m.startswith("第 6 行") and "证书编号" in m for m in messages)


def test_a_grade_not_on_the_ladder_is_refused_by_row(world: World) -> None:
    ladder_set(actor=world.user("demo_district"), names=["初级", "中级"])
    with pytest.raises(ImportInvalid) as refused:
        _run(
            world,
            "demo_director",
            [[1, "王秀兰", id_number(11), A, "", "专职", "", "特级", "", ""]],
        )
    (error,) = refused.value.errors
    assert (error.row, error.column) == (3, "等级") and "初级" in error.reason


def test_a_person_already_registered_is_refused(world: World) -> None:
    register(world.user("demo_director"), serial=11)
    with pytest.raises(ImportInvalid) as refused:
        _run(world, "demo_director", [[1, "王秀兰", id_number(11), A, "", "专职", "", "", "", ""]])
    assert refused.value.errors[0].column == "身份证号"
    assert Mediator.objects.count() == 1


def test_a_committee_outside_the_importers_organisation_is_refused(world: World) -> None:
    with pytest.raises(ImportInvalid) as refused:
        _run(world, "demo_director", [[1, "王秀兰", id_number(11), B, "", "专职", "", "", "", ""]])
    assert refused.value.errors[0].column == "所在调委会"


def test_the_export_masks_and_neutralises_formulas(world: World, client_as: Clients) -> None:
    register(world.user("demo_director"), serial=11, name="=HYPERLINK(1)", certificate_number="@x")
    response = client_as("demo_director").get(reverse("mediators:roster_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    header, row = (list(r) for r in sheet.iter_rows(values_only=True))
    assert header[:3] == ["姓名", "身份证号", "所在调委会"]
    assert row[0] == "=HYPERLINK(1)" and sheet["A2"].data_type == "s"
    assert row[1] == "420***********" + id_number(11)[-4:]


def test_a_full_export_imports_again(world: World, client_as: Clients) -> None:
    register(world.user("demo_director"), serial=11)
    exported = client_as("demo_director").get(reverse("mediators:roster_export"), {"full": "1"})
    Mediator.objects.all().delete()
    result = roster_import.roster_import(
        actor=world.user("demo_director"), file=io.BytesIO(exported.content), file_name="r.xlsx"
    )
    assert result.people == 1 and Mediator.objects.get().id_number == id_number(11)


def test_the_import_page_lists_every_error(world: World, client_as: Clients) -> None:
    upload = _xlsx([[1, "", "", A, "", "专职", "", "", "", ""]])
    upload.name = "名册.xlsx"
    page = client_as("demo_director").post(reverse("mediators:roster_import"), {"file": upload})
    text = page.content.decode()
    assert page.status_code == 200 and "第 3 行" in text and "姓名" in text
    assert not Mediator.objects.exists()
