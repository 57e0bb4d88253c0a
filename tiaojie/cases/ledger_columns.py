"""The columns of a historical case ledger (台账), the words accepted in them, and the template.

Headers are Chinese, as the bureaus' own ledgers have them; English aliases let a file exported
from another system be read too. Choice columns accept the words clerks actually write (调解成功,
不成功, 书面协议, 履行完毕, 派出所移送), the stored codes, and each label in every interface
language. Reading and checking the rows is ``cases.ledger_rows``, the template to fill in
``cases.ledger_template``, the import ``cases.ledger_import``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from tiaojie.cases.choices import AgreementKind, CaseSource, Performance
from tiaojie.cases.models import DisputeType
from tiaojie.core import spreadsheets


class LedgerResult(models.TextChoices):
    """调解结果 as a ledger records it: how the case ended, or that it is still in mediation."""

    SUCCESS = "success", gettext_lazy("Agreement reached")
    FAILED = "failed", gettext_lazy("Mediation failed")
    TERMINATED = "terminated", gettext_lazy("Mediation terminated")
    DECLINED = "declined", gettext_lazy("Not accepted")
    IN_MEDIATION = "in_mediation", gettext_lazy("Still in mediation")


class Parse(Enum):
    """How a column's cells are read."""

    TEXT = "text"
    DATE = "date"
    CHOICE = "choice"
    AMOUNT = "amount"
    COUNT = "count"


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    explanation: Promise
    aliases: tuple[str, ...] = ()
    required: bool = False
    parse: Parse = Parse.TEXT


# The first word of each entry is the one the template and the error messages show.
SOURCE_WORDS: dict[str, tuple[str, ...]] = {
    CaseSource.APPLICATION: ("当事人申请", "申请", "申请调解", "来访"),
    CaseSource.INITIATIVE: ("主动调解", "主动", "排查发现", "主动排查"),
    CaseSource.COURT: ("法院委托", "法院移送", "法院委派", "法院", "人民法院"),
    CaseSource.POLICE: ("公安移送", "派出所移送", "派出所", "公安"),
    CaseSource.PETITION: ("信访移送", "信访"),
    CaseSource.PROCURATORATE: ("检察院移送", "检察院"),
    CaseSource.OTHER_DEPARTMENT: ("其他部门移送", "部门移送", "其他部门"),
    CaseSource.GRID: ("网格员上报", "网格上报", "网格"),
    CaseSource.SCREENING: ("矛盾纠纷排查", "排查上报"),
    CaseSource.HOTLINE: ("12345热线", "12345", "热线"),
    CaseSource.ONLINE: ("网上申请", "网上", "线上", "在线申请"),
}
RESULT_WORDS: dict[str, tuple[str, ...]] = {
    LedgerResult.SUCCESS: ("成功", "调解成功", "达成协议"),
    LedgerResult.FAILED: ("不成功", "调解不成功", "调解不成", "未成功", "失败"),
    LedgerResult.TERMINATED: ("终止", "终止调解"),
    LedgerResult.DECLINED: ("不予受理", "不受理"),
    LedgerResult.IN_MEDIATION: ("调解中", "正在调解", "进行中"),
}
AGREEMENT_WORDS: dict[str, tuple[str, ...]] = {
    AgreementKind.WRITTEN: ("书面", "书面协议"),
    AgreementKind.ORAL: ("口头", "口头协议"),
}
PERFORMANCE_WORDS: dict[str, tuple[str, ...]] = {
    Performance.PERFORMED: ("已履行", "履行完毕", "已履行完毕", "全部履行"),
    Performance.PARTLY: ("部分履行", "部分"),
    Performance.NOT_PERFORMED: ("未履行", "不履行"),
    Performance.PENDING: ("未到期", "履行期未到", "未到履行期"),
}
CHOICES: dict[str, tuple[type[models.TextChoices], dict[str, tuple[str, ...]]]] = {
    "source": (CaseSource, SOURCE_WORDS),
    "result": (LedgerResult, RESULT_WORDS),
    "agreement_kind": (AgreementKind, AGREEMENT_WORDS),
    "performance": (Performance, PERFORMANCE_WORDS),
}

