"""Demo of the public side, through the services: ten citizens who applied online to 东湖社区
(through 东湖街道's queue), their cases in every state from "received" to "archived", respondents who answered by the link, through a mediator, or not at all,
messages with the mediator, the committee's opening hours and three free hours to book.

Sign in as a demo citizen at /m/login/ with 18800000001 … 18800000010; in development the
code is on /m/dev/texts/ (the outbox backend). Runs after the demo world
(``seed_demo_pipeline``); running it again adds nothing."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.cases.demo import _advance as advance_case
from tiaojie.cases.models import Case, DisputeType
from tiaojie.cases.services import agreements, intake
from tiaojie.cases.workflow import transition
from tiaojie.core.crypto import refresh_blind_indexes
from tiaojie.core.validators import id_number_check_char
from tiaojie.organisations.models import Organisation
from tiaojie.public import booking, codes, interview, services
from tiaojie.public.models import Citizen, Invitation

SITE_URL = "http://localhost:8000/"
COMMITTEE = "东湖社区人民调解委员会"
# phone, name, ID prefix, type, answers, summary, respondent, target state, respondent answers
STORIES = [
    (
        "18800000001",
        "赵丽华",
        "42010219900101123",
        "neighbours",
        {"about": "leak", "repaired": "no", "loss": "3000", "talked": "yes"},
        "楼上漏水，天花板发霉",
        "孙大伟",
        "queued",
        "none",
    ),
    (
        "18800000002",
        "钱小梅",
        "42010219880212234",
        "unpaid_wages",
        {"contract": "no", "proof": "yes", "months": "3", "amount": "15600", "talked": "yes"},
        "装修公司拖欠三个月工资",
        "临江市美家装饰有限公司",
        "registered",
        "link",
    ),
    (
        "18800000003",
        "孙国强",
        "42010219750303345",
        "neighbours",
        {"about": "noise", "when": "每天晚上十一点以后", "talked": "no"},
        "楼上深夜噪音扰民",
        "周海燕",
        "accepted",
        "proxy",
    ),
    (
        "18800000004",
        "李春兰",
        "42010219820404456",
        "marriage_family",
        {"who": "parents", "support": "yes", "wish": "按月支付赡养费", "talked": "yes"},
        "子女不按约定支付赡养费",
        "李建军",
        "in_mediation",
        "link",
    ),
    (
        "18800000005",
        "周文斌",
        "42010219700505567",
        "property_management",
        {"side": "owner", "about": "repairs", "wish": "修好电梯", "talked": "yes"},
        "电梯长期故障，物业拖延维修",
        "临江市安居物业服务有限公司",
        "agreed",
        "link",
    ),
    (
        "18800000006",
        "吴秀英",
        "42010219650606678",
        "other",
        {"what": "借给亲戚两万元，到期不还", "wish": "归还借款", "talked": "yes"},
        "亲戚借款两万元到期不还",
        "吴志明",
        "failed",
        "no",
    ),
    (
        "18800000007",
        "郑红梅",
        "42010219920707789",
        "neighbours",
        {"about": "noise", "when": "周末早上", "talked": "yes"},
        "邻居周末清晨装修噪音",
        "王志刚",
        "declined",
        "link",
    ),
    (
        "18800000008",
        "冯建国",
        "42010219680808890",
        "other",
        {"what": "合伙开店散伙后分账不清", "wish": "结清账目", "talked": "yes"},
        "合伙散伙后分账不清",
        "陈立新",
        "terminated",
        "no",
    ),
    (
        "18800000009",
        "褚伟",
        "42010219861010012",
        "neighbours",
        {"about": "leak", "repaired": "no", "loss": "5000", "talked": "yes"},
        "厨房下水管漏水泡坏地板",
        "卫东",
        "signing",
        "link",
    ),
    (
        "18800000010",
        "卫秀兰",
        "42010219791111123",
        "neighbours",
        {"about": "noise", "when": "每天清晨五点", "talked": "yes"},
        "楼下早点铺清晨噪音油烟扰民",
        "蒋建平",
        "archived",
        "link",
    ),
]
# The respondent of the archived story shows the mediator their identity card at the first
# session, and the mediator records the number (docs/decisions/0037): the online applicant's
# real-name record is their proof, the respondent's is what the committee records.
RESPONDENT_ID_PREFIX = "42010219770303456"


def _citizen(phone: str, name: str, prefix: str) -> Citizen:
    citizen = Citizen(phone=phone)
    refresh_blind_indexes(citizen)
    citizen.save()
    return services.real_name_give(
        citizen=citizen, name=name, id_number=prefix + id_number_check_char(prefix)
    )


@transaction.atomic
def seed_public_demo() -> int:
    """Add the demo citizens and their applications; the number of applications added."""
    if Citizen.objects.filter(phone_index=codes.phone_index(STORIES[0][0])).exists():
        return 0
    rng = random.Random(20261202)  # noqa: S311 - demo stories, not secrets
    committee = Organisation.objects.get(name=COMMITTEE)
    street = User.objects.get(username="demo_street")
    mediator = User.objects.get(username="demo_mediator")
    director = User.objects.get(username="demo_director")
    added = 0
    for index, story in enumerate(STORIES):
        phone, name, prefix, code, answers, summary, respondent, target, reply = story
        citizen = _citizen(phone, name, prefix)
        draft = services.draft_start(
            citizen=citizen, dispute_type=DisputeType.objects.get(code=code)
        )
        tree = interview.tree_for(code)
        while (question := interview.next_question(tree, draft.answers)) is not None:
            draft = services.draft_answer(
                draft=draft, question_id=question.id, value=answers[question.id]
            )
        application = services.application_submit(
            citizen=citizen,
            data=services.ApplicationData(
                summary=summary,
                requests=f"请求调解：{summary}",
                respondent_name=respondent,
                respondent_phone=f"187000000{index + 1:02d}" if reply != "proxy" else "",
                respondent_kind="organisation" if "公司" in respondent else "person",
                committee=committee,
            ),
            site_url=SITE_URL,
        )
        case = application.case
        if target != "queued":
            case = transition(
                actor=street, case=case, action="route", data={"committee_id": committee.pk}
            )
            if target == "archived":
                _identify_respondent(Case.objects.get(pk=case.pk), mediator)
            advance_case(
                rng,
                Case.objects.get(pk=case.pk),
                "in_mediation" if target == "signing" else target,
                mediator,
                director,
            )
            if target == "signing":
                _agreement_to_sign(Case.objects.get(pk=case.pk), mediator)
        _respond(case, reply, mediator)
        if target in ("accepted", "in_mediation", "agreed"):
            services.message_from_party(
                citizen=citizen, case=case, text="请问调解大概安排在什么时候？"
            )
            services.message_from_staff(
                actor=mediator, case=case, text="您好，我们会在三个工作日内电话联系您确定时间。"
            )
        added += 1
    _times(director, mediator)
    return added


def _identify_respondent(case: Case, mediator: User) -> None:
    """The mediator records the respondent's ID number from the card they were shown."""
    respondent = case.parties.get(role="respondent")
    intake.party_update(
        actor=mediator,
        party=respondent,
        data=intake.PartyData(
            role=respondent.role,
            name=respondent.name,
            kind=respondent.kind,
            id_number=RESPONDENT_ID_PREFIX + id_number_check_char(RESPONDENT_ID_PREFIX),
            phone=respondent.phone,
        ),
    )


