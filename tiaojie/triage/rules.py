"""Risk phrases as rules: each risk is a set of patterns; a match counts unless a negation
(没有, 未, 暂无, 不会 …) stands just before it in the same clause. The clause that matched is
kept as evidence, so the user sees why a risk was suggested."""

from __future__ import annotations

import re
from dataclasses import dataclass

RISK_CODES = (
    "violence_threat",
    "self_harm",
    "group",
    "petition_escalation",
    "criminal_escalation",
    "vulnerable",
    "media_attention",
)

_CN_TEN_PLUS = r"(?:[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九]?百[零一二三四五六七八九十]*|上百|数十|几十|十几|\d{2,})"

PATTERNS: dict[str, list[str]] = {
    "violence_threat": [
        r"扬言.{0,8}(?:杀|弄死|砍|打|收拾|砸|烧|卸|教训|废了)",
        r"威胁",
        r"(?:持|拿|拿着|抄起|扛着|提着|挥舞|用)(?:着)?.{0,3}(?:刀|斧|棍|铁锹|锄头|扳手|凳子|砖头|扫帚|棒|酒瓶|石头)",
        r"动手|动过手|打人|打伤|殴打|拳打脚踢|扭打|推搡|厮打|打架|打起来|揪住|抓伤|追打|掀翻|互殴",
        r"推倒|推下.{0,4}(?:台阶|楼梯|楼)|挥拳|找.{0,6}算账|(?:带|找)人来|扇了?.{0,5}(?:耳光|巴掌)|砍死|打死|打出血|打破.{0,2}头|踹",
        r"打了.{0,2}(?:拳|巴掌|一顿|几下)|打断.{0,2}腿|见一次打一次|弄死|杀了|砍人|放火|纵火|烧了.{0,4}(?:房|家)",
        r"家暴|家庭暴力|(?<!聚集)对峙|(?:带人|上门).{0,4}砸|不让走",
    ],
    "self_harm": [
        r"喝农药|服毒|喝药|跳楼|跳河|跳下去|跳下来|轻生|自杀|自残|自伤|割腕|想不开|不想活",
        r"活着没意思|活不下去|寻死|一死了之|以死相逼|死了算了|遗书|死在.{0,8}(?:门口|家门|医院|这里|他家|公司)",
        r"(?:服|吞|吃|喝)了?下?.{0,4}(?:安眠药|老鼠药|药片|除草剂)|自焚|上吊|寻短见",
    ],
    "group": [
        _CN_TEN_PLUS + r"(?:多|余|来)?(?:名|户|人|位|个|家(?=商户|企业|店))(?!月|小时|工作日)",
        r"聚集|(?<!村)集体|联名|拉横幅|拉了横幅|堵路|群体|涉众|一起来|一起去|相约",
    ],
    "petition_escalation": [
        r"上访|越级|缠访|闹访|进京|去北京|到北京|赴京|省里|中央|往上告|告到(?!法院)",
        r"(?:重复|反复|多次).{0,10}信访|(?:去|到)过?.{0,6}信访|市长热线|到市政府|十几次热线",
    ],
    "criminal_escalation": [
        r"民转刑|报复|积怨|结怨|刑事|同归于尽|凶器|拘留|社会上的人|颜色看看",
        r"准备了?.{0,2}刀|激化|矛盾.{0,4}升级|随时可能.{0,6}冲突|(?:囤|备|准备)了?.{0,2}汽油|跟.{0,4}拼命|[就要]杀人|要杀了|要.{0,6}砸了",
        r"杀了?.{0,4}(?:全家|一家)|要.{0,3}的命|出人命|带人.{0,6}堵门|不是打一顿",
    ],
    "vulnerable": [
        r"(?:[七八九]十[一二三四五六七八九]?|[7-9]\d)(?:多|余|来)?(?:岁|了|高龄)(?!以下|以内)",
        r"(?<![一二三四五六七八九十\d])(?:十[一二三四五六七]?|[一二三四五六七八九]|1[0-7]|[1-9])岁",
        r"年过[七八九]旬|[七八九]旬|高龄|耄耋|独居老人|孤寡|五保|留守",
        r"(?:读|上)(?:初中|小学|幼儿园)|今年[七八九]十|未成年|小学生|中学生|初中生|幼儿|婴儿|新生儿|放学",
        r"残疾|残障|聋哑|盲人|失明|瘫痪|智力障碍|智障|精神病|轮椅|行动不便|卧病在床|卧床",
    ],
    "media_attention": [
        r"抖音|快手|微博|小红书|热搜|(?<!自)媒体|记者|曝光|电视台|报社|舆情|舆论|网民|网友|炒作",
        r"(?:引发|引起).{0,6}(?:关注|热议)|大量转发|转发量|(?:发|转发|传)到了?.{0,5}(?:网上|号上)",
        r"网上.{0,2}直播|网上发.{0,6}视频",
    ],
}

