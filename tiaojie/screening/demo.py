"""Demo screening for 临江市, through the services: this period's rounds open everywhere (东湖社区's
given to its grid worker), last week's rounds of 东湖区's communities — 东湖社区 with a nil report,
梨园社区 with two findings (one turned into a case, one closed with a reason), the others left
unreported and marked overdue for the street and district above — and a prevented escalation
(防止民转刑) on one of 东湖社区's cases; a campaign of 东湖街道司法所 (大排查、早调解、护稳定)
under way, with targets for 东湖社区 and 梨园社区 and their counts of the last days; a hotspot (a
burst of 物业 disputes at 梨园社区 this week, one of them a group dispute that alerts the street
office) and disputes sharing a party suggested for review; 东湖社区's grid worker's reports
sent from the field app with a photo (and a voice note), one turned into a case that waits in
东湖街道's queue with the photo in its file, one still open.

Runs after the demo cases (``seed_demo_pipeline``); running it again adds nothing."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from tiaojie.accounts.models import User
from tiaojie.cases.choices import CaseSource, CaseStatus, PartyRole
from tiaojie.cases.models import Case, DisputeType
from tiaojie.cases.services.intake import CaseData, PartyData, case_register
from tiaojie.screening.choices import EscalationKind, Level
from tiaojie.screening.models import Campaign, PreventedEscalation, Round
from tiaojie.screening.services import (
    campaigns,
    duplicates,
    escalations,
    field,
    findings,
    rounds,
    warning,
)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _last_week(org_id: int, today: dt.date) -> Round | None:
    start = today - dt.timedelta(days=today.weekday() + 7)
    return Round.objects.filter(
        organisation_id=org_id, level=Level.COMMUNITY, period_start=start
    ).first()


def _day_before_due(screening_round: Round) -> dt.date:
    """The demo's rounds of last week were reported on time: the day before they were due."""
    return screening_round.due_on - dt.timedelta(days=1)


@transaction.atomic
def seed_screening_demo() -> None:
    today = timezone.localdate()
    director_a = _user("demo_director")
    mediator_b = _user("demo_mediator_b")
    _campaign_demo(today)
    _hotspot_demo()
    if Round.objects.filter(reported_by__isnull=False).exists():
        return
    rounds.rounds_open(today - dt.timedelta(days=7))
    rounds.rounds_open(today)

    this_week = Round.objects.filter(
        organisation=director_a.organisation, level=Level.COMMUNITY
    ).order_by("-period_start")[0]
    rounds.round_assign(actor=director_a, screening_round=this_week, assignee=_user("demo_grid"))
    _field_demo(this_week)

    nil_round = _last_week(director_a.organisation_id, today)
    if nil_round is not None:
        rounds.round_report(
            actor=director_a, screening_round=nil_round, nil=True, on=_day_before_due(nil_round)
        )

    found_round = _last_week(mediator_b.organisation_id, today)
    if found_round is not None:
        leak = findings.finding_record(
            actor=mediator_b,
            screening_round=found_round,
            data=findings.FindingData(
                place="梨园社区5栋2单元",
                people="孙某（502室）、周某（402室）",
                what="楼上空调外机滴水至楼下阳台，双方多次争吵，周某扬言要去砸外机。",
                risk="medium",
            ),
        )
        findings.finding_record(
            actor=mediator_b,
            screening_round=found_round,
            data=findings.FindingData(
                place="梨园路菜市场",
                people="摊主吴某、钱某",
                what="摊位边界争执，经市场管理方当场协调已平息。",
            ),
        )
        findings.finding_to_case(
            actor=mediator_b,
            finding=leak,
            data=findings.CaseFromFinding(
                dispute_type=DisputeType.objects.get(code="neighbours"),
                applicant="周某",
                respondent="孙某",
                summary="楼上空调外机滴水，邻里发生争执",
            ),
        )
        settled = found_round.findings.get(place="梨园路菜市场")
        findings.finding_close(
            actor=mediator_b, finding=settled, reason="市场管理方已协调，双方无争议"
        )
        found_round.refresh_from_db()
        rounds.round_report(
            actor=mediator_b,
            screening_round=found_round,
            nil=False,
            on=_day_before_due(found_round),
        )

    # Every other community that let last week pass unreported: overdue, for the level above.
    rounds.mark_overdue(today)

    case = (
        Case.objects.filter(
            committee=director_a.organisation,
            status__in=[CaseStatus.AGREED, CaseStatus.ARCHIVED],
        )
        .order_by("id")
        .first()
    )
    if case is not None and not PreventedEscalation.objects.filter(case=case).exists():
        escalations.escalation_record(
            actor=director_a,
            case=case,
            kind=EscalationKind.CRIMINAL,
            people=3,
            recorded_on=case.closed_on or today,
            note="双方曾持械对峙，调解后握手言和",
        )


