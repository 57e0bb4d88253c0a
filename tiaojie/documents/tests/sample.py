"""A case with something in every document (a third party too), built through the services as users would: two
investigations, two sessions, a signed written agreement, a follow-up visit and an application
for judicial confirmation. Used by the tests and by bench/documents.py."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.cases.choices import PartyKind, PartyRole
from tiaojie.cases.models import Case
from tiaojie.cases.services import aftercare, agreements, intake, records
from tiaojie.cases.tests import factories
from tiaojie.cases.workflow import transition

NARRATIVE = (
    "申请人王建华称，其居住的东湖社区3栋201室位于被申请人李秀英家正下方。自今年8月起，"
    "被申请人家卫生间地面持续渗水，导致申请人家卫生间及客厅天花板大面积发霉、墙皮脱落，"
    "吊顶灯具进水无法使用。申请人多次上门协商，并请物业公司到场查看，物业确认系楼上卫生间"
    "防水层老化所致。被申请人认为房屋已过保修期，应由物业或开发商负责维修，双方多次争吵，"
    "关系紧张。\n申请人请求被申请人尽快修复防水层，并赔偿天花板重新装修及灯具更换损失。"
)


def full_case(actor: User) -> Case:
    third = intake.PartyData(
        role=PartyRole.THIRD_PARTY,
        kind=PartyKind.ORGANISATION,
        name="东湖物业服务有限公司",
        legal_representative="赵刚",
    )
    parties = [*factories.case_data().parties, third]
    registered = factories.register(actor, narrative=NARRATIVE, parties=parties)
    now = timezone.now()
    # The dispute was registered days before the records below; a record may not predate it.
    Case.objects.filter(pk=registered.pk).update(registered_at=now - dt.timedelta(days=5))
    case = factories.to_mediation(actor, Case.objects.get(pk=registered.pk))
    records.investigation_add(
        actor=actor,
        case=case,
        held_at=now - dt.timedelta(days=2, hours=3),
        place="东湖社区物业服务中心",
        interviewee="赵明（物业维修主管）",
        investigators="李建国、陈芳",
        recorder="陈芳",
        content=(
            "问：你是否到3栋301室查看过漏水情况？\n答：8月20日去看过，301卫生间地面防水层老化开裂，"
            "水顺着管道渗到201。\n问：维修需要多少费用？\n答：重做防水大约需要1800元，工期三天。"
        ),
    )
    records.investigation_add(
        actor=actor,
        case=case,
        held_at=now - dt.timedelta(days=2),
        place="东湖社区3栋201室",
        interviewee="王建华",
        investigators="李建国",
        recorder="陈芳",
        content="现场查看：卫生间及客厅天花板霉斑约6平方米，吊顶灯具两盏损坏。申请人提供装修报价单一份。",
    )
    records.session_add(
        actor=actor,
        case=case,
        held_at=now - dt.timedelta(days=1, hours=2),
        place="东湖社区人民调解室",
        parties_present="王建华、李秀英",
        participants="赵明（物业维修主管）",
        recorder="陈芳",
        content=(
            "调解员告知双方当事人权利义务及人民调解的原则、方式，双方均无回避申请。\n"
            "申请人陈述：漏水三个月，多次协商未果，要求修复并赔偿3000元。\n"
            "被申请人陈述：同意修复防水，但认为赔偿金额过高。\n"
            "调解员结合物业意见核实事实，释明相邻关系的法律规定及诉讼的时间和费用成本。"
            "双方同意次日继续调解。"
        ),
    )
    case = factories.with_session(actor, case)
    today = timezone.localdate()
    agreements.agreement_draw_up(
        actor=actor,
        case=case,
        kind="written",
        facts=(
            "被申请人李秀英家卫生间防水层老化，致楼下申请人王建华家天花板发霉、灯具损坏。"
            "被申请人对漏水负有责任。"
        ),
        content=(
            "一、被申请人李秀英于十日内请有资质的施工单位重做卫生间防水层，费用自理；\n"
            "二、被申请人李秀英赔偿申请人王建华装修及灯具损失共计2000.00元；\n"
            "三、双方就此纠纷再无其他争议。"
        ),
        performance_manner="第一项由被申请人自行组织施工；第二项以银行转账方式一次性支付",
        performance_place="东湖社区3栋",
        formed_on=today,
        performance_deadline=today + dt.timedelta(days=10),
    )
    for party in case.parties.all():
        agreements.agreement_sign(actor=actor, case=case, party=party, signed_on=today)
    agreements.agreement_sign(actor=actor, case=case, mediator=True, signed_on=today)
    agreements.agreement_sign(actor=actor, case=case, seal=True, signed_on=today)
    case = transition(actor=actor, case=Case.objects.get(pk=case.pk), action="reach_agreement")
    aftercare.follow_up_add(
        actor=actor,
        case=case,
        visited_on=today,
        method="visit",
        party_visited="王建华",
        performance="partly",
        satisfaction="satisfied",
        notes="防水层已开始施工，赔偿款待施工完毕后支付。双方关系缓和，无激化迹象。",
    )
    aftercare.confirmation_apply(
        actor=actor, case=case, applied_on=today, court="东湖区人民法院", joint=True
    )
    return Case.objects.get(pk=case.pk)


# A valid GB 32100 code (check character computed), a fictional company.
COMPANY_CODE = "91350100M000100Y43"
COMPANY = "临江市悦家物业服务有限公司"
RARE_NAME = "黄𪚥"  # U+2A6A5, CJK Extension B: in no common font


def mixed_case(actor: User) -> Case:
    """Parties of every kind: a company with its legal representative and an agent, a person
    of the Tujia (土家族) with an agent, a third party whose name has a character from CJK
    Extension B; accepted and in mediation, with a written agreement drawn up."""
    data = factories.case_data(
        parties=[
            intake.PartyData(
                role=PartyRole.APPLICANT,
                kind=PartyKind.ORGANISATION,
                name=COMPANY,
                credit_code=COMPANY_CODE,
                legal_representative="周志明",
                phone="0716-8123456",
                address="临江市东湖区东湖路88号悦家大厦5楼",
                agent_name="刘晓燕",
                agent_authority="特别授权：代为调解、签署协议",
            ),
            intake.PartyData(
                role=PartyRole.RESPONDENT,
                name="向春花",
                ethnicity="土家族",
                occupation="个体工商户",
                id_number=factories.LI_ID,
                phone="13987654321",
                address="东湖街道东湖社区3栋301室",
                agent_name="向明",
                agent_authority="一般授权",
            ),
            intake.PartyData(
                role=PartyRole.THIRD_PARTY,
                name=RARE_NAME,
                ethnicity="汉族",
                id_number=factories.WANG_ID,
                phone="13812345678",
                address="东湖街道东湖社区3栋401室",
            ),
        ],
        summary="物业公司与业主就拖欠物业费及楼上漏水维修发生争执",
    )
    case = intake.case_register(actor=actor, data=data)
    case = factories.with_session(actor, factories.to_mediation(actor, case))
    today = timezone.localdate()
    agreements.agreement_draw_up(
        actor=actor,
        case=case,
        kind="written",
        facts="被申请人拖欠物业费一年；第三人家卫生间漏水致公共管道损坏。",
        content="一、被申请人于十日内补缴物业费3600.00元；\n二、第三人承担管道维修费用。",
        performance_manner="银行转账",
        formed_on=today,
        performance_deadline=today + dt.timedelta(days=10),
    )
    return Case.objects.get(pk=case.pk)