NEGATION = re.compile(
    r"(?:没有|没再|没发现|未|无|不会|不想|不打算|不再|不存在|不涉|并未|并无|暂无|尚未|否认|排除|防止)"
)
CLAUSE_END = "，。；！？,;!?\n"
SENTENCE_END = "。；！？;!?\n"
WINDOW = 8
# A risk told as past and settled (两年前曾动过手，已经调解好了; 以前扬言要上访，后来签了协议)
# is history, not a risk today: a past marker before it and a settling word after it, in the
# same sentence.
PAST = re.compile(
    r"曾|以前|之前|此前|早年|过去|当年|上次|去年|前年|[一二两三四五几\d]+年前|[一二两三几\d]+个月前"
)
SETTLED = re.compile(r"已经|已|后来|如今|现在只")
# Hearsay about somebody else (听说隔壁小区有业主跳楼了) is not this dispute's risk.
HEARSAY = re.compile(r"听说|据说|新闻里|电视上|隔壁小区|别的村|别人家|外地有")

# "." in a pattern never crosses a clause: a phrase is one clause.
_COMPILED = {
    risk: re.compile("|".join(f"(?:{p})" for p in pats).replace(".{", "[^，。；！？,;!?\\n]{"))
    for risk, pats in PATTERNS.items()
}


@dataclass(frozen=True)
class Evidence:
    risk: str
    phrase: str


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((text.rfind(ch, 0, start) for ch in CLAUSE_END), default=-1) + 1
    rights = [i for i in (text.find(ch, end) for ch in CLAUSE_END) if i != -1]
    return left, min(rights) if rights else len(text)


def _negated(text: str, start: int, clause_start: int) -> bool:
    before = text[max(clause_start, start - WINDOW) : start]
    if before.endswith("不"):  # 不涉众, 不会上访: a bare 不 negates only what it touches
        return True
    return NEGATION.search(before) is not None


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((text.rfind(ch, 0, start) for ch in SENTENCE_END), default=-1) + 1
    rights = [i for i in (text.find(ch, end) for ch in SENTENCE_END) if i != -1]
    return left, min(rights) if rights else len(text)


def _history_or_hearsay(text: str, start: int, end: int) -> bool:
    """The match is told as past and settled, or as something that happened to others."""
    left, right = _sentence(text, start, end)
    before = text[left:start]
    if PAST.search(before) and SETTLED.search(text[end:right]):
        return True
    return HEARSAY.search(before) is not None


def find_risks(text: str) -> list[Evidence]:
    """Every risk the text names, once each, with the clause of its first un-negated match."""
    found: list[Evidence] = []
    for risk in RISK_CODES:
        for match in _COMPILED[risk].finditer(text):
            left, right = _clause(text, match.start(), match.end())
            if _negated(text, match.start(), left) or _history_or_hearsay(
                text, match.start(), match.end()
            ):
                continue
            phrase = text[left:right].strip()
            if len(phrase) > 40:
                # Long clause: keep the match with a few characters either side.
                phrase = text[max(left, match.start() - 12) : min(right, match.end() + 12)]
            found.append(Evidence(risk, phrase))
            break
    return found