COLUMNS: tuple[Column, ...] = (
    Column(
        "registered_on",
        "登记日期",
        gettext_lazy(
            "Required. The day the dispute was registered, e.g. 2024-03-01, 2024/3/1 or "
            "2024年3月1日; not in the future. The case is numbered in that year's sequence."
        ),
        aliases=("registered on", "registration date", "登记时间", "日期"),
        required=True,
        parse=Parse.DATE,
    ),
    Column(
        "dispute_type",
        "纠纷类型",
        gettext_lazy(
            "Required. The name or code of a dispute type in use on the registration date: "
            "%(choices)s."
        ),
        aliases=("dispute type", "纠纷类别", "案件类型"),
        required=True,
    ),
    Column(
        "source",
        "案件来源",
        gettext_lazy("Required. One of: %(choices)s."),
        aliases=("source", "纠纷来源", "来源"),
        required=True,
        parse=Parse.CHOICE,
    ),
    Column(
        "summary",
        "纠纷简要情况",
        gettext_lazy("Required. The dispute in a sentence, at most 200 characters."),
        aliases=("summary", "简要情况", "纠纷概况", "案情简介", "纠纷事由"),
        required=True,
    ),
    Column(
        "applicant",
        "申请人",
        gettext_lazy(
            "Required. The applicant's name; several separated by 、, with their ID numbers and "
            "phones in the same order. A company or other body is recognised by its name "
            "(公司, 医院, 物业 …)."
        ),
        aliases=("applicant", "申请人姓名"),
        required=True,
    ),
    Column(
        "applicant_id",
        "申请人身份证号",
        gettext_lazy("Optional. An 18-character resident ID number (GB 11643)."),
        aliases=("applicant id number", "申请人身份证", "申请人身份证号码"),
    ),
    Column(
        "applicant_phone",
        "申请人电话",
        gettext_lazy("Optional. An 11-digit mobile number, or a landline with its area code."),
        aliases=("applicant phone", "申请人联系电话", "申请人联系方式"),
    ),
    Column(
        "respondent",
        "被申请人",
        gettext_lazy("Required. The respondent's name, as for the applicant."),
        aliases=("respondent", "被申请人姓名"),
        required=True,
    ),
    Column(
        "respondent_id",
        "被申请人身份证号",
        gettext_lazy("Optional. An 18-character resident ID number (GB 11643)."),
        aliases=("respondent id number", "被申请人身份证", "被申请人身份证号码"),
    ),
    Column(
        "respondent_phone",
        "被申请人电话",
        gettext_lazy("Optional. An 11-digit mobile number, or a landline with its area code."),
        aliases=("respondent phone", "被申请人联系电话", "被申请人联系方式"),
    ),
    Column(
        "people_involved",
        "涉及人数",
        gettext_lazy(
            "Optional. A whole number, at least the number of parties named; blank: the "
            "number of parties."
        ),
        aliases=("people involved", "人数", "涉及当事人数"),
        parse=Parse.COUNT,
    ),
    Column(
        "amount",
        "涉及金额(元)",
        gettext_lazy(
            "Optional. The amount in dispute in yuan: not negative, two decimals at most."
        ),
        aliases=("amount", "涉及金额", "金额", "标的额", "争议金额"),
        parse=Parse.AMOUNT,
    ),
    Column(
        "result",
        "调解结果",
        gettext_lazy("Required. One of: %(choices)s."),
        aliases=("result", "outcome", "结果", "调处结果"),
        required=True,
        parse=Parse.CHOICE,
    ),
    Column(
        "agreement_kind",
        "协议形式",
        gettext_lazy("Required when the result is 成功, blank otherwise. One of: %(choices)s."),
        aliases=("agreement kind", "agreement form", "协议类型", "调解协议形式"),
        parse=Parse.CHOICE,
    ),
    Column(
        "agreement_on",
        "协议日期",
        gettext_lazy(
            "Required when the result is 成功, blank otherwise: the day the agreement was "
            "reached and, if written, signed and sealed; not before the registration date."
        ),
        aliases=("agreement date", "agreement on", "协议签订日期", "达成协议日期"),
        parse=Parse.DATE,
    ),
    Column(
        "performance",
        "履行情况",
        gettext_lazy("Only when the result is 成功: one of %(choices)s; blank means not yet due."),
        aliases=("performance", "协议履行情况", "履行"),
        parse=Parse.CHOICE,
    ),
    Column(
        "closed_on",
        "结案日期",
        gettext_lazy(
            "Optional, for 不成功, 终止 and 不予受理: the day the case ended, not before the "
            "registration date; blank: the registration date. Leave blank for 成功 (the case "
            "ends on the agreement date) and 调解中."
        ),
        aliases=("closed on", "办结日期", "结束日期"),
        parse=Parse.DATE,
    ),
    Column(
        "mediators",
        "调解员",
        gettext_lazy(
            "Required unless the result is 不予受理. Full names of active mediators or the "
            "director of your committee, separated by 、; the first one presided."
        ),
        aliases=("mediators", "mediator", "承办调解员", "调解人员", "承办人"),
    ),
    Column(
        "notes",
        "备注",
        gettext_lazy(
            "Optional. Kept with the case's last step, e.g. why it was declined or ended."
        ),
        aliases=("notes", "note", "remarks", "说明"),
    ),
)
COLUMNS_BY_FIELD = {column.field: column for column in COLUMNS}


def dispute_type_names(day: dt.date | None = None) -> str:
    types = DisputeType.objects.valid_on(day or timezone.localdate())
    return " / ".join(t.name for t in types)


def explanation(column: Column) -> str:
    text = str(column.explanation)
    if column.parse is Parse.CHOICE:
        return text % {"choices": choice_names(column.field)}
    if column.field == "dispute_type":
        return text % {"choices": dispute_type_names()}
    return text


def explanation_markers() -> tuple[str, ...]:
    """How the template's row of explanations starts under 登记日期, in each language."""
    return tuple(spreadsheets.in_every_language(COLUMNS_BY_FIELD["registered_on"].explanation))


def header_lookup() -> dict[str, str]:
    return spreadsheets.header_lookup(COLUMNS)


def choice_lookup(field: str) -> dict[str, str]:
    return spreadsheets.choice_lookup(CHOICES, field)


def choice_names(field: str) -> str:
    return spreadsheets.choice_names(CHOICES, field)
