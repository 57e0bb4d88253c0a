"""Permission cases for expert pools and the consultations recorded on cases.

东湖区's medical pool is read by everyone with the roster capability in 东湖区 and the city
above; a pool of 西山区 is not theirs (404). Only a bureau's officers keep pools and change
members (directors and the street's office: 403). Consultations follow the case: its
committee records them, the levels above read them, committee B does not find the case (404).
"""

from __future__ import annotations

from typing import Any

from tests import personas as p
from tests.permission_kit import ApiCase, PageCase
from tiaojie.accounts.models import User


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _pool() -> Any:
    from tiaojie.mediators import experts

    return experts.pool_save(
        actor=_user(p.DISTRICT), name="医疗纠纷专家库", types=experts.dispute_types(["medical"])
    )


def _doctor() -> Any:
    from tiaojie.mediators import experts
    from tiaojie.mediators.tests.helpers import id_number

    return experts.expert_add(
        actor=_user(p.DISTRICT),
        pool=_pool(),
        data=experts.ExpertData(
            field="心血管内科", profession="doctor", name="周明", id_number=id_number(801)
        ),
    )


def _case_of_a() -> Any:
    from tiaojie.cases.models import DisputeType
    from tiaojie.cases.tests.factories import register

    return register(_user(p.MEDIATOR_A), dispute_type=DisputeType.objects.get(code="medical"))


def pool() -> dict[str, int]:
    return {"pk": _pool().pk}


def xishan_pool() -> dict[str, int]:
    """A pool of 西山区, written directly (the demo has no 西山区 officer)."""
    from tiaojie.cases.models import DisputeType
    from tiaojie.mediators.models_experts import ExpertPool

    owner = p.org(p.XISHAN_DISTRICT)
    made = ExpertPool.objects.create(owner=owner, owner_path=owner.path, name="西山专家库")
    made.dispute_types.set([DisputeType.objects.get(code="medical")])
    return {"pk": made.pk}


def doctor() -> dict[str, int]:
    return {"pk": _doctor().pk}


def case_of_a() -> dict[str, int]:
    return {"case_id": _case_of_a().pk}


def _consultation() -> Any:
    from django.utils import timezone

    from tiaojie.mediators import experts

    expert = _doctor()
    return experts.consultation_record(
        actor=_user(p.MEDIATOR_A),
        case=_case_of_a(),
        expert_id=expert.pk,
        question="术后感染是否与手术有关？",
        asked_on=timezone.localdate(),
    )


def consultation() -> dict[str, int]:
    return {"pk": _consultation().pk}


VIEWERS = {
    p.MEDIATOR_A: 200,
    p.MEDIATOR_B: 200,
    p.DIRECTOR_A: 200,
    p.STREET: 200,
    p.DISTRICT: 200,
    p.CITY: 200,
}
BUREAUS = {p.DISTRICT: 200, p.CITY: 200}
NOT_BUREAUS = {p.DIRECTOR_A: 403, p.STREET: 403}
# Whoever reads committee A's case (the grid worker reads only their own reports).
CASE_READERS = {
    p.MEDIATOR_A: 200,
    p.DIRECTOR_A: 200,
    p.MEDIATOR_B: 404,
    p.GRID_A: 404,
    p.STREET: 200,
    p.DISTRICT: 200,
    p.CITY: 200,
}
# Committee A records consultations; the levels above read but do not handle the case.
HANDLERS_A = {p.MEDIATOR_A: 200, p.DIRECTOR_A: 200, p.MEDIATOR_B: 404}


