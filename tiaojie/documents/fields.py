"""The fields each document's template may use: the contract between the renderer, the
built-in templates and the DOCX templates a bureau uploads. ``docs/documents.md`` lists them
(``manage.py document_fields --write``); a test checks the renderer provides exactly these."""

from __future__ import annotations

from dataclasses import dataclass

from tiaojie.documents.kinds import OFFICIAL_TITLES, Kind


@dataclass(frozen=True)
class Field:
    """A value, a group of values (``children``), or a list of them (``many``)."""

    name: str
    meaning: str
    children: tuple[Field, ...] = ()
    many: bool = False


def F(name: str, meaning: str, *children: Field, many: bool = False) -> Field:  # noqa: N802
    return Field(name, meaning, children, many)


PARTY = (
    F("role", "身份：申请人、被申请人或第三人"),
    F("kind", "自然人，或法人或其他组织"),
    F("name", "姓名或名称"),
    F("gender", "性别"),
    F("ethnicity", "民族"),
    F("age", "年龄（周岁，按登记日期计算）"),
    F("birth_date", "出生日期"),
    F("occupation", "职业或职务"),
    F("id_number", "公民身份号码（申请书、协议书、司法确认申请书之外的文书中隐去中间位）"),
    F("phone", "联系方式（同上，其他文书中隐去中间位）"),
    F("address", "单位或住址（同上，其他文书中只留到区县）"),
    F("credit_code", "统一社会信用代码（单位）"),
    F("legal_representative", "法定代表人或负责人（单位）"),
    F("agent_name", "代理人"),
    F("agent_authority", "代理权限"),
)

COMMON = (
    F("committee", "人民调解委员会", F("name", "名称")),
    F(
        "case",
        "案件",
        F("number", "案件编号（卷号），如（2026）东湖社区人调字第1号"),
        F("title", "卷名：当事人与纠纷类型"),
        F("dispute_type", "纠纷类型，如邻里纠纷"),
        F("source", "案件来源"),
        F("referral_body", "委托移送单位"),
        F("summary", "纠纷简要情况（一句话）"),
        F("narrative", "纠纷简要情况（详述）"),
        F("requests", "申请事项（原文）"),
        F("request_items", "申请事项，逐项", many=True),
        F("amount", "争议金额，如3000.00元"),
        F("registered_on", "登记日期"),
        F("accepted_on", "受理日期"),
        F("closed_on", "结案日期"),
        F("mediators", "人民调解员，顿号分隔"),
        F("presiding_mediator", "主持调解的人民调解员"),
        F("registered_by", "登记人"),
        F("party_names", "全部当事人姓名，顿号分隔"),
    ),
    F("parties", "全部当事人（字段同下）", *PARTY, many=True),
    F("applicants", "申请人", *PARTY, many=True),
    F("respondents", "被申请人", *PARTY, many=True),
    F("third_parties", "第三人", *PARTY, many=True),
    F("document", "本文书", F("title", "文书名称"), F("generated_on", "生成日期")),
)

FILE = F(
    "file",
    "卷宗",
    F("mediation_from", "调解日期（起）"),
    F("mediation_to", "调解日期（止）"),
    F("filed_by", "立卷人"),
    F("filed_on", "立卷日期"),
    F("retention", "保管期限"),
    F("documents", "卷内文书件数（仅在整卷中）"),
    F("pages", "卷内文书页数（仅在整卷中）"),
)
DECISION = F(
    "decision",
    "决定",
    F("reason", "理由"),
    F("detail", "补充说明"),
    F("basis", "依据"),
    F("routes", "告知的其他解决途径"),
    F("date", "日期"),
)
AGREEMENT = F(
    "agreement",
    "调解协议",
    F("number", "协议编号"),
    F("facts", "纠纷主要事实、争议事项及各方责任"),
    F("content", "协议内容"),
    F("performance_manner", "履行方式"),
    F("performance_place", "履行地点"),
    F("performance_deadline", "履行期限"),
    F("formed_on", "达成日期"),
    F("effective_on", "生效日期"),
    F("copies", "份数（当事人人数加一），中文数字"),
    F("mediator", "人民调解员"),
    F("recorder", "记录人"),
)

# An agreement signed on the phone (tiaojie.public): the drawn signatures, the mediator's
# electronic signature and the committee's seal are printed; on paper they stay empty lines.
SIGNED_AGREEMENT = F(
    "agreement",
    "调解协议",
    *AGREEMENT.children,
    F("online", "是否在手机上签署（是则印出手写签名、电子签名与电子印章）"),
    F("mediator_signed_on", "人民调解员签名日期"),
    F("sealed_on", "加盖人民调解委员会印章日期"),
)
DRAWN = F(
    "parties",
    "全部当事人（协议书另含手机签名）",
    F("drawn", "在手机上手写的签名（PNG 图片的 data: 地址；未在手机上签署则为空）"),
    F("drawn_on", "手机签名日期"),
    many=True,
)

