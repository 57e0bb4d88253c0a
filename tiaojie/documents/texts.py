"""The fixed Chinese wording of the documents. These are official texts, printed as they are in
every language the interface is used in, so they are not in the translation catalogue."""

from __future__ import annotations

from tiaojie.cases.choices import (
    CaseSource,
    DeclineReason,
    EndReason,
    FollowUpMethod,
    Gender,
    PartyKind,
    PartyRole,
    Performance,
    Satisfaction,
)

# 人民调解当事人权利义务告知书: the committee's nature and principles, the effect of an agreement,
# and the rights and duties of arts. 23–24 of the People's Mediation Law.
RIGHTS_NOTICE = (
    "人民调解委员会是依法设立的调解民间纠纷的群众性组织。人民调解委员会在当事人自愿、平等的"
    "基础上进行调解，调解不违背法律、法规和国家政策，尊重当事人的权利，不因调解而阻止当事人"
    "依法通过仲裁、行政、司法等途径维护自己的权利。人民调解委员会调解民间纠纷，不收取任何费用。",
    "根据《中华人民共和国人民调解法》第二十三条的规定，当事人在人民调解活动中享有下列权利：",
    "（一）选择或者接受人民调解员；",
    "（二）接受调解、拒绝调解或者要求终止调解；",
    "（三）要求调解公开进行或者不公开进行；",
    "（四）自主表达意愿、自愿达成调解协议。",
    "根据《中华人民共和国人民调解法》第二十四条的规定，当事人在人民调解活动中履行下列义务：",
    "（一）如实陈述纠纷事实；",
    "（二）遵守调解现场秩序，尊重人民调解员；",
    "（三）尊重对方当事人行使权利。",
    "经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行。"
    "双方当事人认为有必要的，可以自调解协议生效之日起三十日内共同向人民法院申请司法确认。",
    "以上内容，人民调解委员会已向当事人告知，当事人已知悉。",
)

# The routes the parties are told of when mediation does not go ahead (arts. 3 and 26).
ROUTES = "你们可以依法通过仲裁、行政、司法等途径维护自己的权利。"

CONSENT = "人民调解委员会已将申请人民调解的相关规定告知我，现自愿申请人民调解委员会进行调解。"

# The commitments of a joint application for judicial confirmation.
CONFIRMATION_PROMISES = (
    "一、出于解决纠纷的目的自愿达成协议，没有恶意串通、规避法律的行为；",
    "二、如果因为该协议内容而给他人造成损害的，愿意承担相应的民事责任和其他法律责任。",
)

DECLINE_REASONS: dict[str, str] = {
    DeclineReason.BEFORE_OTHER_BODY: "该纠纷已经由人民法院、公安机关或者其他行政机关受理或者解决",
    DeclineReason.LEGALLY_BARRED: (
        "该纠纷属于法律、法规规定只能由专门机关管辖处理，或者禁止采用民间调解方式解决的纠纷"
    ),
    DeclineReason.PARTY_REFUSES: "一方当事人明确拒绝调解",
    DeclineReason.NOT_CIVIL: "该纠纷不属于民间纠纷",
    DeclineReason.OTHER: "该纠纷不属于人民调解委员会受理的范围",
}

END_REASONS: dict[str, str] = {
    EndReason.PARTY_REFUSES: "一方当事人明确拒绝继续调解",
    EndReason.PARTY_WITHDRAWS: "申请人撤回调解申请",
    EndReason.NO_AGREEMENT: "经调解，双方当事人未能达成调解协议",
    EndReason.OTHER: "出现不宜继续调解的情形",
}

END_BASIS: dict[str, str] = {
    EndReason.PARTY_REFUSES: "《中华人民共和国人民调解法》第二十三条、第二十六条",
    EndReason.PARTY_WITHDRAWS: "《中华人民共和国人民调解法》第二十三条、第二十六条",
    EndReason.NO_AGREEMENT: "《中华人民共和国人民调解法》第二十六条",
    EndReason.OTHER: "《中华人民共和国人民调解法》第二十六条",
}

SOURCES: dict[str, str] = {
    CaseSource.APPLICATION: "当事人申请",
    CaseSource.INITIATIVE: "人民调解委员会主动调解",
    CaseSource.COURT: "人民法院委托移送",
    CaseSource.POLICE: "公安机关委托移送",
    CaseSource.PETITION: "信访部门委托移送",
    CaseSource.PROCURATORATE: "人民检察院委托移送",
    CaseSource.OTHER_DEPARTMENT: "其他部门委托移送",
    CaseSource.GRID: "网格员排查发现",
    CaseSource.SCREENING: "矛盾纠纷排查发现",
    CaseSource.HOTLINE: "12345热线转办",
    CaseSource.ONLINE: "当事人在线申请",
}

ROLES: dict[str, str] = {
    PartyRole.APPLICANT: "申请人",
    PartyRole.RESPONDENT: "被申请人",
    PartyRole.THIRD_PARTY: "第三人",
}
KINDS: dict[str, str] = {PartyKind.PERSON: "自然人", PartyKind.ORGANISATION: "法人或其他组织"}
GENDERS: dict[str, str] = {Gender.MALE: "男", Gender.FEMALE: "女", Gender.UNKNOWN: ""}
PERFORMANCE: dict[str, str] = {
    Performance.PENDING: "尚未到履行期限",
    Performance.PERFORMED: "已履行",
    Performance.PARTLY: "部分履行",
    Performance.NOT_PERFORMED: "未履行",
}
SATISFACTION: dict[str, str] = {
    Satisfaction.SATISFIED: "满意",
    Satisfaction.BASICALLY: "基本满意",
    Satisfaction.DISSATISFIED: "不满意",
}
FOLLOW_UP_METHODS: dict[str, str] = {
    FollowUpMethod.VISIT: "上门回访",
    FollowUpMethod.PHONE: "电话回访",
    FollowUpMethod.VIDEO: "视频回访",
    FollowUpMethod.OTHER: "其他方式",
}
FOLLOW_UP_REASON = "了解调解协议履行情况，排查纠纷有无反复或激化"

TICKED, UNTICKED = "☑", "□"
