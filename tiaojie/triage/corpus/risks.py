"""Hand-written risk fragments: phrases that carry a risk (several paraphrases per risk), the
same words under a negation (no risk), and words that look risky but are not."""

from __future__ import annotations

RISK_PHRASES: dict[str, list[str]] = {
    "violence_threat": [
        "{B}扬言要弄死{A}",
        "{B}放话说再闹就找人收拾{A}",
        "{B}拿着菜刀堵在{A}家门口",
        "{B}威胁要放火烧了{A}家的房子",
        "双方发生推搡，{A}脸上被抓伤",
        "{B}动手打了{A}，{A}鼻子流血",
        "{B}扛着铁锹追打{A}",
        "{B}说要让{A}一家不得安宁，见一次打一次",
        "双方持棍棒对峙，险些打起来",
        "{B}揪住{A}的衣领打了两拳",
        "{B}当众威胁要卸了{A}一条腿",
        "{B}扬言要带人上门砸东西",
    ],
    "self_harm": [
        "{A}扬言不解决就喝农药",
        "{A}说再不给个说法就从楼上跳下去",
        "{A}情绪低落，多次说活着没意思",
        "{A}曾经有过轻生的念头",
        "{A}站到楼顶边缘要跳楼，被民警劝下",
        "{A}以死相逼，说要死在{B}家门口",
        "{A}流露出自杀倾向",
        "{A}在家中割腕，被家人及时送医",
        "{A}说不想活了，已经写好了遗书",
        "{A}称要一死了之",
    ],
    "group": [
        "{n}多名工人聚集在项目部门口讨要说法",
        "{n}多户居民联名反映",
        "数十名村民聚集在村委会门口",
        "{n}余名业主拉横幅表达诉求",
        "涉及{n}余户群众，人数较多",
        "部分群众聚集堵路，影响交通",
        "{n}多人集体到街道办反映",
        "多名工人相约集体讨薪",
        "一个组的村民集体到乡政府反映",
        "{n}余名学员家长一起来维权",
    ],
    "petition_escalation": [
        "{A}多次到区信访局上访",
        "{A}扬言要去北京上访",
        "{A}已经到省里上访两次",
        "{A}曾越级上访",
        "{A}反复信访，属于缠访",
        "{A}称不解决就进京",
        "{A}多次拨打市长热线并到市政府门口反映",
        "{A}表示要一级一级往上告",
        "{A}说已经写好信准备寄到中央",
        "{A}近三个月重复信访十余次",
    ],
    "criminal_escalation": [
        "矛盾激化，存在民转刑风险",
        "{B}扬言要报复",
        "双方积怨很深，随时可能发生冲突",
        "{B}已经准备了刀具",
        "{B}曾因此事被行政拘留过",
        "双方多次发生肢体冲突，矛盾不断升级",
        "如不及时化解，可能引发刑事案件",
        "两家结怨已久，有激化为刑事案件的苗头",
        "{B}说要跟{A}同归于尽",
        "{B}声称要找社会上的人来解决",
    ],
    "vulnerable": [
        "{A}年过八旬，身体不好",
        "{A}家里有一个智力残疾的儿子",
        "{A}的孩子才六岁",
        "{A}是独居老人",
        "{A}系残疾人，行动不便",
        "此事涉及未成年子女的抚养",
        "{A}七十多岁的老母亲卧病在床",
        "{A}持有残疾证",
        "{A}是村里的五保户，孤寡老人",
        "受伤的是一名十二岁的小学生",
        "{A}是聋哑人，由家属陪同",
        "{A}已经八十六岁高龄",
    ],
    "media_attention": [
        "{A}已经在抖音上发了视频",
        "{A}称要找记者曝光",
        "相关视频在网上传播，引发网民关注",
        "{A}在微博上发帖，转发量很大",
        "已有媒体记者前来采访",
        "事情在朋友圈和业主群被大量转发",
        "存在舆情风险",
        "{A}说要在网上直播讨说法",
        "当地论坛上有人发帖炒作此事",
        "{A}联系了电视台的民生栏目",
    ],
}

# Threats to kill or to come back in force: both a threat of violence and a dispute that may
# turn criminal (民转刑). Used for some narratives that carry ``violence_threat``.
DUAL: list[str] = [
    "{B}扬言要杀了{A}全家",
    "{B}持刀上门，扬言要{A}的命",
    "{B}扬言要带人来报复{A}",
    "{B}说再不给钱就要出人命",
    "{B}放话说下次见面就不是打一顿那么简单了",
    "{B}扬言要天天带人来堵门，直到{A}低头",
]

# The same subjects with a negation: a narrative with these has NOT got the risk.
NEGATED: dict[str, list[str]] = {
    "violence_threat": [
        "双方没有动手",
        "未发生肢体冲突",
        "双方虽有争吵，但没有打架",
        "{B}没有威胁{A}",
        "双方无过激行为",
    ],
    "self_harm": [
        "{A}情绪稳定，没有轻生念头",
        "未发现自杀倾向",
        "{A}没有过激的想法",
        "无自伤自残的迹象",
    ],
    "group": [
        "暂无群体性苗头",
        "未发现人员聚集",
        "只涉及双方两户，不涉众",
        "没有组织他人一起来",
    ],
    "petition_escalation": [
        "{A}表示不会去上访",
        "{A}此前未信访",
        "没有越级上访的打算",
        "{A}没有去过信访部门",
    ],
    "criminal_escalation": [
        "矛盾尚未激化",
        "暂无民转刑风险",
        "双方并无积怨",
        "没有发现报复苗头",
    ],
    "vulnerable": [
        "双方都是青壮年",
        "{A}身体健康，能自己办事",
        "家中没有老人小孩需要照顾",
        "{A}的子女都已成年，在外地工作",
    ],
    "media_attention": [
        "未在网上发布相关信息",
        "{A}没有找媒体",
        "暂无舆情",
        "{A}表示不会发到网上",
    ],
}

# Plain details a narrative may carry: they name old people, children, the internet or a crowd
# without being a risk, so that a model cannot learn a risk from one word.
DISTRACTORS: list[str] = [
    "{A}的孩子在外地上大学",
    "{A}在网上查了相关法律规定",
    "{A}的父母帮忙带孩子",
    "事情发生时有几个邻居在场",
    "{A}在微信上给{B}发过消息",
    "{A}说这事本来不想闹大",
    "{B}的老伴也在场劝架",
    "{A}之前咨询过律师",
    "{A}拍了照片留作证据",
    "{A}请村里的老人帮忙说和过",
]

# Words of scale: an amount or a crowd that moves a community dispute to the street.
LARGE: list[str] = [
    "涉及金额{big}万余元",
    "标的额较大，约{big}万元",
    "争议金额达{big}万元",
]