EXTRA: dict[Kind, tuple[Field, ...]] = {
    Kind.COVER: (FILE,),
    Kind.CONTENTS: (
        F(
            "rows",
            "目录行",
            F("number", "序号"),
            F("title", "文书名称"),
            F("pages", "页号"),
            F("note", "备注"),
            many=True,
        ),
    ),
    Kind.APPLICATION: (F("consent", "自愿申请调解的声明"),),
    Kind.REGISTRATION: (
        F(
            "registration",
            "受理登记",
            F("date", "受理（登记）日期"),
            F("applied", "来源①当事人申请：☑ 或 □"),
            F("initiative", "来源②主动调解：☑ 或 □"),
            F("referred", "来源③接受委托移送：☑ 或 □"),
            F("registrar", "登记人"),
        ),
    ),
    Kind.RIGHTS_NOTICE: (
        F("notice", "告知", F("paragraphs", "告知书正文，逐段", many=True), F("date", "告知日期")),
    ),
    Kind.DECLINE_NOTICE: (DECISION,),
    Kind.TERMINATION_NOTICE: (DECISION,),
    Kind.INVESTIGATION: (
        F(
            "record",
            "调查记录",
            F("held_at", "时间"),
            F("place", "地点"),
            F("interviewee", "被调查人"),
            F("investigators", "调查人"),
            F("recorder", "记录人"),
            F("content", "调查内容（问答）"),
        ),
    ),
    Kind.MEDIATION_RECORD: (
        F(
            "record",
            "调解记录",
            F("held_at", "时间"),
            F("date", "日期"),
            F("place", "地点"),
            F("matter", "事由"),
            F("parties_present", "到场当事人"),
            F("participants", "参加人（邀请参加调解的人员）"),
            F("mediators", "人民调解员"),
            F("recorder", "记录人"),
            F("content", "调解情况"),
        ),
    ),
    Kind.AGREEMENT: (SIGNED_AGREEMENT, DRAWN),
    Kind.ORAL_AGREEMENT: (SIGNED_AGREEMENT, DRAWN),
    Kind.FOLLOW_UP: (
        F(
            "record",
            "回访记录",
            F("visited_on", "回访日期"),
            F("method", "回访方式"),
            F("party_visited", "回访对象"),
            F("agreement_number", "调解协议编号"),
            F("reason", "回访事由"),
            F("performance", "履行情况"),
            F("satisfaction", "当事人满意度"),
            F("escalation", "有无激化迹象"),
            F("notes", "回访情况及采取的措施"),
            F("visitor", "回访人"),
        ),
    ),
    Kind.CONFIRMATION_APPLICATION: (
        AGREEMENT,
        F(
            "confirmation",
            "司法确认",
            F("court", "受理法院"),
            F("applied_on", "申请日期"),
            F("promises", "申请人的承诺，逐条", many=True),
        ),
    ),
    Kind.BACK_COVER: (FILE,),
}


def fields_of(kind: Kind) -> tuple[Field, ...]:
    return COMMON + EXTRA[kind]


def paths(fields: tuple[Field, ...], prefix: str = "") -> list[str]:
    """Every name a template may use, dotted, a list's items as ``name[]``: ``case``,
    ``case.number``, ``parties``, ``parties[]``, ``parties[].name``."""
    found: list[str] = []
    for field in fields:
        path = f"{prefix}{field.name}"
        found.append(path)
        inner = f"{path}[]" if field.many else path
        if field.many:
            found.append(inner)
        found += paths(field.children, inner + ".")
    return found


def allowed(kind: Kind) -> frozenset[str]:
    return frozenset(paths(fields_of(kind)))


def _rows(fields: tuple[Field, ...], prefix: str = "") -> list[str]:
    rows = []
    for field in fields:
        path = f"{prefix}{field.name}" + ("[]" if field.many else "")
        if not field.children:
            rows.append(f"| `{path}` | {field.meaning} |")
        rows += _rows(field.children, path + ".")
    return rows


BEGIN = "<!-- generated: manage.py document_fields -->"
END = "<!-- end generated -->"


def markdown() -> str:
    """The field list as it appears in docs/documents.md, between the generated markers."""
    out = [BEGIN, "", "### 所有文书通用", "", "| field | 含义 |", "|---|---|", *_rows(COMMON), ""]
    for kind in Kind:
        out += [f"### {OFFICIAL_TITLES[kind]} `{kind.value}`", ""]
        if EXTRA[kind]:
            out += ["| field | 含义 |", "|---|---|", *_rows(EXTRA[kind])]
        out.append("")
    return "\n".join([*out, END])
