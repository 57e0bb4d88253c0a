"""Applying online: the interview follows the answers, the application becomes a case through
the intake service (source online) in the governance centre's queue, with its evidence, and the
respondent is texted a link. The applicant follows it in plain words and sees the other side
masked; another citizen finds nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tiaojie.cases.choices import CaseSource, CaseStatus, PartyRole
from tiaojie.cases.models import Case, DisputeType
from tiaojie.organisations.models import Organisation
from tiaojie.public import interview
from tiaojie.public.models import Application, Evidence, Invitation
from tiaojie.public.tests.helpers import (
    OTHER_PHONE,
    RESPONDENT_PHONE,
    answer_neighbours_leak,
    apply_online,
    details,
    last_text,
    routed_to_committee_a,
    sign_in,
)

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200


def _walk(tree: interview.Tree, qid: str | None, seen: frozenset[str]) -> None:
    if qid is None:
        return
    assert qid not in seen, qid
    question = tree.questions[qid]
    targets = [o.next for o in question.options] if question.is_choice else [question.next]
    for target in targets:
        _walk(tree, target, seen | {qid})


def test_every_tree_ends_and_names_only_its_own_questions() -> None:
    codes = set(DisputeType.objects.values_list("code", flat=True))
    for code, tree in [*interview.TREES.items(), ("generic", interview.GENERIC)]:
        assert code in codes or code == "generic"
        assert tree.start in tree.questions
        for question in tree.questions.values():
            targets = [o.next for o in question.options] if question.is_choice else [question.next]
            for target in targets:
                assert target is None or target in tree.questions, (code, question.id)

        # Walking any path ends: no question is asked twice on one path.
        _walk(tree, tree.start, frozenset())


def test_the_next_question_depends_on_the_last_answer() -> None:
    client = Client()
    sign_in(client)
    client.post(
        reverse("public:apply"), {"dispute_type": DisputeType.objects.get(code="neighbours").pk}
    )
    url = reverse("public:apply_question")
    assert "您和邻居因为什么事发生纠纷" in client.get(url).content.decode()
    client.post(url, {"question": "about", "value": "noise"})
    assert "噪音通常在什么时间出现" in client.get(url).content.decode()
    client.post(url, {"back": "1"})
    client.post(url, {"question": "about", "value": "leak"})
    page = client.get(url).content.decode()
    assert "漏水是否已经修好" in page and "噪音通常" not in page
    # A stale answer (to a question already passed) is refused, nothing changes.
    response = client.post(url, {"question": "about", "value": "noise"})
    assert "该问题已回答" in response.content.decode()


def test_an_unverified_citizen_is_sent_to_the_real_name_step() -> None:
    client = Client()
    sign_in(client, real_name=False)
    response = client.get(reverse("public:apply"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("public:real_name"))


def test_the_application_lands_in_the_centres_queue_with_its_evidence() -> None:
    client = Client()
    citizen = sign_in(client)
    answer_neighbours_leak(client)
    photo = SimpleUploadedFile("ceiling.jpg", JPEG, content_type="image/jpeg")
    response = client.post(reverse("public:apply_details"), {**details(), "files": [photo]})
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get(online_application__citizen=citizen)
    assert response["Location"] == reverse("public:my_case", args=[case.pk])
    # 东湖社区's street centre takes online applications: the case waits in its queue.
    assert case.source == CaseSource.ONLINE
    assert case.status == CaseStatus.QUEUED
    assert case.committee == Organisation.objects.get(name="东湖街道司法所")
    assert case.registered_by is None
    assert "漏水是否已经修好" in case.narrative
    # The committee the applicant chose stays in the transcript they answered; it is also
    # kept on the case as data, which routing proposes first (ADR 0041).
    assert case.wished_committee == Organisation.objects.get(name="东湖社区人民调解委员会")
    assert "向哪里申请\n东湖社区人民调解委员会" in case.narrative
    assert Application.objects.get(case=case).answers[-1] == [
        "向哪里申请",
        "东湖社区人民调解委员会",
    ]
    applicant = case.parties.get(role=PartyRole.APPLICANT)
    assert applicant.name == "赵丽华" and applicant.id_number == citizen.id_number
    assert Evidence.objects.get(case=case).original_name == "ceiling.jpg"
    # The respondent is texted a link that names nobody.
    text = last_text(RESPONDENT_PHONE)
    assert "/m/r/" in text and "赵丽华" not in text and "孙大伟" not in text
    assert Invitation.objects.filter(case=case, party__role=PartyRole.RESPONDENT).exists()
    # The list shows it in plain words.
    page = client.get(reverse("public:my_cases")).content.decode()
    assert "楼上漏水，天花板发霉" in page and "已收到，正在分派调委会" in page


def test_a_committee_outside_any_online_centre_registers_it_directly() -> None:
    client = Client()
    sign_in(client)
    answer_neighbours_leak(client)
    committee = Organisation.objects.filter(
        kind="committee", path__startswith=Organisation.objects.get(name="西山区司法局").path
    ).first()
    assert committee is not None
    response = client.post(
        reverse("public:apply_details"), details(committee=f"committee:{committee.pk}")
    )
    assert response.status_code == 302
    case = Case.objects.get(source=CaseSource.ONLINE)
    assert case.status == CaseStatus.REGISTERED and case.committee == committee


def test_a_disguised_file_is_refused_and_nothing_is_created() -> None:
    client = Client()
    sign_in(client)
    answer_neighbours_leak(client)
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    response = client.post(reverse("public:apply_details"), {**details(), "files": [fake]})
    assert response.status_code == 200
    assert "JPG" in response.content.decode()
    assert not Case.objects.filter(source=CaseSource.ONLINE).exists()
    # Nothing typed is lost.
    assert "楼上漏水，天花板发霉" in response.content.decode()


def test_bad_input_is_named_on_its_field() -> None:
    client = Client()
    sign_in(client)
    answer_neighbours_leak(client)
    response = client.post(
        reverse("public:apply_details"), details(respondent_phone="123", committee="")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "请输入11位手机号码" in page
    assert not Application.objects.exists()


def test_the_other_side_is_masked_and_another_citizen_finds_nothing() -> None:
    client = Client()
    sign_in(client)
    answer_neighbours_leak(client)
    client.post(reverse("public:apply_details"), details())
    case = Case.objects.get(source=CaseSource.ONLINE)
    page = client.get(reverse("public:my_case", args=[case.pk])).content.decode()
    assert "孙大伟" not in page and RESPONDENT_PHONE not in page
    assert "孙*" in page or "孙**" in page
    stranger = Client()
    sign_in(stranger, OTHER_PHONE)
    assert stranger.get(reverse("public:my_case", args=[case.pk])).status_code == 404
    evidence_url = reverse("public:my_evidence", args=[case.pk, 1])
    assert stranger.get(evidence_url).status_code == 404


def test_the_party_and_the_mediator_exchange_messages(client_as: object) -> None:
    client = Client()
    sign_in(client)
    case = routed_to_committee_a(apply_online(client))
    client.post(reverse("public:my_case", args=[case.pk]), {"text": "请问什么时候调解？"})
    staff = client_as("demo_mediator")  # type: ignore[operator]
    page = staff.get(reverse("public:online_case", args=[case.pk])).content.decode()
    assert "请问什么时候调解？" in page
    staff.post(reverse("public:message_send", args=[case.pk]), {"text": "本周五下午三点。"})
    assert (
        "本周五下午三点。" in client.get(reverse("public:my_case", args=[case.pk])).content.decode()
    )
    # The sibling committee's mediator does not see committee A's case.
    other = client_as("demo_mediator_b")  # type: ignore[operator]
    assert other.get(reverse("public:online_case", args=[case.pk])).status_code == 404
    assert (
        other.post(reverse("public:message_send", args=[case.pk]), {"text": "x"}).status_code == 404
    )


def test_the_staff_case_page_shows_an_online_application(client_as: object) -> None:
    """No staff member registered it: the case page and its timeline say it came online."""
    client = Client()
    sign_in(client)
    case = apply_online(client)
    street = client_as("demo_street")  # type: ignore[operator]
    page = street.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "网上申请" in page
    panel = street.get(reverse("public:case_panel", args=[case.pk])).content.decode()
    assert "申请人通过网上申请" in panel
