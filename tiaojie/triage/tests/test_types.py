"""Model 3: the dispute type of everyday intake phrasings of the types model 2 confused most
(contract, business, consumer, damages, housing, neighbours, other), the cue words the type
model sees, and the cross-validation that measures it. None of these narratives is in the
corpus or a development set."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests import personas as p
from tests.api.schema import call
from tiaojie.triage import model
from tiaojie.triage.crossval import cross_validate
from tiaojie.triage.cues import CUE_NAMES, cue_counts

Api = Callable[[str], Client]
Login = Callable[[str], Client]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "dispute_type"),
    [
        ("来电人称去年把商铺租给别人卖水果，租客欠了半年房租，还把铺子转租给了别人。", "contract"),
        ("我借给老同学三万块钱，写了借条，说好年底还，现在他微信把我拉黑了。", "contract"),
        ("商会转来：两家五金公司之间拖欠货款四十多万元，请求商事调解。", "business"),
        ("来电人称在小区门口的干洗店洗坏了一件大衣，店家只肯赔两倍洗衣费。", "consumer"),
        ("网格员：邻居家的牛跑进刘某的麦地，踩坏了半亩麦苗，两家为赔多少争执。", "damages"),
        (
            "网格员记录：村民在自家宅基地上翻建新房，地基比原来往外扩了一米，后排邻居说挡了路。",
            "housing_homestead",
        ),
        ("来电人称楼下邻居每天半夜在院子里烧烤，油烟和吵闹声让她没法睡觉。", "neighbours"),
        ("来电人称捡到一个钱包还给失主后，失主说里面少了五百块钱要她赔。", "other"),
    ],
)
def test_everyday_phrasings_of_the_weak_types_are_read_as_that_type(
    api_as: Api, text: str, dispute_type: str
) -> None:
    response = call(
        api_as(p.MEDIATOR_A), "post", "/screening/classify", {"text": text, "channel": "hotline"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["dispute_type"] == dispute_type, body["scores"]["dispute_type"]
    assert body["model_version"].startswith("9.")


@pytest.mark.django_db
def test_the_intake_panel_suggests_contract_for_a_lease_in_arrears(client_as: Login) -> None:
    page = client_as(p.MEDIATOR_A).post(
        reverse("triage:suggest"),
        {
            "narrative": "我把门面租给王某开早餐店，租期三年，他已经四个月没交房租了。",
            "source": "online",
        },
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-type="contract"' in html
    assert "<dd>合同</dd>" in html


def test_a_whole_word_cue_is_counted_once_per_occurrence() -> None:
    counts = dict(zip(CUE_NAMES, cue_counts("借条上写着借款两万，房租另算。"), strict=True))
    assert counts["contract:0"] == 2  # 借条, 借款
    assert counts["contract:1"] == 1  # 房租
    assert sum(cue_counts("两家人吵了一架。")) == 1  # 两家: a neighbours cue


def test_cross_validation_reads_each_set_with_a_model_that_did_not_learn_it() -> None:
    seen: list[int] = []

    def small(rows: list[dict[str, Any]]) -> dict[str, Any]:
        seen.append(sum(r["split"] == "handwritten_dev2" for r in rows))
        return model.train(rows[::3])

    result = cross_validate(["dev2"], trainer=small)
    assert seen == [0]
    assert result["folds"]["dev2"]["n"] == result["pooled"]["n"] == 160
    assert 0.0 < result["pooled"]["type_macro_f1"] <= 1.0


def test_evaluate_reads_dev_set_four_by_its_new_name() -> None:
    out = StringIO()
    call_command("evaluate_classifier", "--set", "dev4", stdout=out)
    assert "dev set 4" in out.getvalue()
    assert "type macro-F1" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "dispute_type"),
    [
        # Model 4's cue lists and the labelling guide: a service a household buys from a business
        # is consumer even under a contract; a guarantee or land let out is contract.
        ("来电人称在镇上驾校报名交了三千八，半年了还没约上一次车，驾校不退学费。", "consumer"),
        ("我在婚纱摄影店订了套餐，拍完三个月了还不给相册。", "consumer"),
        ("来电人称给同村人作保借了银行贷款，对方不还，银行扣了他的存款。", "contract"),
        (
            "市场监管局转：两家包装相似的食品企业，一方说对方仿冒其包装装潢。",
            "intellectual_property",
        ),
        ("我帮邻村人盖房干了二十多天，说好一天两百，到现在工钱一分没给。", "unpaid_wages"),
        ("网格员：侄子结婚他随礼两千，他儿子结婚侄子只随了五百，两家翻了脸。", "other"),
    ],
)
def test_model_4_reads_the_types_its_cue_lists_were_written_for(
    api_as: Api, text: str, dispute_type: str
) -> None:
    body = call(
        api_as(p.MEDIATOR_A), "post", "/screening/classify", {"text": text, "channel": "hotline"}
    ).json()
    assert body["dispute_type"] == dispute_type, body["scores"]["dispute_type"]


def test_the_cue_lists_of_model_4_count_their_words() -> None:
    counts = dict(zip(CUE_NAMES, cue_counts("驾校报名交了学费，合伙人说要退伙结算。"), strict=True))
    assert counts["consumer:2"] == 3  # 驾校, 报名, 学费
    assert counts["business:3"] == 2  # 合伙人, 退伙结算
    assert counts["intellectual_property:0"] == 0
