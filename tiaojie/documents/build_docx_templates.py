"""Build the built-in DOCX templates in ``docx_templates/`` with python-docx.

Run once after changing a layout, and commit the output with this script, so that a template
is reviewed here as code:

    .venv/bin/python -m tiaojie.documents.build_docx_templates

Fields are docxtpl's Jinja syntax (``{{ case.number }}``, ``{%p for p in parties %}``); the
names a template may use are listed in ``fields.py`` and docs/documents.md. A bureau may start
from one of these files to make its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from docx.document import Document as DocxDocument

from tiaojie.documents.docx_layout import DATE_BLANK, date_of, new, para, parties, seal, table

OUT = Path(__file__).resolve().parent / "docx_templates"


# --- The kinds -------------------------------------------------------------------------------


def cover() -> DocxDocument:
    d = new(None, numbered=False)
    for _ in range(4):
        para(d, "")
    para(d, "{{ committee.name }}", align="centre", bold=True)
    para(d, "调　解　卷　宗", align="centre", bold=True)
    for _ in range(4):
        para(d, "")
    for label, value in (
        ("卷　　名", "{{ case.title }}"),
        ("卷　　号", "{{ case.number }}"),
        ("人民调解员", "{{ case.mediators }}"),
        ("调解日期", f"{date_of('file.mediation_from')} 至 {date_of('file.mediation_to')}"),
        ("立 卷 人", "{{ file.filed_by }}"),
        ("立卷日期", date_of("file.filed_on")),
        ("保管期限", "{{ file.retention }}"),
        ("备　　注", ""),
    ):
        para(d, f"{label}：{value}")
    return d


def application() -> DocxDocument:
    d = new("人民调解申请书")
    para(d, "编号：{{ case.number }}", align="right")
    parties(d, "applicants", "申请人")
    parties(d, "respondents", "被申请人")
    parties(d, "third_parties", "第三人")
    para(d, "{%p if not third_parties %}")
    para(d, "第三人：无。")
    para(d, "{%p endif %}")
    para(d, "纠纷简要情况：", bold=True)
    para(d, "{{ case.narrative }}", indent=True)
    para(d, "申请事项：", bold=True)
    para(d, "{%p for item in case.request_items %}")
    para(d, "{{ loop.index }}. {{ item }}", indent=True)
    para(d, "{%p endfor %}")
    para(d, "{{ consent }}", indent=True)
    para(d, "申请人（签名或盖章、按指印）：＿＿＿＿＿＿", align="right")
    para(d, date_of("case.registered_on"), align="right")
    return d


# Every party, third parties included, one line each (as in the PDF's 当事人 row).
PARTY_LINES = (
    "{% for p in parties %}{{ p.role }}：{{ p.name }}"
    "{% if p.credit_code %}，统一社会信用代码{{ p.credit_code }}{% endif %}"
    "{% if p.id_number %}，身份证号码{{ p.id_number }}{% endif %}"
    "{% if p.phone %}，联系方式{{ p.phone }}{% endif %}"
    "{% if not loop.last %}\n{% endif %}{% endfor %}"
)


def registration() -> DocxDocument:
    d = new("人民调解受理登记表")
    para(d, "编号：{{ case.number }}", align="right")
    names = "{% for p in applicants %}{{ p.name }}{% if not loop.last %}、{% endif %}{% endfor %}"
    others = "{% for p in respondents %}{{ p.name }}{% if not loop.last %}、{% endif %}{% endfor %}"
    table(
        d,
        [
            [
                f"{date_of('registration.date')}，本人民调解委员会经当事人同意，"
                f"调解{names}、{others}之间的纠纷。",
                "",
            ],
            ["纠纷类型", "{{ case.dispute_type }}"],
            [
                "案件来源",
                "{{ registration.applied }}①当事人申请　{{ registration.initiative }}②主动调解　"
                "{{ registration.referred }}③接受委托移送 {{ case.referral_body }}",
            ],
            ["当事人", PARTY_LINES],
            ["纠纷简要情况", "{{ case.narrative }}"],
            ["当事人（签名或盖章、按指印）", ""],
            ["登记人（签名）", "{{ registration.registrar }}"],
        ],
        [36, 126],
    )
    seal(d, date_of("registration.date"))
    return d


def rights_notice() -> DocxDocument:
    d = new("人民调解当事人权利义务告知书")
    para(d, "{{ case.number }}", align="right")
    para(d, "{{ case.party_names }}：")
    para(d, "{%p for paragraph in notice.paragraphs %}")
    para(d, "{{ paragraph }}", indent=True)
    para(d, "{%p endfor %}")
    para(d, "{%p for p in parties %}")
    para(d, "{{ p.role }}（签名）：＿＿＿＿＿＿　{{ p.name }}")
    para(d, "{%p endfor %}")
    para(d, "告知人（人民调解员）：＿＿＿＿＿＿")
    seal(d, date_of("notice.date"))
    return d


def _decision(title: str, opening: str) -> Callable[[], DocxDocument]:
    def build() -> DocxDocument:
        d = new(title)
        para(d, "{{ case.number }}", align="right")
        para(d, "{{ case.party_names }}：")
        para(d, opening, indent=True)
        para(d, "{{ decision.routes }}", indent=True)
        para(d, "特此告知。", indent=True)
        seal(d, date_of("decision.date"))
        para(d, "当事人签收：＿＿＿＿＿＿　　签收日期：" + DATE_BLANK)
        return d

    return build


DETAIL = "{% if decision.detail %}（{{ decision.detail }}）{% endif %}"
decline_notice = _decision(
    "不予受理告知书",
    "你（们）于{{ case.registered_on }}申请调解的{{ case.dispute_type }}，经审查，"
    f"{{{{ decision.reason }}}}{DETAIL}。根据{{{{ decision.basis }}}}，本人民调解委员会决定不予受理。",
)
termination_notice = _decision(
    "终止调解告知书",
    "你们之间的{{ case.dispute_type }}，本人民调解委员会于{{ case.accepted_on }}受理并进行了调解。"
    f"因{{{{ decision.reason }}}}{DETAIL}，根据{{{{ decision.basis }}}}的规定，"
    "本人民调解委员会决定终止调解。",
)


def investigation() -> DocxDocument:
    d = new("人民调解调查记录")
    para(d, "{{ case.number }}", align="right")
    table(
        d,
        [
            ["时间", "{{ record.held_at }}", "地点", "{{ record.place }}"],
            ["被调查人", "{{ record.interviewee }}", "", ""],
            ["调查人", "{{ record.investigators }}", "记录人", "{{ record.recorder }}"],
            ["事由", "{{ case.summary }}", "", ""],
            ["调查内容：\n{{ record.content }}", "", "", ""],
        ],
        [26, 55, 26, 55],
    )
    para(d, "以上记录已经被调查人阅读（或向被调查人宣读），与所述一致。", indent=True)
    para(d, "被调查人（签名）：＿＿＿＿＿＿")
    para(d, "调查人（签名）：＿＿＿＿＿＿　　记录人（签名）：＿＿＿＿＿＿")
    return d


def mediation_record() -> DocxDocument:
    d = new("人民调解记录")
    para(d, "{{ case.number }}", align="right")
    table(
        d,
        [
            ["时间", "{{ record.held_at }}", "地点", "{{ record.place }}"],
            ["事由", "{{ record.matter }}", "", ""],
            ["当事人", "{{ record.parties_present }}", "", ""],
            ["参加人", "{{ record.participants or '无' }}", "", ""],
            ["人民调解员", "{{ record.mediators }}", "记录人", "{{ record.recorder }}"],
            ["调解情况：\n{{ record.content }}", "", "", ""],
        ],
        [26, 55, 26, 55],
    )
    para(d, "以上记录已向当事人宣读（或经当事人阅读），确认无误。", indent=True)
    para(d, "当事人（签名）：＿＿＿＿＿＿　　参加人（签名）：＿＿＿＿＿＿")
    para(d, "人民调解员（签名）：＿＿＿＿＿＿　　记录人（签名）：＿＿＿＿＿＿")
    seal(d, date_of("record.date"))
    return d


def agreement() -> DocxDocument:
    d = new("人民调解协议书")
    para(d, "编号：{{ agreement.number }}", align="right")
    parties(d, "parties", "{{ p.role }}")
    para(d, "纠纷主要事实、争议事项及各方责任：", bold=True)
    para(d, "{{ agreement.facts }}", indent=True)
    para(d, "经本人民调解委员会调解，双方当事人自愿达成如下协议：", bold=True)
    para(d, "{{ agreement.content }}", indent=True)
    para(d, "履行方式、地点、期限：", bold=True)
    para(
        d,
        "履行方式：{{ agreement.performance_manner }}；履行地点：{{ agreement.performance_place }}；"
        "履行期限：{{ agreement.performance_deadline }}前履行完毕。",
        indent=True,
    )
    para(
        d,
        "本协议自各方当事人签名（盖章）并按指印、人民调解员签名并加盖人民调解委员会印章之日起生效。",
        indent=True,
    )
    para(
        d,
        "本协议一式{{ agreement.copies }}份，当事人各执一份，人民调解委员会留存一份。",
        indent=True,
    )
    # Each party on a line of its own, then who signs: an organisation through its legal
    # representative, with its seal (盖章); a person, and an agent, sign and press a
    # fingerprint (捺印).
    para(d, "{%p for p in parties %}")
    para(d, "{{ p.role }}：{{ p.name }}")
    para(d, '{%p if p.kind == "法人或其他组织" %}')
    para(d, "法定代表人或负责人（签名）：＿＿＿＿＿＿　　（盖章）")
    para(d, "{%p else %}")
    para(d, "签名：＿＿＿＿＿＿　　捺印：")
    para(d, "{%p endif %}")
    para(d, "{%p if p.agent_name %}")
    para(
        d,
        '委托代理人（签名）：＿＿＿＿＿＿{% if p.kind != "法人或其他组织" %}　　捺印：{% endif %}',
    )
    para(d, "{%p endif %}")
    para(d, "{%p endfor %}")
    para(d, "人民调解员（签名）：＿＿＿＿＿＿　　记录人（签名）：＿＿＿＿＿＿")
    para(d, "（人民调解委员会印）", align="right")
    para(d, "{{ agreement.formed_on }}", align="right")
    return d


def oral_agreement() -> DocxDocument:
    d = new("口头调解协议登记表")
    para(d, "编号：{{ agreement.number }}", align="right")
    table(
        d,
        [
            [
                "当事人",
                "{% for p in parties %}{{ p.role }}：{{ p.name }}，{{ p.gender }}，{{ p.age }}岁，"
                "身份证号码：{{ p.id_number }}；{% endfor %}",
            ],
            ["纠纷简要事实", "{{ agreement.facts }}"],
            ["口头协议内容", "{{ agreement.content }}"],
            [
                "履行方式、期限",
                "{{ agreement.performance_manner }}；{{ agreement.performance_deadline }}前履行完毕",
            ],
            ["达成日期", "{{ agreement.formed_on }}"],
            ["登记人民调解员", "{{ agreement.mediator }}"],
        ],
        [36, 126],
    )
    seal(d, date_of("agreement.formed_on"))
    return d


def follow_up() -> DocxDocument:
    d = new("人民调解回访记录")
    para(d, "{{ case.number }}", align="right")
    table(
        d,
        [
            ["回访对象", "{{ record.party_visited }}", "回访方式", "{{ record.method }}"],
            ["调解协议编号", "{{ record.agreement_number }}", "", ""],
            ["回访事由", "{{ record.reason }}", "", ""],
            ["履行情况", "{{ record.performance }}", "当事人满意度", "{{ record.satisfaction }}"],
            ["有无激化迹象", "{{ record.escalation }}", "", ""],
            ["回访情况及采取的措施", "{{ record.notes }}", "", ""],
            ["回访人", "{{ record.visitor }}", "回访日期", "{{ record.visited_on }}"],
        ],
        [30, 51, 30, 51],
    )
    return d


def confirmation_application() -> DocxDocument:
    d = new("司法确认申请书")
    parties(d, "parties", "申请人")
    para(d, "请求事项：", bold=True)
    para(
        d,
        "请求人民法院对申请人于{{ agreement.formed_on }}经{{ committee.name }}主持调解达成的"
        "人民调解协议（编号：{{ agreement.number }}）予以确认。",
        indent=True,
    )
    para(d, "事实和理由：", bold=True)
    para(
        d,
        "申请人之间因{{ case.dispute_type }}，经{{ committee.name }}主持调解，"
        "于{{ agreement.formed_on }}自愿达成如下调解协议：",
        indent=True,
    )
    para(d, "{{ agreement.content }}", indent=True)
    para(
        d,
        "该协议已于{{ agreement.effective_on }}生效。现申请人依照《中华人民共和国人民调解法》"
        "第三十三条的规定，自调解协议生效之日起三十日内共同申请人民法院予以确认。",
        indent=True,
    )
    para(d, "申请人承诺：", indent=True)
    para(d, "{%p for promise in confirmation.promises %}")
    para(d, "{{ promise }}", indent=True)
    para(d, "{%p endfor %}")
    para(d, "此致", indent=True)
    para(d, "{{ confirmation.court }}")
    para(d, "{%p for p in parties %}")
    para(d, "申请人（签名或盖章、按指印）：＿＿＿＿＿＿　{{ p.name }}", align="right")
    para(d, "{%p endfor %}")
    para(d, "{{ confirmation.applied_on }}", align="right")
    para(d, "附：人民调解协议书一份；申请人身份证明材料。")
    return d


def back_cover() -> DocxDocument:
    d = new("卷内备考表", numbered=False)
    para(d, "卷号：{{ case.number }}", align="right")
    table(
        d,
        [
            [
                "本卷情况说明：\n本卷共有文书材料{{ file.documents or '＿＿' }}件，"
                "共{{ file.pages or '＿＿' }}页。",
                "",
                "",
                "",
            ],
            ["立卷人", "{{ file.filed_by }}", "检查人", ""],
            ["立卷日期", "{{ file.filed_on }}", "保管期限", "{{ file.retention }}"],
        ],
        [30, 51, 30, 51],
    )
    para(d, "（封　底）", align="centre")
    return d


BUILDERS: dict[str, Callable[[], DocxDocument]] = {
    "cover": cover,
    "application": application,
    "registration": registration,
    "rights_notice": rights_notice,
    "decline_notice": decline_notice,
    "investigation": investigation,
    "mediation_record": mediation_record,
    "agreement": agreement,
    "oral_agreement": oral_agreement,
    "follow_up": follow_up,
    "confirmation_application": confirmation_application,
    "termination_notice": termination_notice,
    "back_cover": back_cover,
}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for kind, build in BUILDERS.items():
        document = build()
        # Fixed metadata: the file says what made it, not when the script last ran.
        properties = document.core_properties
        properties.author = properties.last_modified_by = "Tiaojie"
        properties.title = kind
        properties.created = properties.modified = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        properties.revision = 1
        document.save(str(OUT / f"{kind}.docx"))
        print(f"wrote {OUT / f'{kind}.docx'}")


if __name__ == "__main__":
    main()
