"""Expert pools (专家库) and consultations on cases: a district keeps a medical pool with a
doctor and a mediator; a committee's mediator consults the doctor on a medical case, and the
case page shows it through the case-page registry. Bad input is refused in words and leaves
nothing behind."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.models import Case, DisputeType
from tiaojie.cases.tests import factories as f
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.mediators import experts
from tiaojie.mediators.demo_experts import seed_experts_demo
from tiaojie.mediators.models_experts import Consultation, Expert, ExpertPool
from tiaojie.mediators.tests.helpers import id_number, register

Clients = Callable[[str], Client]
DOCTOR_ID = id_number(701, region="420102")


def _wrong_check_digit(number: str) -> str:
    return number[:-1] + ("1" if number[-1] != "1" else "2")


def _pool(
    world: World, name: str = "医疗纠纷专家库", codes: tuple[str, ...] = ("medical",)
) -> ExpertPool:
    return experts.pool_save(
        actor=world.user("demo_district"), name=name, types=experts.dispute_types(list(codes))
    )


def _doctor(world: World, pool: ExpertPool) -> Expert:
    return experts.expert_add(
        actor=world.user("demo_district"),
        pool=pool,
        data=experts.ExpertData(
            field="心血管内科",
            profession="doctor",
            name="周明",
            employer="东湖区人民医院",
            title="主任医师",
            id_number=DOCTOR_ID,
            phone="13907100001",
        ),
    )


def _medical_case(world: World) -> Case:
    director = world.user("demo_director")
    return f.register(director, dispute_type=DisputeType.objects.get(code="medical"))


def test_a_pool_is_for_dispute_types_of_the_dictionary(world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        experts.dispute_types(["medical", "space_travel"])
    assert refused.value.fields["dispute_types"] == ["以下纠纷类型不在字典中：space_travel。"]
    pool = _pool(world)
    assert [t.code for t in pool.dispute_types.all()] == ["medical"]
    assert pool.owner == world.org("东湖区司法局")
    with pytest.raises(ValidationFailed) as twice:
        _pool(world)
    assert twice.value.fields["name"] == ["本局已有同名的专家库。"]
    # A justice office keeps no pool.
    with pytest.raises(NotPermitted):
        experts.pool_save(
            actor=world.user("demo_street"), name="街道专家库", types=list(pool.dispute_types.all())
        )


def test_a_member_is_in_a_pool_once(world: World) -> None:
    pool = _pool(world)
    doctor = _doctor(world, pool)
    assert doctor.id_number == DOCTOR_ID
    assert experts.masked(doctor)["id_number"] != DOCTOR_ID
    with pytest.raises(Conflict) as twice:
        _doctor(world, pool)
    assert twice.value.message == "此人已在该专家库中。"
    with pytest.raises(ValidationFailed) as bad:
        experts.expert_add(
            actor=world.user("demo_district"),
            pool=pool,
            data=experts.ExpertData(
                field="骨科",
                profession="doctor",
                name="钱某",
                id_number=_wrong_check_digit(id_number(704)),
            ),
        )
    assert "id_number" in bad.value.fields
    mediator = register(world.user("demo_director"), serial=702, name="医调员")
    data = experts.ExpertData(field="医疗纠纷调解", mediator_id=mediator.pk)
    member = experts.expert_add(actor=world.user("demo_district"), pool=pool, data=data)
    assert (member.name, member.profession) == ("医调员", "mediator")
    with pytest.raises(Conflict):
        experts.expert_add(actor=world.user("demo_district"), pool=pool, data=data)
    assert pool.members.count() == 2
    # Left: may join again.
    experts.expert_transition(
        actor=world.user("demo_district"), expert=doctor, action="leave", reason="调离本区"
    )
    doctor.refresh_from_db()
    assert doctor.left_on == timezone.localdate()
    assert _doctor(world, pool).status == "active"


def test_a_consultation_is_recorded_and_audited(world: World) -> None:
    pool = _pool(world)
    doctor = _doctor(world, pool)
    case = _medical_case(world)
    today = timezone.localdate()
    row = experts.consultation_record(
        actor=world.user("demo_director"),
        case=case,
        expert_id=doctor.pk,
        question="术后感染是否与手术操作有关？",
        asked_on=today,
    )
    assert (row.opinion, row.followed) == ("", "")
    answered = experts.consultation_answer(
        actor=world.user("demo_director"),
        consultation=row,
        opinion="感染与术后护理不当有关，医院负主要责任。",
        answered_on=today,
        followed="followed",
    )
    assert answered.followed == "followed" and answered.version == 2
    types = list(
        AuditEvent.objects.filter(object_id=str(row.pk), event_type__in=[895, 896])
        .order_by("id")
        .values_list("event_type", flat=True)
    )
    assert types == [EventType.EXPERT_CONSULTED, EventType.EXPERT_OPINION_RECORDED]


def test_an_expert_out_of_scope_or_suspended_is_not_consulted(world: World) -> None:
    pool = _pool(world)
    doctor = _doctor(world, pool)
    traffic = _pool(world, "交通事故专家库", ("traffic",))
    engineer = experts.expert_add(
        actor=world.user("demo_district"),
        pool=traffic,
        data=experts.ExpertData(
            field="车辆鉴定", profession="engineer", name="孙工", id_number=id_number(703)
        ),
    )
    case = _medical_case(world)

    def ask(expert: Expert, actor: str = "demo_director") -> Consultation:
        return experts.consultation_record(
            actor=world.user(actor),
            case=case,
            expert_id=expert.pk,
            question="？",
            asked_on=timezone.localdate(),
        )

    with pytest.raises(ValidationFailed) as out_of_scope:
        ask(engineer)
    assert out_of_scope.value.fields["expert_id"] == [
        "该专家不在本调委会可就本案咨询的专家库中（专家库须由调委会上级司法行政机关设立，且涵盖本案纠纷类型）。"
    ]
    experts.expert_transition(
        actor=world.user("demo_district"), expert=doctor, action="suspend", reason="外出进修"
    )
    with pytest.raises(ValidationFailed) as suspended:
        ask(doctor)
    assert suspended.value.fields["expert_id"] == ["该专家在专家库中为“暂停”状态，不能咨询。"]
    assert not Consultation.objects.filter(case=case).exists()
    # The level above reads the case but does not handle it.
    with pytest.raises(NotPermitted):
        ask(doctor, "demo_street")


def test_pages_mask_the_expert_and_the_case_page_shows_the_consultation(
    world: World, client_as: Clients
) -> None:
    pool = _pool(world)
    doctor = _doctor(world, pool)
    case = _medical_case(world)
    district = client_as("demo_district")
    page = district.get(reverse("mediators:pool_detail", args=[pool.pk])).content.decode()
    assert "周明" in page and DOCTOR_ID not in page
    shown = district.post(
        reverse("mediators:expert_reveal", args=[doctor.pk]), HTTP_HX_REQUEST="true"
    )
    assert DOCTOR_ID in shown.content.decode()
    assert AuditEvent.objects.filter(
        event_type=EventType.PERSONAL_DATA_VIEWED, object_id=str(doctor.pk)
    ).exists()

    director = client_as("demo_director")
    detail = director.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    url = reverse("mediators:case_consultations", args=[case.pk])
    assert 'data-case-action="mediators.consult"' in detail and url in detail
    assert reverse("mediators:case_experts", args=[case.pk]) in detail
    refused = director.post(url, {"expert_id": "", "question": "", "asked_on": ""})
    assert refused.status_code == 422
    assert "请写下向专家提出的问题。" in refused.content.decode()
    sent = director.post(
        url,
        {
            "expert_id": doctor.pk,
            "question": "手术是否存在过错？",
            "asked_on": timezone.localdate().isoformat(),
        },
    )
    assert sent.status_code == 302
    panel = director.get(reverse("mediators:case_experts", args=[case.pk])).content.decode()
    assert "周明" in panel and "手术是否存在过错？" in panel and DOCTOR_ID not in panel
    assert client_as("demo_mediator_b").get(url).status_code == 404
    assert (
        client_as("demo_mediator_b")
        .get(reverse("mediators:case_experts", args=[case.pk]))
        .status_code
        == 404
    )


def test_the_api_refuses_in_words(world: World, api_as: Clients) -> None:
    district = api_as("demo_district")
    made = district.post(
        "/api/v1/expert-pools",
        {"name": "医疗纠纷专家库", "dispute_types": ["medical", "nope"]},
        content_type="application/json",
    )
    assert made.status_code == 422
    assert "nope" in made.json()["message"]
    assert not ExpertPool.objects.exists()
    made = district.post(
        "/api/v1/expert-pools",
        {"name": "医疗纠纷专家库", "dispute_types": ["medical"]},
        content_type="application/json",
    )
    assert made.status_code == 201
    pool_id = made.json()["id"]
    body = {"name": "周明", "profession": "doctor", "field": "心血管内科", "id_number": DOCTOR_ID}
    added = district.post(
        f"/api/v1/expert-pools/{pool_id}/members", body, content_type="application/json"
    )
    assert added.status_code == 201 and added.json()["id_number"] != DOCTOR_ID
    again = district.post(
        f"/api/v1/expert-pools/{pool_id}/members", body, content_type="application/json"
    )
    assert again.status_code == 409
    case = _medical_case(world)
    consult = api_as("demo_director").post(
        f"/api/v1/cases/{case.pk}/expert-consultations",
        {
            "expert_id": added.json()["id"],
            "question": "过错？",
            "asked_on": timezone.localdate().isoformat(),
        },
        content_type="application/json",
    )
    assert consult.status_code == 201
    assert (
        api_as("demo_mediator_b").get(f"/api/v1/cases/{case.pk}/expert-consultations").status_code
        == 404
    )


def test_the_demo_consults_a_doctor_on_a_medical_case(world: World) -> None:
    case = _medical_case(world)
    seed_experts_demo(world.user("demo_district"))
    seed_experts_demo(world.user("demo_district"))
    pool = ExpertPool.objects.get(name="医疗纠纷专家库")
    assert [m.name for m in pool.members.filter(profession="doctor")] == ["周明"]
    row = Consultation.objects.get()
    assert (row.case, row.followed) == (case, "followed") and row.opinion
