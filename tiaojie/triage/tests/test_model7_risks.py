"""Model 7: the risk rules read the threat frames, self-harm, petition and 民转刑 phrasings that
dev set 9 (test set 7 once) showed the model 6 rules missing (ADR 0057), and no longer call a
standoff, a quarrel with no blows or a knife's wear violence. What a user sees: the suggested
risks. The sentences are new, written for these tests, not copied from any set."""

from __future__ import annotations

import pytest

from tiaojie.triage.rules import find_risks


def risks(text: str) -> set[str]:
    return {e.risk for e in find_risks(text)}


@pytest.mark.parametrize(
    "text",
    [
        "工单：收废品的两口子为占摊位吵架，男的指着对方说“再来抢地方我就跟你拼了”。",
        "网格员：承包果园的人对邻村放羊的喊，再进园子啃树苗，莫怪他不客气。",
        "来电人称前夫发短信说让她晚上出门小心点。",
    ],
)
def test_a_threat_in_other_frames_is_violence(text: str) -> None:
    assert "violence_threat" in risks(text), find_risks(text)


@pytest.mark.parametrize(
    "text",
    [
        "工单：包工头欠了三个月工钱，瓦工说再拖下去他就爬到塔吊上去。",
        "信访局转来：来访人为低保被取消来了好几趟，今天拎着一瓶农药坐在大厅里。",
    ],
)
def test_a_roof_or_poison_brought_along_is_self_harm(text: str) -> None:
    assert "self_harm" in risks(text), find_risks(text)


@pytest.mark.parametrize(
    "text",
    [
        "信访局转办：来访人为宅基地证的事已多次来访，说镇里包庇对方。",
        "来电人说村会计挪用补偿款，他要去县纪委举报。",
        "来电人称快递丢件后平台一直推诿，他要往上投诉到省邮政管理局。",
    ],
)
def test_repeated_visits_and_complaints_carried_up_are_petition_escalation(text: str) -> None:
    assert "petition_escalation" in risks(text), find_risks(text)


@pytest.mark.parametrize(
    "text",
    [
        # Property damaged on purpose while the feud goes on.
        "网格员：两家为一条排水沟闹了多年，上个月东家半夜把西家的鸡棚门锁砸了，现在两家互相敌视。",
        "调委会排查：楼上楼下为漏水长期不和，楼上的车胎被扎了，怀疑是楼下扎的，最近又吵起来了。",
        # Teeth knocked out, and another fight feared.
        "来电人称父亲被邻居打掉一颗门牙，派出所处理过了，但两家又要为那堵墙吵起来。",
        # Petrol brought along with a threat to burn.
        "村干部报：兄弟俩争老宅，哥哥提着汽油桶站在地基上说谁建就一把火点了。",
    ],
)
def test_an_offence_or_petrol_while_the_feud_goes_on_is_criminal_escalation(text: str) -> None:
    assert "criminal_escalation" in risks(text), find_risks(text)


@pytest.mark.parametrize(
    "text",
    [
        # A standoff of two crowds, nobody hurt: the group's risk, not violence.
        "派出所移交：两个村为抢一眼泉水各来了三十多人在泉边对峙，民警劝离，无人受伤。",
        # A quarrel with no blows.
        "网格员：跳广场舞的和打篮球的为场地吵了几句，没动手，各自散了。",
        # A knife worn out is a consumer's complaint.
        "来电人称新买的剪刀用了三天刀口就卷了，店家不给换。",
    ],
)
def test_a_standoff_a_quarrel_or_a_worn_knife_is_no_violence(text: str) -> None:
    assert "violence_threat" not in risks(text), find_risks(text)


def test_a_traffic_injury_alone_is_still_no_crime() -> None:
    # The offences added for model 7 are deliberate damage; a collision stays out of 民转刑.
    text = "交警转来：电动车和三轮车相撞，骑车人腿部骨折，双方为赔偿至今互不相让。"
    assert "criminal_escalation" not in risks(text), find_risks(text)


def test_a_farmer_spraying_pesticide_is_no_self_harm() -> None:
    # Pesticide carried to the field is farming; only poison brought to a dispute is a threat.
    text = "村民反映：邻居拿着农药喷雾器去打药，药水飘到他家菜地里，菜都蔫了。"
    assert "self_harm" not in risks(text), find_risks(text)
