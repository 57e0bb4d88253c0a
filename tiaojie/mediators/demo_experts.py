"""Demo expert pool: 东湖区's 医疗纠纷专家库 with a doctor (outside expert) and the lawyer
mediator, the doctor consulted on a medical case of the district with the opinion followed.
Running it again adds nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Role
from tiaojie.cases.models import Case
from tiaojie.core.validators import id_number_check_char
from tiaojie.mediators import experts
from tiaojie.mediators.models import Mediator
from tiaojie.mediators.models_experts import Consultation, ExpertPool

POOL = "医疗纠纷专家库"
DOCTOR = "周明"


def _doctor_id() -> str:
    body = "420102" + "19700815" + "731"
    return body + id_number_check_char(body)


def seed_experts_demo(officer: User) -> None:
    pool = ExpertPool.objects.filter(owner=officer.organisation, name=POOL).first()
    if pool is None:
        pool = experts.pool_save(
            actor=officer,
            name=POOL,
            types=experts.dispute_types(["medical"]),
            description="医患纠纷中的诊疗过错、因果关系与损害程度咨询。",
        )
    doctor = pool.members.filter(name=DOCTOR).first()
    if doctor is None:
        doctor = experts.expert_add(
            actor=officer,
            pool=pool,
            data=experts.ExpertData(
                field="心血管内科",
                profession="doctor",
                name=DOCTOR,
                employer="东湖区人民医院",
                title="主任医师",
                id_number=_doctor_id(),
                phone="13907100731",
                since=timezone.localdate() - dt.timedelta(days=400),
            ),
        )
        lawyer = Mediator.objects.filter(name="韩律师").first()
        if lawyer is not None and lawyer.status == "active":
            experts.expert_add(
                actor=officer,
                pool=pool,
                data=experts.ExpertData(field="医疗损害赔偿", mediator_id=lawyer.pk),
            )
    if Consultation.objects.filter(expert=doctor).exists():
        return
    cases = Case.objects.filter(
        dispute_type__code="medical", committee__path__startswith=officer.organisation.path
    ).order_by("registered_at")
    for case in cases:
        handler = (
            User.objects.filter(
                organisation=case.committee,
                role__in=[Role.COMMITTEE_DIRECTOR, Role.MEDIATOR],
                is_active=True,
            )
            .order_by("role", "username")
            .first()
        )
        if handler is None or not experts.may_consult(handler, case):
            continue
        asked = max(case.registered_at.date(), timezone.localdate() - dt.timedelta(days=5))
        row = experts.consultation_record(
            actor=handler,
            case=case,
            expert_id=doctor.pk,
            question="患者术后出现心律失常，是否与术中用药有关？医院是否存在诊疗过错？",
            asked_on=asked,
        )
        experts.consultation_answer(
            actor=handler,
            consultation=row,
            opinion="术中用药符合诊疗规范；术后监护记录不完整，医院在观察环节存在一定过错，"
            "建议按次要责任（约30%）协商赔偿。",
            answered_on=min(asked + dt.timedelta(days=2), timezone.localdate()),
            followed="followed",
        )
        return