def _agreement_to_sign(case: Case, mediator: User) -> None:
    """A written agreement waiting for the parties' signatures on their phones (the demo
    citizen signs at /m/cases/<id>/sign/; the code is at /m/dev/texts/)."""
    agreements.agreement_draw_up(
        actor=mediator,
        case=case,
        kind="written",
        facts="被申请人家厨房下水管老化漏水，泡坏申请人家木地板。",
        content="被申请人于七日内更换下水管，并赔偿申请人地板修复费用3000元。",
        performance_manner="微信转账",
        formed_on=timezone.localdate(),
    )


def _times(director: User, mediator: User) -> None:
    """东湖社区's opening hours (weekdays 9–12, 14–17:30) and three free hours next week."""
    for weekday in range(5):
        booking.hours_set(actor=director, weekday=weekday, opens=dt.time(9), closes=dt.time(12))
        booking.hours_set(
            actor=director, weekday=weekday, opens=dt.time(14), closes=dt.time(17, 30)
        )
    monday = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())
    for day, hour in ((0, 9), (1, 15), (3, 10)):
        starts = dt.datetime.combine(monday + dt.timedelta(days=day), dt.time(hour))
        booking.slot_add(actor=mediator, starts_at=timezone.make_aware(starts))


def _respond(case: Case, reply: str, mediator: User) -> None:
    respondent = case.parties.get(role="respondent")
    if reply == "proxy":
        invitation = services.proxy_invitation(actor=mediator, case=case, party=respondent)
        services.proxy_answers(
            actor=mediator,
            invitation=invitation,
            agrees="yes",
            proposed_time="周六上午",
            statement="电话中表示愿意调解，但不会用手机答复。",
        )
        return
    found = Invitation.objects.filter(case=case, party=respondent).first()
    if found is None or reply == "none":
        return
    invitation = services.respondent_answer(
        invitation=found, step="agrees", value="yes" if reply == "link" else "no"
    )
    if reply == "link":
        invitation = services.respondent_answer(
            invitation=invitation, step="proposed_time", value="工作日晚上"
        )
    services.respondent_answer(invitation=invitation, step="statement", value="愿意协商解决。")
