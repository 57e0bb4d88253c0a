"""Model 6: the risk rules read the threat frames, self-harm and petition phrasings that dev sets
7 and 8 showed the model 5 rules missing (ADR 0053), and still leave ordinary disputes alone.
What a user sees: the suggested risks. The sentences are new, written for these tests, not
copied from any set."""

from __future__ import annotations

import pytest

from tiaojie.triage.rules import find_risks


def risks(text: str) -> set[str]:
    return {e.risk for e in find_risks(text)}


@pytest.mark.parametrize(
    "text",
    [
        # A threat told as a condition, crossing a comma.
        "网格员：两户为排水沟吵了半年，东家说西家敢再往沟里倒泔水，就把他家的窗户全砸了。",
        # The frames of a threat.
        "来电人称楼上住户因为漏水的事指着她说：你给我等着。",
        "工单：讨薪的工人说老板要是月底还不结账，早晚收拾他。",
        "村民反映：承包鱼塘的人撂下话，这事跟他没完。",
        # A weapon brought or shown, a door blocked.
        "警情：为了借款，债主拎着钢管到借款人家门口叫骂。",
        "网格员：对方带了几个人连着三天来堵门，不让老两口出门买菜。",
        "调解员记录：男方在女方家门口磨刀，扬言要讨个说法。",
    ],
)
def test_a_threat_frame_a_weapon_or_a_blocked_door_is_violence(text: str) -> None:
    assert "violence_threat" in risks(text), find_risks(text)


@pytest.mark.parametrize(
    "text",
    [
        "派出所转：两兄弟为分家产翻脸，弟弟说哥哥再占老屋就让他偿命。",
        "来电人称对方放话要剁了她丈夫的手。",
        "网格员：承包商扬言谁再挡着施工就把人打残。",
        "警情：一男子拿着汽油瓶在物业办公室里叫嚷。",
    ],
)
def test_a_threat_to_kill_or_maim_in_other_words_is_both(text: str) -> None:
    assert {"violence_threat", "criminal_escalation"} <= risks(text), find_risks(text)


@pytest.mark.parametrize(
    "text",
    [
        "来电人称母亲因为拆迁款被弟弟独占，在电话里哭着说她不活了。",
        "网格员：老人说宅基地要是被占，大不了一死。",
        "工单：被征收户说推土机来了他就躺在推土机前面。",
        "家属反映：女子称安眠药已经准备好了，离婚协议不改她就吃。",
    ],
)
def test_a_death_threatened_against_oneself_is_self_harm(text: str) -> None:
    assert "self_harm" in risks(text), find_risks(text)


@pytest.mark.parametrize(
    "text",
    [
        "信访转办：申请人称补偿款再不到位，就去县里反映。",
        "网格员：该户已经到区、市两级反映过征地补偿的事。",
        "村民说要把材料递给省委巡视组。",
    ],
)
def test_going_up_the_levels_is_petition_escalation(text: str) -> None:
    assert "petition_escalation" in risks(text), find_risks(text)


def test_an_offence_done_while_the_feud_goes_on_is_criminal_escalation() -> None:
    text = "派出所移交：两家为院墙打架，一方被打成轻伤，对方已被行政拘留，两家至今仍不来往。"
    assert "criminal_escalation" in risks(text), find_risks(text)


@pytest.mark.parametrize(
    "text",
    [
        # A settled accident with an injury: no offence, no feud.
        "交警转来：电动车与行人相撞，行人骨折，双方已就医药费达成一致。",
        # An offence long settled, with no feud left.
        "申请人称去年邻居推倒了他家的围墙，已经赔了钱，两家关系很好。",
        # Ordinary words near a cue.
        "双方约定再有纠纷就找村调委会调解。",
        "租户说下个月就去市里上班了，想把押金退回来。",
        "老人说厨房的刀该磨了，请网格员帮忙找个师傅。",
    ],
)
def test_ordinary_words_near_a_cue_raise_no_violence_crime_or_petition(text: str) -> None:
    assert not risks(text) & {"violence_threat", "criminal_escalation", "petition_escalation"}, (
        find_risks(text)
    )


@pytest.mark.parametrize(
    "text",
    [
        "网格员：为一棵界边的枣树，老周说对方敢来打枣，他就砍他。",
        "警情：两名顾客在网吧打架，一人扬言出了派出所就叫人把他废了。",
    ],
)
def test_a_threat_to_cut_or_cripple_a_person_is_both(text: str) -> None:
    assert {"violence_threat", "criminal_escalation"} <= risks(text), find_risks(text)


def test_a_broken_thing_is_no_crime() -> None:
    assert "criminal_escalation" not in risks("申请人称维修店修了半个月，手机还是废了，要求退钱。")
