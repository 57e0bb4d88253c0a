"""Compose the labelled corpus (``data/corpus.jsonl``) from the hand-written fragments.

Run ``python -m tiaojie.triage.corpus.build`` (fixed seed: the same file every time). Each
narrative is one register's template (hotline ticket, grid note, first-person application,
court, police or petition referral) filled with a type's facts, quarrel and request, the chosen
risks' phrases, negated phrases of other risks and plain distractors. Labels follow from what
was put in: the type, the risks whose phrases were used, and the tier by ``tier_for``.

Fairness of the held-out part: every fragment list is cut in two; narratives of the held-out
part (``split = "test"``) are built only from fragments no training narrative uses, so the
model is tested on facts, quarrels, requests and risk phrasings it has not seen (still in the
generator's templates: the hand-written file ``data/handwritten.jsonl`` is the harder test)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from tiaojie.triage.corpus.lexicon import LEXICON, TOPIC
from tiaojie.triage.corpus.risks import DISTRACTORS, DUAL, LARGE, NEGATED, RISK_PHRASES
from tiaojie.triage.corpus.types import BASE_TIER, TYPES
from tiaojie.triage.corpus.types_more import MORE
from tiaojie.triage.corpus.types_third import LEXICON_MORE, THIRD

SEED = 20261202
PER_TYPE = 150
TEST_SHARE = 0.2
OUT = Path(__file__).resolve().parent.parent / "data" / "corpus.jsonl"

RISKS = tuple(RISK_PHRASES)
ESCALATING = {"group", "petition_escalation", "criminal_escalation"}
ESCALATING_PAIR = {"violence_threat", "criminal_escalation"}
UP = {"community": "street", "street": "district", "district": "district"}

SURNAMES = "张李王刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
PLACES = [
    "幸福里小区{n}栋",
    "城南花园{n}号楼",
    "东关村{c}组",
    "新民社区",
    "桃源村",
    "河西街道{n}号院",
    "建设路{n}号",
    "金桥小区",
    "柳湾村{c}组",
    "光明社区{n}栋",
    "南苑小区",
    "石桥镇大庙村",
    "滨江苑{n}幢",
    "老街{n}号",
    "红星村{c}组",
    "锦绣家园{n}号楼",
    "高新区某工地",
    "翠湖社区",
]
TIMES = [
    "2026年3月",
    "上个月",
    "去年年底",
    "今年春节前",
    "上周",
    "前天晚上",
    "近半年来",
    "2025年8月",
    "今年5月份",
    "三天前",
    "最近一段时间",
    "上周五下午",
]
COURTS = ["某区人民法院", "某县人民法院", "本院"]
STATIONS = ["某派出所", "城关派出所", "某某镇派出所", "公安分局某警务室"]
OFFICES = ["区信访局", "县信访局", "街道信访办", "市信访局"]
CAUSE = {
    "marriage_family": ["离婚纠纷", "抚养费纠纷", "继承纠纷", "赡养纠纷"],
    "neighbours": ["相邻关系纠纷", "排除妨害纠纷"],
    "housing_homestead": ["宅基地使用权纠纷", "房屋租赁合同纠纷", "农村房屋买卖纠纷"],
    "contract": ["民间借贷纠纷", "买卖合同纠纷", "装饰装修合同纠纷"],
    "business": ["合伙协议纠纷", "农业生产经营纠纷"],
    "damages": ["生命权、身体权、健康权纠纷", "财产损害赔偿纠纷", "饲养动物损害责任纠纷"],
    "forest_land": ["土地承包经营权纠纷", "林权纠纷"],
    "requisition_demolition": ["征收补偿纠纷", "拆迁安置补偿纠纷"],
    "environment": ["环境污染责任纠纷", "噪声污染责任纠纷"],
    "labour": ["劳动争议", "经济补偿金纠纷"],
    "unpaid_wages": ["追索劳动报酬纠纷", "劳务合同纠纷"],
    "consumer": ["买卖合同纠纷", "服务合同纠纷"],
    "medical": ["医疗损害责任纠纷"],
    "traffic": ["机动车交通事故责任纠纷"],
    "property_management": ["物业服务合同纠纷"],
    "e_commerce": ["网络购物合同纠纷"],
    "intellectual_property": ["著作权侵权纠纷", "商标侵权纠纷"],
    "tourism": ["旅游合同纠纷"],
    "internet": ["网络侵权责任纠纷", "名誉权纠纷"],
    "other": ["其他纠纷"],
}

TEMPLATES: dict[str, list[str]] = {
    "hotline": [
        "【12345工单】来电人{A}反映：{fact}。{extra}诉求：{request}。",
        "市民{A}来电称，{fact}，{quarrel}。{extra}来电人{request}。",
        "12345转办：{place}居民反映{fact}。{extra}要求：{request}。请属地核实处理。",
        "热线工单：{time}，{fact}。{extra}{request}。",
    ],
    "grid": [
        "网格员走访时了解到，{place}的{A}和{B}闹矛盾了：{fact}。{quarrel}。{extra}{A}的意思是{request}。",
        "今天上午到{place}入户，{A}拉着我说，{fact}，{quarrel}。{extra}已经先劝了劝，建议调委会介入。",
        "矛盾排查：{place}，{fact}。{quarrel}。{extra}下一步继续跟进。",
        "网格日志：{time}{A}反映{fact}，{quarrel}。{extra}当事人想{request}。",
    ],
    "online": [
        "我叫{name}，住在{place}。{fact}。{quarrel}。{extra}现申请人民调解，{request}。",
        "申请事项：{request}。事实与理由：{time}，{fact}。{quarrel}。{extra}恳请调解委员会帮忙解决。",
        "您好，{fact}，{quarrel}。{extra}我想申请调解，{request}，谢谢。",
    ],
    "court": [
        "{court}诉前委派调解函：原告{A}与被告{B}{cause}一案，原告诉称：{fact}。{extra}原告诉讼请求：{request}。经征得双方同意，现委派你委员会进行调解。",
        "立案前委派：当事人{A}称，{fact}，{quarrel}。{extra}请求{request}。本院依法委派调解，调解期限三十日。",
        "委托调解函：{A}诉{B}一案，{fact}。{extra}{A}请求{request}。请于三十日内反馈调解结果。",
    ],
    "police": [
        "{station}移送函：{time}，{A}报警称，{fact}。民警到场后了解到，{quarrel}。{extra}经双方同意，移送调委会调解。",
        "警情摘要：{time}接报，{place}{fact}。{extra}民警已做初步处置，双方同意调解。",
        "接处警记录：报警人{A}称{fact}。{quarrel}。{extra}属民间纠纷，移交人民调解。",
    ],
    "petition": [
        "信访事项转送：信访人{A}反映，{fact}，{quarrel}。{extra}信访人诉求：{request}。请依法调处并将结果反馈。",
        "{office}交办：{place}群众{A}来访称{fact}。{extra}来访人诉求：{request}。",
        "来信摘要：{A}来信反映{fact}。{extra}{A}请求{request}。请属地调处。",
    ],
}
CHANNELS = {
    "hotline": ["hotline"],
    "grid": ["grid", "initiative"],
    "online": ["online", "application"],
    "court": ["court"],
    "police": ["police"],
    "petition": ["petition", "other_department"],
}


def tier_for(dispute_type: str, risks: set[str], large: bool) -> str:
    """Where the dispute should be mediated: the type's starting tier, one level up when the
    dispute is likely to escalate (a crowd, a petition, a crime in the making) or, for a
    community matter, when the amount is large; a professional committee keeps its field
    unless a crowd is involved, which the district handles."""
    base = BASE_TIER[dispute_type]
    if base == "sectoral":
        return "district" if "group" in risks else "sectoral"
    if risks & ESCALATING:
        return UP[base]
    if large and base == "community":
        return "street"
    return base


def _halves(items: list[str]) -> tuple[list[str], list[str]]:
    """Cut a fragment list: every fifth fragment (or the last) only for the held-out part."""
    test = [item for i, item in enumerate(items) if i % 5 == 4] or items[-1:]
    return [item for item in items if item not in test], test


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(["某", "某某", "某", "某甲", "某乙"])


class Composer:
    """Draws fragments from one half (training or held-out) of every list."""

    def __init__(self, rng: random.Random, part: int) -> None:
        self.rng = rng
        self.part = part

    def pick(self, items: list[str]) -> str:
        return self.rng.choice(_halves(items)[self.part])

    def narrative(self, dispute_type: str) -> dict[str, Any]:
        rng = self.rng
        register = rng.choice(list(TEMPLATES))
        count = rng.choices([0, 1, 2], weights=[45, 38, 17])[0]
        risks = set(rng.sample(RISKS, count))
        large = rng.random() < 0.25
        if "violence_threat" in risks and rng.random() < 0.3:
            risks.add("criminal_escalation")
            extras = [self.pick(DUAL)]
            extras += [
                self.pick(RISK_PHRASES[r]) for r in sorted(risks) if r not in ESCALATING_PAIR
            ]
        else:
            extras = [self.pick(RISK_PHRASES[risk]) for risk in sorted(risks)]
        words = LEXICON[dispute_type] + LEXICON_MORE[dispute_type]
        for _ in range(rng.choice([1, 1, 2])):
            template, kw, kw2 = self.pick(TOPIC), self.pick(words), self.pick(words)
            if kw2 == kw:  # "涉及家务事和家务事": take the next word instead, no extra draw
                half = _halves(words)[self.part]
                kw2 = half[(half.index(kw) + 1) % len(half)]
            extras.append(template.format(kw=kw, kw2=kw2))
        others = [risk for risk in RISKS if risk not in risks]
        for risk in rng.sample(others, rng.choice([0, 0, 1, 1, 2])):
            extras.append(self.pick(NEGATED[risk]))
        if rng.random() < 0.35:
            extras.append(self.pick(DISTRACTORS))
        if large and rng.random() < 0.6:
            extras.append(self.pick(LARGE))
        rng.shuffle(extras)
        extra = "".join(f"{piece}{rng.choice(['。', '，', '；'])}" for piece in extras)
        if extra:
            extra = extra[:-1] + "。"
        fragments = {
            kind: TYPES[dispute_type][kind] + MORE[dispute_type][kind]
            for kind in ("facts", "quarrels", "requests")
        }
        fragments["facts"] = fragments["facts"] + THIRD[dispute_type]
        applicant = "我" if register == "online" else _name(rng)
        values = {
            "A": applicant,
            "B": _name(rng),
            "name": _name(rng),
            "n": str(rng.randint(1, 30)),
            "c": rng.choice("一二三四五六七八"),
            "big": str(rng.choice([12, 18, 25, 30, 46, 60, 85, 120, 300])),
            "money": (
                f"{rng.choice([12, 15, 20, 28, 35, 50, 80])}万元"
                if large
                else f"{rng.choice([300, 800, 1200, 2600, 3500, 5000, 6800, 9000])}元"
            ),
            "time": rng.choice(TIMES),
            "court": rng.choice(COURTS),
            "station": rng.choice(STATIONS),
            "office": rng.choice(OFFICES),
            "cause": rng.choice(CAUSE[dispute_type]) if rng.random() < 0.5 else "纠纷",
        }
        values["place"] = rng.choice(PLACES).format(**values)
        values["group_n"] = values["n"]
        template = rng.choice(TEMPLATES[register])
        parts = {
            "fact": self.pick(fragments["facts"]),
            "quarrel": self.pick(fragments["quarrels"]),
            "request": self.pick(fragments["requests"]),
            "extra": extra,
        }
        # Fill twice: the fragments carry placeholders of their own.
        values["n"] = str(rng.choice([10, 12, 20, 30, 40, 50, 60]))
        text = template.format(**{**values, **parts}).format(**values)
        text = text.replace("。。", "。").replace("，。", "。")
        return {
            "text": text,
            "channel": rng.choice(CHANNELS[register]),
            "register": register,
            "dispute_type": dispute_type,
            "risks": sorted(risks),
            "tier": tier_for(dispute_type, risks, large),
        }


def build(seed: int = SEED, per_type: int = PER_TYPE) -> list[dict[str, Any]]:
    rng = random.Random(seed)  # noqa: S311 - a reproducible corpus, not a secret
    train, test = Composer(rng, 0), Composer(rng, 1)
    rows: list[dict[str, Any]] = []
    for dispute_type in TYPES:
        for i in range(per_type):
            held_out = i < per_type * TEST_SHARE
            row = (test if held_out else train).narrative(dispute_type)
            row["split"] = "test" if held_out else "train"
            rows.append(row)
    for number, row in enumerate(rows, start=1):
        row["id"] = f"g{number:05d}"
    return rows


def write(path: Path = OUT) -> int:
    rows = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(rows)


if __name__ == "__main__":
    print(f"{write()} narratives written to {OUT}")
