"""Demo roster for 东湖区, through the services: the district's grade ladder (初级 < 中级 <
高级 < 首席), every demo mediator and committee director registered with their account, a few
mediators who never sign in,
training courses with gaps, staffing
norms and insurance (one mediator uninsured) (a retired judge, two of the five elders, a lawyer serving the
medical committee and the police-station room: one person, two memberships), and one suspended mediator. Running it
again adds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Role
from tiaojie.core.validators import id_number_check_char
from tiaojie.mediators import services, staffing, training
from tiaojie.mediators.choices import (
    CourseKind,
    CourseMode,
    Education,
    Employment,
    MediatorAction,
    MembershipRole,
    PoliticalStatus,
    Source,
)
from tiaojie.mediators.demo_associations import seed_associations_demo
from tiaojie.mediators.demo_experts import seed_experts_demo
from tiaojie.mediators.demo_standards import seed_standards_demo
from tiaojie.mediators.models import Course, Grade, Mediator, StaffingNorm
from tiaojie.mediators.workflow import mediator_transition
from tiaojie.organisations.models import Organisation

DISTRICT = "东湖区司法局"
LADDER = ["初级", "中级", "高级", "首席"]
# Mediators without an account: (name, committee, source, grade, employment, certified).
OFFLINE = [
    ("冯振国", "东湖社区人民调解委员会", Source.RETIRED_JUDGE, "首席", Employment.PART_TIME, True),
    ("蒋桂芝", "东湖社区人民调解委员会", Source.ELDER, "初级", Employment.PART_TIME, False),
    ("沈德顺", "梨园社区人民调解委员会", Source.ELDER, "中级", Employment.PART_TIME, True),
]
# One lawyer serving two committees: one person, two memberships.
LAWYER = "韩律"
LAWYER_COMMITTEES = ["东湖区医疗纠纷人民调解委员会", "东湖街道派出所人民调解室"]
SOURCES = [Source.OTHER, Source.TEACHER, Source.DEPUTY, Source.RETIRED_POLICE, Source.LAWYER]


def demo_id_number(serial: int, born: dt.date) -> str:
    body = f"420106{born:%Y%m%d}{serial % 1000:03d}"
    return body + id_number_check_char(body)


def _born(serial: int) -> dt.date:
    return dt.date(1955 + serial % 25, 1 + serial % 12, 1 + serial % 27)


def _data(serial: int, name: str, **kw: object) -> services.MediatorData:
    today = timezone.localdate()
    values: dict[str, object] = {
        "name": name,
        "id_number": demo_id_number(serial, _born(serial)),
        "phone": f"139{serial:08d}",
        "address": f"湖北省武汉市东湖区东湖路{serial}号",
        "education": [Education.BACHELOR, Education.COLLEGE, Education.HIGH_SCHOOL][serial % 3],
        "political_status": [PoliticalStatus.PARTY_MEMBER, PoliticalStatus.MASSES][serial % 2],
        # Joined over the last six years, so some are new and some due for training.
        "joined_on": today - dt.timedelta(days=40 + 97 * serial % 2000),
    }
    return services.MediatorData(**{**values, **kw})  # type: ignore[arg-type]


@transaction.atomic
def seed_mediators_demo() -> int:
    """The demo roster; returns the number of mediators registered now."""
    district = Organisation.objects.get(name=DISTRICT)
    officer = User.objects.get(username="demo_district")
    if not Grade.objects.filter(bureau=district).exists():
        services.ladder_set(actor=officer, names=LADDER)
    grades = {g.name: g for g in Grade.objects.filter(bureau=district)}
    created = 0
    staff = User.objects.filter(
        role__in=[Role.MEDIATOR, Role.COMMITTEE_DIRECTOR],
        organisation__path__startswith=district.path,
        is_active=True,
    ).order_by("username")
    for serial, user in enumerate(staff, start=1):
        if Mediator.objects.filter(user=user).exists():
            continue
        director = user.role == Role.COMMITTEE_DIRECTOR
        full_time = director or serial % 3 == 0 or user.username == "demo_mediator"
        grade = LADDER[min(3, serial % 4 + (1 if director else 0))]
        certified = serial % 5 != 4  # one in five not yet certified
        services.mediator_register(
            actor=officer,
            data=_data(
                serial,
                user.full_name,
                employment=Employment.FULL_TIME if full_time else Employment.PART_TIME,
                source=SOURCES[serial % len(SOURCES)],
                certified=certified,
                certificate_number=f"鄂调证{2020 + serial % 5}{serial:04d}" if certified else "",
                grade_id=grades[grade].pk,
                user_id=user.pk,
            ),
            committee=user.organisation,
            role=MembershipRole.DIRECTOR if director else MembershipRole.MEMBER,
        )
        created += 1
    for offset, (name, place, source, grade, employment, certified) in enumerate(OFFLINE):
        serial = 500 + offset
        if services.find_person(demo_id_number(serial, _born(serial))) is None:
            services.mediator_register(
                actor=officer,
                data=_data(
                    serial,
                    name,
                    employment=employment,
                    source=source,
                    certified=certified,
                    certificate_number=f"鄂调证2019{serial:04d}" if certified else "",
                    grade_id=grades[grade].pk,
                ),
                committee=Organisation.objects.get(name=place),
                role=MembershipRole.CHIEF if grade == "首席" else MembershipRole.MEMBER,
            )
            created += 1
    lawyer_id = demo_id_number(600, _born(600))
    if services.find_person(lawyer_id) is None:
        sectoral = [Organisation.objects.get(name=name) for name in LAWYER_COMMITTEES]
        if sectoral:
            lawyer = services.mediator_register(
                actor=officer,
                data=_data(
                    600,
                    LAWYER + "师",
                    employment=Employment.PART_TIME,
                    source=Source.LAWYER,
                    education=Education.POSTGRADUATE,
                    certified=True,
                    certificate_number="鄂调证20210600",
                    grade_id=grades["高级"].pk,
                ),
                committee=sectoral[0],
            )
            for committee in sectoral[1:]:
                services.membership_add(
                    actor=officer, mediator=lawyer, committee=committee, role=MembershipRole.MEMBER
                )
            created += 1
    elder = Mediator.objects.filter(name="蒋桂芝").first()
    if elder is not None and elder.status == "active":
        mediator_transition(
            actor=officer,
            mediator=elder,
            action=MediatorAction.SUSPEND,
            reason="因病暂停调解工作",
        )
    seed_training_demo(officer)
    seed_insurance_demo(officer)
    seed_standards_demo(officer)
    seed_experts_demo(officer)
    seed_associations_demo()
    return created


# The one mediator left uninsured in the demo: the insurance report names them.
UNINSURED = "沈德顺"


def seed_insurance_demo(officer: User) -> None:
    """The district's staffing norms (community committees at least 1 full-time and 2 in all;
    sectoral ones 3 full-time, so the medical committee falls short) and this year's group
    accident policy for every mediator but one; a few end this month."""
    if not StaffingNorm.objects.filter(bureau=officer.organisation).exists():
        staffing.norm_set(actor=officer, committee_kind="community", min_full_time=1, min_total=2)
        staffing.norm_set(actor=officer, committee_kind="sectoral", min_full_time=3, min_total=3)
    today = timezone.localdate()
    for index, mediator in enumerate(
        Mediator.objects.exclude(name=UNINSURED).filter(policies__isnull=True).order_by("pk")
    ):
        # Every sixth policy ends within the month: the report's expiry list.
        ends = today + dt.timedelta(days=12 if index % 6 == 0 else 200)
        staffing.policy_add(
            actor=officer,
            mediator=mediator,
            data=staffing.PolicyData(
                "中国人民财产保险股份有限公司武汉市分公司",
                f"PEAC{today.year}4201{mediator.pk:06d}",
                Decimal(300000),
                ends - dt.timedelta(days=364),
                ends,
            ),
        )


def seed_training_demo(officer: User) -> None:
    """Two courses of the district: an initial course four years ago and this year's annual
    one; about half the roster attended this year, so the coverage report shows gaps (never
    trained, trained too long ago, new and not yet trained)."""
    today = timezone.localdate()
    if Course.objects.filter(owner=officer.organisation).exists():
        return
    old_day = today.replace(year=today.year - 4, day=min(today.day, 28))
    old = training.course_create(
        actor=officer,
        data=training.CourseData(
            "人民调解员岗前培训",
            CourseKind.INITIAL,
            CourseMode.ON_SITE,
            Decimal(24),
            old_day - dt.timedelta(days=2),
            old_day,
            "东湖区司法局基层科",
        ),
    )
    recent_day = today - dt.timedelta(days=30)
    annual = training.course_create(
        actor=officer,
        data=training.CourseData(
            f"{recent_day.year}年度人民调解业务培训",
            CourseKind.ANNUAL,
            CourseMode.ONLINE,
            Decimal(8),
            recent_day,
            recent_day,
            "市司法局人民参与和促进法治科",
        ),
    )
    active = list(Mediator.objects.filter(status="active", joined_on__lte=old_day).order_by("pk"))
    training.attendance_record(actor=officer, course_id=old.pk, mediators=active[::2])
    recent = [m for m in Mediator.objects.filter(status="active").order_by("pk")][1::2]
    training.attendance_record(actor=officer, course_id=annual.pk, mediators=recent)
