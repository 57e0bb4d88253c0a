"""The reader, the classify API, the intake suggestion and what the user chose."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from conftest import World
from tests import personas as p
from tests.api.schema import call
from tiaojie.accounts.models import User
from tiaojie.cases.demo import seed_demo_cases
from tiaojie.cases.models import Case, DisputeType
from tiaojie.cases.tests.factories import register
from tiaojie.triage.corpus.build import build
from tiaojie.triage.demo import SUMMARY, seed_triage_demo
from tiaojie.triage.model import CORPUS, load_rows, train
from tiaojie.triage.models import Suggestion
from tiaojie.triage.rules import find_risks

Api = Callable[[str], Client]
Login = Callable[[str], Client]

THREAT = "12345：邻居因为楼上漏水吵了很多次，楼上那家男的扬言要拿刀砍人，楼下老人八十多岁了。"


def test_a_risk_names_the_phrase_and_a_negation_cancels_it() -> None:
    found = {e.risk: e.phrase for e in find_risks(THREAT)}
    assert "扬言要拿刀砍人" in found["violence_threat"]
    assert "八十多岁" in found["vulnerable"]
    assert find_risks("双方争吵，但没有动手，也未发生肢体冲突，表示不会去上访。") == []


@pytest.mark.parametrize(
    "text",
    [
        # Everyday words that contain 打, 死 or 跳 are no risk.
        "秦某跟老婆打官司离婚打了两年，现在想先调解把孩子的事定下来。",
        "丈夫死活不同意把孩子的户口迁到她这边，打电话也不接。",
        "我跳槽去外地的时候把房子转租给了同事，房东说我违约。",
        # Past and settled: history, not a risk today.
        "两年前宋某与邻居曾因装修噪音动过手，已经调解好了，现在为水费分摊有点意见。",
        "这户人家以前扬言要上访，经过几次做工作已经签了协议，只剩过渡费标准有分歧。",
        # Hearsay about others, and a guard against a risk.
        "物业经理说，听说隔壁小区有业主因为物业费跳楼了，让他别闹。",
        "物业把楼顶天台锁了，说是防止有人跳楼，业主们晒被子没地方了。",
        # An age below seventy, a crowd facing a crowd without blows, a self-published page.
        "老两口闹离婚，都七十岁以下，身体还硬朗。",
        "两个村的村民在河坝上聚集对峙，互相指责。",
    ],
)
def test_everyday_words_history_and_hearsay_suggest_no_such_risk(text: str) -> None:
    found = {e.risk for e in find_risks(text)}
    assert not found & {"violence_threat", "self_harm", "petition_escalation"}
    assert "vulnerable" not in found


@pytest.mark.parametrize(
    ("text", "risk"),
    [
        ("警情：业主扇了保洁员一耳光。", "violence_threat"),
        ("两人在夜市因座位问题发生口角后互殴。", "violence_threat"),
        ("女子与丈夫争吵后服下大量安眠药，经抢救脱离危险。", "self_harm"),
        ("拆迁户放话说谁来拆房子就跟谁拼命，已经在家里囤了汽油。", "criminal_escalation"),
        ("今年曾多次到县里上访，称要去北京。", "petition_escalation"),
    ],
)
def test_new_phrasings_are_read_and_a_past_risk_still_counts_when_not_settled(
    text: str, risk: str
) -> None:
    assert risk in {e.risk for e in find_risks(text)}


def test_training_is_reproducible() -> None:
    rows = [r for r in load_rows(CORPUS) if r["split"] == "train"]
    first, second = train(rows[::4]), train(rows[::4])
    assert first["version"] == second["version"]
    assert (first["type_coef"] == second["type_coef"]).all()


@pytest.mark.django_db
def test_classify_answers_type_risks_tier_and_evidence(api_as: Api) -> None:
    response = call(
        api_as(p.MEDIATOR_A), "post", "/screening/classify", {"text": THREAT, "channel": "hotline"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["dispute_type"] == "neighbours"
    assert set(body["risks"]) >= {"violence_threat", "vulnerable"}
    assert body["tier"] in {"community", "street", "district", "sectoral"}
    assert {"risk": "vulnerable", "phrase": "楼下老人八十多岁了", "source": "rule"} in body[
        "evidence"
    ]
    assert DisputeType.objects.filter(code=body["dispute_type"]).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "", "channel": "hotline"}, "text"),
        ({"text": "   ", "channel": "hotline"}, "text"),
        ({"text": "吵" * 10_001, "channel": "hotline"}, "text"),
        ({"text": THREAT, "channel": "carrier_pigeon"}, "channel"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_in_chinese(
    api_as: Api, body: dict[str, str], field: str
) -> None:
    client = api_as(p.MEDIATOR_A)
    response = client.post(
        "/api/v1/screening/classify",
        body,
        content_type="application/json",
        headers={"accept-language": "zh-hans"},
    )
    assert response.status_code == 422
    message = response.json()["fields"][field][0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message


@pytest.mark.django_db
def test_the_intake_suggestion_shows_phrases_and_the_registered_choice_is_kept(
    client_as: Login,
) -> None:
    client = client_as(p.MEDIATOR_A)
    narrative = "楼上住户半夜拖椅子，噪音很大，多次沟通无果。楼上男子扬言要弄死我，我家孩子才六岁。"
    page = client.post(reverse("triage:suggest"), {"narrative": narrative, "source": "online"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "扬言要弄死我" in html
    assert "孩子才六岁" in html
    suggestion = Suggestion.objects.get()
    assert suggestion.case is None
    # Typing the same text again keeps one suggestion.
    client.post(reverse("triage:suggest"), {"narrative": narrative, "source": "online"})
    assert Suggestion.objects.count() == 1

    actor = User.objects.get(username=p.MEDIATOR_A)
    case = register(
        actor,
        narrative=narrative + "\n",
        dispute_type=DisputeType.objects.get(code="environment"),
        is_group=False,
    )
    suggestion.refresh_from_db()
    assert suggestion.case == case
    assert suggestion.chosen_type == "environment"
    assert suggestion.type_accepted is (suggestion.suggested_type == "environment")


@pytest.mark.django_db
def test_a_too_long_narrative_gets_a_message_not_a_suggestion(client_as: Login) -> None:
    page = client_as(p.MEDIATOR_A).post(reverse("triage:suggest"), {"narrative": "吵" * 10_001})
    assert page.status_code == 200
    assert Suggestion.objects.count() == 0
    assert "10000" in page.content.decode()


def test_the_demo_queues_a_risky_dispute_whose_phrases_the_queue_shows(
    world: World, client_as: Login
) -> None:
    seed_demo_cases(count=40)
    seed_triage_demo()
    case = Case.objects.get(summary=SUMMARY)
    suggestion = Suggestion.objects.get(case=case)
    assert suggestion.chosen_type == "neighbours"
    assert {"violence_threat", "vulnerable", "media_attention"} <= set(suggestion.suggested_risks)
    page = client_as(p.STREET).get(reverse("routing:queue")).content.decode()
    assert "扬言再来敲门就弄死他" in page
    seed_triage_demo()
    assert Case.objects.filter(summary=SUMMARY).count() == 1
    assert Suggestion.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_the_intake_form_asks_triage_for_a_suggestion_as_the_narrative_is_typed(
    client_as: Login,
) -> None:
    page = client_as(p.MEDIATOR_A).get(reverse("cases:case_register")).content.decode()
    assert 'hx-post="/triage/suggest"' in page
    assert "from:#id_narrative" in page
    assert reverse("triage:suggest") == "/triage/suggest"


def test_the_generator_never_names_one_word_twice_in_a_topic() -> None:
    """ "涉及家务事和家务事": the two words of a topic are drawn apart (any seed)."""
    for seed in (1, 2, 3):
        for row in build(seed=seed, per_type=20):
            for first, second in re.findall(r"涉及([^，。；和]+)和([^，。；]+)", row["text"]):
                assert first != second, row["text"]
