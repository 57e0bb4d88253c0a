"""申请前指引: each common dispute type has its page in plain words (what mediation can and
cannot do, what to bring, what an agreement does, other routes, time limits), the templates
download, and "what happened?" leads to the application with the type already chosen."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tiaojie.cases.models import DisputeType
from tiaojie.documents.formatting import dispute_name
from tiaojie.public import guide
from tiaojie.public.tests.helpers import sign_in

pytestmark = pytest.mark.django_db

# The types the issue names, by their dictionary codes.
COMMON = [
    "marriage_family",
    "neighbours",
    "housing_homestead",
    "contract",
    "damages",
    "labour",
    "property_management",
    "consumer",
    "medical",
    "traffic",
]


def test_every_guide_is_a_dispute_type_of_the_dictionary() -> None:
    codes = set(DisputeType.objects.values_list("code", flat=True))
    assert set(COMMON) <= set(guide.GUIDES) <= codes
    assert {s.code for s in guide.SITUATIONS} <= set(guide.GUIDES)


@pytest.mark.parametrize("code", COMMON)
def test_each_type_has_its_guidance_in_plain_words(code: str) -> None:
    page = Client().get(reverse("public:guide_topic", args=[code])).content.decode()
    name = dispute_name(DisputeType.objects.get(code=code).name)
    assert f"{name}：申请前须知" in page
    for heading in ("人民调解能帮您做什么", "哪些事调解管不了", "要准备什么材料", "其他途径"):
        assert heading in page
    assert "人民调解不收费" in page and "对方明确拒绝的，不能调解" in page
    assert "三十日内" in page and "强制执行" in page
    assert "诉讼时效一般为三年" in page and "12348" in page
    assert f"{reverse('public:apply')}?type={code}" in page


def test_the_type_specific_statements() -> None:
    def page(code: str) -> str:
        return Client().get(reverse("public:guide_topic", args=[code])).content.decode()

    labour = page("labour")
    assert "劳动争议仲裁的时效为一年" in labour and "支付令" in labour and "12333" in labour
    assert "不能解除婚姻关系" in page("marriage_family")
    assert "第七十四条" in page("traffic") and "交通事故认定书" in page("traffic")
    assert "第二十二条" in page("medical") and "复制自己的病历" in page("medical")
    assert "12315" in page("consumer")
    assert "由人民政府处理" in page("housing_homestead")


def test_an_unknown_type_is_not_found() -> None:
    assert Client().get(reverse("public:guide_topic", args=["astrology"])).status_code == 404


def test_the_question_leads_to_the_type_and_on_to_apply_with_it_chosen() -> None:
    client = Client()
    start = client.get(reverse("public:guide")).content.decode()
    assert "发生了什么事？" in start and "和邻居：漏水、噪音、通道、树木" in start
    response = client.get(reverse("public:guide"), {"type": "neighbours"})
    assert response.status_code == 302
    assert response["Location"] == reverse("public:guide_topic", args=["neighbours"])
    # Nothing chosen: the question again with a plain message.
    assert (
        "请选择发生了什么事" in client.get(reverse("public:guide"), {"type": "x"}).content.decode()
    )
    sign_in(client)
    apply_page = client.get(f"{reverse('public:apply')}?type=neighbours").content.decode()
    neighbours = DisputeType.objects.get(code="neighbours").pk
    assert f'value="{neighbours}" id="id_dispute_type_' in apply_page
    checked = apply_page.split(f'value="{neighbours}"')[1].split(">")[0]
    assert "checked" in checked


def test_signed_out_the_apply_button_signs_in_and_keeps_the_type() -> None:
    response = Client().get(f"{reverse('public:apply')}?type=labour")
    assert response.status_code == 302
    assert "type%3Dlabour" in response["Location"]


@pytest.mark.parametrize(
    ("name", "title", "must"),
    [
        ("application", "人民调解申请书", ("申请事项", "现自愿申请人民调解委员会进行调解", "姓名")),
        ("evidence", "证据清单", ("证明什么", "页数")),
        ("agreement", "人民调解协议书", ("人民调解委员会印", "不是协议")),
    ],
)
def test_the_templates_print_and_download(name: str, title: str, must: tuple[str, ...]) -> None:
    url = reverse("public:guide_form", args=[name])
    page = Client().get(url)
    assert page.status_code == 200 and title in page.content.decode()
    assert all(text in page.content.decode() for text in must)
    download = Client().get(url, {"download": "1"})
    assert download["Content-Disposition"].startswith("attachment;")
    assert title in download.content.decode()
    assert Client().get(reverse("public:guide_form", args=["nothing"])).status_code == 404


def test_home_and_apply_link_to_the_guidance() -> None:
    client = Client()
    assert reverse("public:guide") in client.get(reverse("public:home")).content.decode()
    sign_in(client)
    assert reverse("public:guide") in client.get(reverse("public:apply")).content.decode()
