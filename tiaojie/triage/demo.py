"""Demo of narrative reading: a dispute with threats and an elderly party waiting in 东湖街道's
queue (the queue shows the risks with their phrases), and the intake suggestions of recent demo
cases with what their clerks chose (some corrected).

Runs after the routing demo (``seed_demo_pipeline``); running it again adds nothing."""

from __future__ import annotations

from django.db import transaction

from tiaojie.accounts.models import User
from tiaojie.cases.choices import CaseSource, PartyRole
from tiaojie.cases.models import Case, DisputeType
from tiaojie.cases.services.intake import CaseData, PartyData, case_register
from tiaojie.triage.model import reader
from tiaojie.triage.models import Suggestion
from tiaojie.triage.services import suggest, text_hash

SUMMARY = "楼上漏水多次协商无果，对方扬言动手"
NARRATIVE = (
    "12345转办：东湖社区居民反映，楼上住户卫生间漏水三个月，楼下天花板发霉，多次上门协商无果。"
    "楼上男子昨晚在楼道里扬言再来敲门就弄死他，楼下住的是一位八十多岁的独居老人，"
    "老人的女儿说要把视频发到抖音上。"
)


def _risky_dispute(officer: User) -> Case | None:
    if Case.objects.filter(summary=SUMMARY).exists():
        return None
    data = CaseData(
        dispute_type=DisputeType.objects.get(code="neighbours"),
        source=CaseSource.HOTLINE,
        summary=SUMMARY,
        narrative=NARRATIVE,
        requests="请求楼上修复漏水，赔偿损失，不再骚扰老人。",
        risk_notes="对方有威胁言语；申请人为独居高龄老人。",
        parties=[
            PartyData(role=PartyRole.APPLICANT, name="郑桂兰"),
            PartyData(role=PartyRole.RESPONDENT, name="马志强"),
        ],
    )
    # Suggested on the form first, as a clerk would see it; the listener records the choice.
    suggest(actor=officer, text=NARRATIVE, channel=CaseSource.HOTLINE)
    return case_register(actor=officer, data=data)


def _past_suggestions() -> None:
    """The suggestions the clerks of recent demo cases would have seen, and what they chose."""
    version = reader().version
    cases = list(
        Case.objects.exclude(narrative="")
        .select_related("dispute_type")
        .order_by("-registered_at", "-id")[:30]
    )
    readings = reader().read_many([c.narrative for c in cases], [c.source for c in cases])
    for case, reading in zip(cases, readings, strict=True):
        # Already there, or shown on the form and waiting for the listener to link it.
        digest = text_hash(case.narrative)
        # A citizen's online application has no registering staff member to credit.
        if case.registered_by_id is None or (
            Suggestion.objects.filter(case=case).exists()
            or Suggestion.objects.filter(text_hash=digest, case__isnull=True).exists()
        ):
            continue
        Suggestion.objects.create(
            text_hash=digest,
            channel=case.source,
            suggested_type=reading.dispute_type,
            suggested_risks=reading.risks,
            suggested_tier=reading.tier,
            evidence=[{"risk": e.risk, "phrase": e.phrase} for e in reading.evidence],
            model_version=version,
            created_by_id=case.registered_by_id,
            case=case,
            chosen_type=case.dispute_type.code,
            chosen_group=case.is_group,
            chosen_at=case.registered_at,
        )


@transaction.atomic
def seed_triage_demo() -> None:
    officer = User.objects.filter(username="demo_street").first()
    if officer is None:
        return
    _risky_dispute(officer)
    _past_suggestions()
