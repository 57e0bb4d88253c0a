"""Model 4: the risk rules read violence and 民转刑 as the labelling guide does (docs/triage.md,
ADR 0049). What a user sees: the suggested risks, and the clause each was read from. The
sentences are new, written for these tests, not copied from a development set."""

from __future__ import annotations

import re

import pytest

from tiaojie.triage.model import CORPUS, DEV_SETS, load_rows
from tiaojie.triage.rules import _COMPILED, PATTERNS, RISK_CODES, find_risks


def risks(text: str) -> set[str]:
    return {e.risk for e in find_risks(text)}


@pytest.mark.parametrize(
    "text",
    [
        # A threat to kill or maim: violence and 民转刑.
        "来电人称对门男子因为占道放杂物跟她吵，昨晚说要拿刀捅她儿子。",
        "网格员：债主放话说年前不还钱就卸他一条胳膊。",
        "工单：包工头说谁再来讨薪就让人打断谁的腿。",
        "两家为宅基地界桩争执，一方扛着镰刀守在地头，说谁敢动界桩就砍谁。",
        "村民为水渠放水吵架，一方放话说再偷水就一锄头打死他。",
        "派出所移交：杜某扬言要放火烧了邻居的房子。",
        "警情：房主在屋顶泼汽油，扬言谁上来就点火同归于尽。",
        # Violence done, and a threat of more.
        "警情：两人在烧烤摊互殴，一方鼻子被打出血，另一方扬言明天带人过来。",
        "移交：车主之间发生斗殴，两人受伤，一方扬言还要纠集人手找回场子。",
    ],
)
def test_a_threat_to_kill_or_maim_or_violence_with_more_to_come_is_both(text: str) -> None:
    assert {"violence_threat", "criminal_escalation"} <= risks(text), find_risks(text)


@pytest.mark.parametrize(
    "text",
    [
        "来电人称邻居说要找人来收拾她，还在门上贴了纸条。",
        "网格员：欠款的事谈不拢，对方放话说迟早给他点颜色看看。",
        "工人讨薪，老板说要让他们好看。",
    ],
)
def test_a_vaguer_threat_is_violence(text: str) -> None:
    assert "violence_threat" in risks(text)


@pytest.mark.parametrize(
    "text",
    [
        "警情：丈夫酒后掐妻子脖子，妻子不敢报警。",
        "派出所转：顾客将店员头部砸伤，缝了五针，双方就赔偿申请调解。",
        "两个高中生在校门口冲突，一人眼镜被打碎，家长来调解赔偿。",
        "两位老人在广场上为占地方吵起来，一人推搡另一人致其摔倒。",
        "工人用钢管砸坏了老板的车，老板扬言要找人报复。",
    ],
)
def test_blows_told_by_their_effect_are_violence(text: str) -> None:
    assert "violence_threat" in risks(text)


def test_violence_with_more_to_come_shows_the_threat_as_the_evidence() -> None:
    found = find_risks("警情：两人在夜市打架，一人头部受伤，另一方放话要带人来堵门。")
    phrases = {e.risk: e.phrase for e in found}
    assert "放话要带人来堵门" in phrases["criminal_escalation"]
    # Evidence stays in the order of the risk codes, whatever rule found it.
    order = [RISK_CODES.index(e.risk) for e in found]
    assert order == sorted(order)


@pytest.mark.parametrize(
    "text",
    [
        # Fire set to weeds or straw that spread: an accident, damages.
        "网格员：村民放火烧田埂上的杂草，火势蔓延烧了邻居家的草垛。",
        "李某烧秸秆，起火烧了隔壁家的柴房，两家为赔偿争执。",
        # Pushing with nobody hurt and both calm again.
        "接警：两户邻居为楼道堆物互相推搡，无人受伤，民警到场后双方情绪平稳。",
        # A fight settled and closed on a return visit, or settled on the spot.
        "网格员：上个月两个小伙子打架，一人被打掉一颗牙，医药费赔了，今天回访都没意见。",
        "接警：两名男子推搡后一方手腕擦伤，经民警调解双方私了。",
        # Animals, and a repairman.
        "我在朋友家被他家的猫抓伤了脸，打了狂犬疫苗。",
        "邻居家的狗打架咬坏了我家的花盆。",
        "楼上漏水，他每次都说找人来看看，一直没人来。",
        # Hard negatives kept from model 2.
        "我被这事气得要死，但没有动手。",
        "他们俩为了离婚打官司打了两年。",
    ],
)
def test_accidents_settled_fights_and_figures_of_speech_are_not_violence(text: str) -> None:
    assert not risks(text) & {"violence_threat", "criminal_escalation"}, find_risks(text)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("原告主张医疗费、残疾赔偿金等共计八万元，委派调解。", "vulnerable"),
        ("来电人称父亲在医院术后瘫痪，认为医院有责任。", "vulnerable"),
        ("对门把婴儿车放在楼道里，挡了路。", "vulnerable"),
        ("开发商承诺的配套幼儿园没有建。", "vulnerable"),
        ("我在论坛上被一个网友骂了，想让他道歉。", "media_attention"),
        ("石家和段家一起来调委会要求说理。", "group"),
        ("村里这块地原来是集体的，几户都说是自家开垦的。", "group"),
    ],
)
def test_words_that_only_look_like_a_risk_suggest_none(text: str, absent: str) -> None:
    assert absent not in risks(text)


@pytest.mark.parametrize(
    ("text", "risk"),
    [
        ("本地公众号发文说这家餐馆用地沟油，阅读量已过十万。", "media_attention"),
        ("我的歌被人翻唱冒充原创，网友们都在讨论。", "media_attention"),
        ("农贸市场三十多家摊主聚在市场办公室门口要说法。", "group"),
        ("去年在养殖场打零工的十几个人至今没拿到工钱，已经去过劳动监察了。", "group"),
        ("一户有哮喘患儿的家庭住在猪场下风口。", "vulnerable"),
        ("拆迁户在家准备了汽油，说强拆就跟房子同归于尽。", "self_harm"),
    ],
)
def test_new_phrasings_of_crowds_media_and_the_vulnerable_are_read(text: str, risk: str) -> None:
    assert risk in risks(text)


def test_the_prefilter_finds_exactly_what_the_plain_patterns_find() -> None:
    plain = {
        risk: re.compile("|".join(f"(?:{p})" for p in pats).replace(".{", "[^，。；！？,;!?\\n]{"))
        for risk, pats in PATTERNS.items()
    }
    texts = [row["text"] for row in load_rows(CORPUS)[::3]]
    texts += [row["text"] for path in DEV_SETS.values() for row in load_rows(path)]
    for risk, pattern in plain.items():
        fast = _COMPILED[risk]
        assert fast.pattern.startswith("(?=["), risk
        for text in texts:
            assert [m.span() for m in fast.finditer(text)] == [
                m.span() for m in pattern.finditer(text)
            ], (risk, text)