def _photo(text_colour: tuple[int, int, int]) -> SimpleUploadedFile:
    """A small JPEG standing in for a phone's photo (a wall with a stain), drawn with Pillow."""
    image = Image.new("RGB", (320, 240), (222, 216, 204))
    draw = ImageDraw.Draw(image)
    draw.ellipse((90, 40, 250, 170), fill=text_colour)
    draw.rectangle((0, 200, 320, 240), fill=(120, 110, 100))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    return SimpleUploadedFile("photo.jpg", out.getvalue(), "image/jpeg")


# A WebM header and silence: what the demo's "voice note" holds (no sound is needed to show it).
VOICE = b"\x1a\x45\xdf\xa3" + b"\x00" * 256


def _field_demo(screening_round: Round) -> None:
    """The grid worker's reports from the field app (each with the key its phone gave it): one
    turned into a grid report case with its photo and voice note, one still open."""
    grid = _user("demo_grid")
    wall, _replayed = field.field_report(
        actor=grid,
        screening_round=screening_round,
        data=findings.FindingData(
            place="东湖社区3栋1单元",
            people="吴某（301室）、郑某（201室）",
            what="楼上卫生间渗水，楼下墙面大片霉斑，两家在楼道争吵。\n位置：30.59012, 114.30534",
            risk="medium",
            client_key="demo-field-1",
        ),
        photo=_photo((150, 140, 110)),
        voice=SimpleUploadedFile("voice.webm", VOICE, "audio/webm"),
    )
    field.field_report(
        actor=grid,
        screening_round=screening_round,
        data=findings.FindingData(
            place="东湖社区北门停车场",
            people="业主若干",
            what="地面停车位划线有争议，业主在业主群里吵得很凶，暂未当面冲突。",
            client_key="demo-field-2",
        ),
        photo=_photo((90, 90, 90)),
    )
    findings.finding_to_case(
        actor=grid,
        finding=wall,
        data=findings.CaseFromFinding(
            dispute_type=DisputeType.objects.get(code="neighbours"),
            applicant="郑某",
            respondent="吴某",
            summary="楼上渗水致楼下墙面发霉，邻里争吵",
        ),
    )


def _campaign_demo(today: dt.date) -> None:
    street = _user("demo_street")
    if Campaign.objects.filter(owner=street.organisation).exists():
        return
    campaign = campaigns.campaign_create(
        actor=street,
        name="大排查、早调解、护稳定专项活动",
        starts_on=today - dt.timedelta(days=5),
        ends_on=today + dt.timedelta(days=24),
    )
    reporters = [
        (_user("demo_director"), 40, (6, 4, 7, 3, 5)),
        (_user("demo_mediator_b"), 30, (2, 5, 3, 4, 1)),
    ]
    for reporter, target, per_day in reporters:
        campaigns.target_set(
            actor=street, campaign=campaign, organisation=reporter.organisation, target=target
        )
        for back, screened in enumerate(per_day, start=1):
            campaigns.count_record(
                actor=reporter,
                campaign=campaign,
                day=today - dt.timedelta(days=back),
                screened=screened,
                resolved=screened // 2,
            )


# This week's burst: the residents of one estate against its property company, one by one and
# then together (the same company, the same phone: suggested as possible duplicates).
BURST = [
    ("钱立新", "电梯停运两周，物业未安排维修"),
    ("郑美华", "电梯停运，老人无法下楼"),
    ("冯建国", "物业费上调未经业主大会表决"),
    ("陈玉兰", "地下车库积水，车辆受损"),
    ("褚卫东", "小区多名业主集体要求物业公司退还多收费用"),
]


def _hotspot_demo() -> None:
    mediator = _user("demo_mediator_b")
    property_type = DisputeType.objects.get(code="property_management")
    if Case.objects.filter(summary=BURST[0][1]).exists():
        return
    for index, (name, summary) in enumerate(BURST):
        group = index == len(BURST) - 1
        case = case_register(
            actor=mediator,
            data=CaseData(
                dispute_type=property_type,
                source=CaseSource.APPLICATION,
                summary=summary,
                people_involved=23 if group else 2,
                is_group=group,
                risk_notes="业主扬言集体到区政府上访" if group else "",
                parties=[
                    PartyData(role=PartyRole.APPLICANT, name=name),
                    PartyData(
                        role=PartyRole.RESPONDENT,
                        name="临江市梨园物业服务有限公司",
                        kind="organisation",
                        phone="0731-88886666",
                    ),
                ],
            ),
        )
        # The listener scores it too once the event is delivered; judged here as well so the
        # demo shows the score without a worker running (judging twice changes nothing).
        warning.rescore(case.pk)
    duplicates.suggestions_refresh()
