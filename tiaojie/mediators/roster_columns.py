"""The columns of the roster spreadsheet (import, template and export alike), with the words
bureaus write in them (专职/兼职, 退休法官 …). Headers are matched as the shared spreadsheet
reader does (``core.spreadsheets``): whatever the width, spacing or language."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from tiaojie.core import spreadsheets
from tiaojie.mediators.choices import (
    Education,
    Employment,
    MembershipRole,
    PoliticalStatus,
    Source,
)


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    explanation: Promise
    aliases: tuple[str, ...] = ()
    required: bool = False
    choice: bool = False


EMPLOYMENT_WORDS: dict[str, tuple[str, ...]] = {
    Employment.FULL_TIME: ("专职", "专职调解员", "全职"),
    Employment.PART_TIME: ("兼职", "兼职调解员"),
}
SOURCE_WORDS: dict[str, tuple[str, ...]] = {
    Source.RETIRED_JUDGE: ("退休法官", "法官"),
    Source.RETIRED_PROSECUTOR: ("退休检察官", "检察官"),
    Source.RETIRED_POLICE: ("退休警察", "退休民警", "民警"),
    Source.LAWYER: ("律师",),
    Source.TEACHER: ("教师", "退休教师"),
    Source.DEPUTY: ("两代表一委员", "人大代表", "党代表", "政协委员"),
    Source.ELDER: ("五老", "老干部", "老党员", "老模范", "老教师", "老军人"),
    Source.OTHER: ("其他",),
}
EDUCATION_WORDS: dict[str, tuple[str, ...]] = {
    Education.POSTGRADUATE: ("研究生", "硕士", "博士"),
    Education.BACHELOR: ("本科", "大学本科"),
    Education.COLLEGE: ("大专", "专科"),
    Education.HIGH_SCHOOL: ("高中", "中专", "高中或中专"),
    Education.BELOW: ("初中及以下", "初中", "小学"),
}
POLITICAL_WORDS: dict[str, tuple[str, ...]] = {
    PoliticalStatus.PARTY_MEMBER: ("中共党员", "党员", "中共预备党员"),
    PoliticalStatus.LEAGUE_MEMBER: ("共青团员", "团员"),
    PoliticalStatus.DEMOCRATIC_PARTY: ("民主党派",),
    PoliticalStatus.MASSES: ("群众",),
}
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    MembershipRole.DIRECTOR: ("主任", "调委会主任"),
    MembershipRole.DEPUTY: ("副主任",),
    MembershipRole.CHIEF: ("首席调解员", "首席"),
    MembershipRole.MEMBER: ("委员", "调解员", "成员"),
}
YES_WORDS = ("是", "持证", "已持证", "yes", "y", "1", "√")
NO_WORDS = ("否", "未持证", "no", "n", "0", "")

CHOICES: dict[str, tuple[type[models.TextChoices], dict[str, tuple[str, ...]]]] = {
    "employment": (Employment, EMPLOYMENT_WORDS),
    "source": (Source, SOURCE_WORDS),
    "education": (Education, EDUCATION_WORDS),
    "political_status": (PoliticalStatus, POLITICAL_WORDS),
    "role": (MembershipRole, ROLE_WORDS),
}

_ = gettext_lazy
COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", _("Required. The mediator's full name."), ("name",), required=True),
    Column(
        "id_number",
        "身份证号",
        _("Required. 18 characters; checked with its check digit. One person, one record."),
        ("id number", "身份证号码", "公民身份号码"),
        required=True,
    ),
    Column(
        "committee",
        "所在调委会",
        _(
            "Required. The committee's full name, within your organisation. The same person in "
            "a second committee: a second row with the same ID number."
        ),
        ("committee", "调委会", "所在调解委员会", "人民调解委员会"),
        required=True,
    ),
    Column("role", "职务", _("Optional. One of: %(choices)s."), ("role",), choice=True),
    Column(
        "employment",
        "专兼职",
        _("Required. One of: %(choices)s."),
        ("employment", "专职兼职", "专兼职情况"),
        required=True,
        choice=True,
    ),
    Column("source", "人员来源", _("Optional. One of: %(choices)s."), ("source",), choice=True),
    Column("education", "学历", _("Optional. One of: %(choices)s."), ("education",), choice=True),
    Column(
        "political_status",
        "政治面貌",
        _("Optional. One of: %(choices)s."),
        ("political status",),
        choice=True,
    ),
    Column("phone", "联系电话", _("Optional. A mobile or landline number."), ("phone", "电话")),
    Column("address", "住址", _("Optional."), ("address", "家庭住址")),
    Column(
        "certificate_number",
        "证书编号",
        _("Optional; required when 持证上岗 is 是."),
        ("certificate number", "调解员证书编号", "证书号"),
    ),
    Column("certified", "持证上岗", _("Optional. 是 or 否."), ("certified",)),
    Column(
        "grade",
        "等级",
        _("Optional. A grade on your bureau's grade ladder."),
        ("grade", "调解员等级"),
    ),
    Column(
        "expertise",
        "擅长纠纷类型",
        _("Optional. Dispute types by name or code, separated by 、."),
        ("expertise", "擅长领域", "专长"),
    ),
    Column(
        "joined_on",
        "聘任日期",
        _("Optional. e.g. 2020-03-01; blank: today."),
        ("joined on", "入职日期", "任职日期"),
    ),
)
COLUMNS_BY_FIELD = {column.field: column for column in COLUMNS}


def header_lookup() -> dict[str, str]:
    return spreadsheets.header_lookup(COLUMNS)


def choice_lookup(field: str) -> dict[str, str]:
    return spreadsheets.choice_lookup(CHOICES, field)


def choice_names(field: str) -> str:
    return spreadsheets.choice_names(CHOICES, field)


def explanation(column: Column) -> str:
    text = str(column.explanation)
    return text % {"choices": choice_names(column.field)} if column.choice else text