PAGE_CASES: list[PageCase] = [
    PageCase("mediators:pool_list", expect=VIEWERS),
    PageCase("mediators:pool_create", expect=BUREAUS),
    PageCase("mediators:pool_detail", pool, VIEWERS),
    # Another district's pool: not theirs (404); the city above it reads it.
    PageCase(
        "mediators:pool_detail",
        xishan_pool,
        {k: 404 for k in VIEWERS} | {p.CITY: 200},
    ),
    PageCase("mediators:pool_edit", pool, BUREAUS),
    # An empty member is refused on the page (422); only the pool's bureau adds members.
    PageCase(
        "mediators:pool_detail",
        pool,
        {p.DISTRICT: 422, p.CITY: 422, **NOT_BUREAUS},
        method="post",
    ),
    # An empty change is refused with a message and sent back to the pool.
    PageCase(
        "mediators:expert_move",
        doctor,
        {k: 302 for k in (p.DIRECTOR_A, p.STREET, p.DISTRICT, p.CITY)},
        method="post",
    ),
    PageCase("mediators:expert_reveal", doctor, {**BUREAUS, **NOT_BUREAUS}, method="post"),
    PageCase("mediators:case_consultations", case_of_a, CASE_READERS),
    PageCase(
        "mediators:case_consultations",
        case_of_a,
        {
            p.MEDIATOR_A: 422,
            p.DIRECTOR_A: 422,
            p.MEDIATOR_B: 404,
            p.GRID_A: 404,
            p.STREET: 403,
            p.DISTRICT: 403,
            p.CITY: 403,
        },
        method="post",
    ),
    PageCase("mediators:case_experts", case_of_a, CASE_READERS),
    PageCase("mediators:consultation_answer", consultation, HANDLERS_A),
]


def _ids(**make: Any) -> Any:
    return lambda: {name: fn()["pk"] for name, fn in make.items()}


API_CASES: list[ApiCase] = [
    ApiCase("expert_pools_list", "get", "/expert-pools", expect=VIEWERS, default=403),
    ApiCase(
        "expert_pools_create",
        "post",
        "/expert-pools",
        body=lambda: {"name": "心理咨询专家库", "dispute_types": ["marriage_family"]},
        expect={p.DISTRICT: 201, p.CITY: 201, **NOT_BUREAUS},
        default=403,
    ),
    ApiCase(
        "expert_pools_get",
        "get",
        "/expert-pools/{pool_id}",
        _ids(pool_id=pool),
        expect=VIEWERS,
        default=403,
    ),
    ApiCase(
        "expert_pools_update",
        "put",
        "/expert-pools/{pool_id}",
        _ids(pool_id=pool),
        lambda: {"name": "医疗纠纷专家库", "dispute_types": ["medical", "traffic"]},
        expect={**BUREAUS, **NOT_BUREAUS},
        default=403,
    ),
    ApiCase(
        "expert_members_list",
        "get",
        "/expert-pools/{pool_id}/members",
        _ids(pool_id=pool),
        expect=VIEWERS,
        default=403,
    ),
    ApiCase(
        "expert_members_add",
        "post",
        "/expert-pools/{pool_id}/members",
        _ids(pool_id=pool),
        lambda: _engineer(),
        expect={p.DISTRICT: 201, p.CITY: 201, **NOT_BUREAUS},
        default=403,
    ),
    ApiCase(
        "expert_members_move",
        "post",
        "/expert-members/{expert_id}/status",
        _ids(expert_id=doctor),
        lambda: {"action": "suspend", "reason": "外出进修"},
        expect={**BUREAUS, **NOT_BUREAUS},
        default=403,
    ),
    ApiCase(
        "expert_members_reveal",
        "post",
        "/expert-members/{expert_id}/personal",
        _ids(expert_id=doctor),
        expect={**BUREAUS, **NOT_BUREAUS},
        default=403,
    ),
    ApiCase(
        "expert_consultations_list",
        "get",
        "/cases/{case_id}/expert-consultations",
        case_of_a,
        expect=CASE_READERS,
        default=403,
    ),
    ApiCase(
        "expert_consultations_choices",
        "get",
        "/cases/{case_id}/expert-choices",
        case_of_a,
        expect=CASE_READERS,
        default=403,
    ),
    ApiCase(
        "expert_consultations_create",
        "post",
        "/cases/{case_id}/expert-consultations",
        case_of_a,
        lambda: {"expert_id": _doctor().pk, "question": "是否有过错？", "asked_on": _today()},
        expect={p.MEDIATOR_A: 201, p.DIRECTOR_A: 201, p.MEDIATOR_B: 404},
        default=403,
    ),
    ApiCase(
        "expert_consultations_answer",
        "post",
        "/expert-consultations/{consultation_id}/opinion",
        _ids(consultation_id=consultation),
        lambda: {"opinion": "医院负主要责任。", "followed": "followed"},
        expect=HANDLERS_A,
        default=403,
    ),
]


def _engineer() -> dict[str, str]:
    from tiaojie.mediators.tests.helpers import id_number

    return {
        "name": "孙工",
        "profession": "engineer",
        "field": "建筑工程",
        "id_number": id_number(802),
    }


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()
