"""Cue words of the dispute types the character n-grams confuse most (contract, business,
consumer, damages, housing, neighbours, other): whole words and short patterns that an intake
clerk reads as the sign of a type. They are features of the type model, not rules that decide:
the linear model learns how much each list counts, so a cue that misleads is outweighed.

Why: two-character grams split 借条, 转包, 违约金, 宅基地 into pieces that also occur in other
types; a whole-word cue keeps the word together."""

from __future__ import annotations

import re

CUES: dict[str, list[str]] = {
    "contract": [
        r"借条|欠条|借款|借了.{0,6}(?:万|千|块|元)|借给.{0,6}(?:万|千|块|元)|还钱|民间借贷",
        r"租期|房租|租金|租赁|转租|退租|租给|租了|押金",
        r"违约金|违约|定金|订金|合同|协议|约定|说好",
        r"合伙|退伙|散伙|入股|分红",
        r"转包|承包费|包工包料|外包|担保|尾款|货到付款|佣金|中介",
    ],
    "business": [
        r"公司|企业|厂|商贸|商会|工商联|股东|加盟|总部|代理|经销|供货|货款|进场费|代工",
        r"商户|商家之间|同行|抢客户|挖走|压价|商事",
    ],
    "consumer": [
        r"店家|商家|店主|老板说|会员卡|储值卡|充值|年卡|次卡|退一赔三|消费者|保修|退货|换货",
        r"买的|买了|购买|办了|报了|套餐",
    ],
    "damages": [
        r"砸坏|砸伤|撞坏|撞伤|撞倒|咬伤|咬坏|踩坏|啃|烧坏|泡坏|打碎|刮倒|剐蹭|摔倒|摔伤|划伤|弄坏|损坏",
        r"赔偿|医药费|修理费|维修费|误工费|赔多少|只肯赔|不愿赔|不肯赔|要求赔",
    ],
    "housing_homestead": [
        r"宅基地|房产证|不动产|过户|产权|交房|开发商|期房|商品房|二手房|小产权|确权|翻建|盖房|建房|山墙|地基|老宅|祖屋",
    ],
    "neighbours": [
        r"邻居|隔壁|楼上|楼下|对门|两家|邻里|共用|院墙|巷道|排水沟|滴水|采光|噪音|油烟",
    ],
    "other": [
        r"捡到|走丢|彩票|份子钱|随礼|凑钱|AA|赌债|打牌|麻将|借.{0,4}(?:梯子|相机|身份证|手机)|牌位|祠堂|墓地|冒领|代收",
    ],
}

_COMPILED = [(name, [re.compile(p) for p in patterns]) for name, patterns in CUES.items()]
CUE_NAMES = [f"{name}:{i}" for name, patterns in CUES.items() for i in range(len(patterns))]


def cue_counts(text: str) -> list[float]:
    """For every cue list, how many times it matches (0, 1, 2 …): one number per list."""
    return [float(len(p.findall(text))) for _, patterns in _COMPILED for p in patterns]
