"""Early warning: each open case's risk score, judged again from its current state whenever a
case event arrives (and by the nightly scan, for a deadline that passes without one). A score
that rises to ``ALERT_FROM`` or beyond alerts the officers of the level above the case's holder
through the notifications app."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Role
from tiaojie.cases.choices import OPEN_STATUSES
from tiaojie.cases.models import Case
from tiaojie.notifications.models import NotificationKind
from tiaojie.notifications.services import notify
from tiaojie.screening.choices import RiskFactor, RiskLevel
from tiaojie.screening.models import CaseRisk, Finding

WEIGHTS: dict[str, int] = {
    RiskFactor.GROUP: 3,
    RiskFactor.COMPLEX: 2,
    RiskFactor.RISK_NOTES: 2,
    RiskFactor.MISSED_DEADLINE: 3,
    RiskFactor.HIGH_RISK_FINDING: 2,
}
# Below this a rise is not worth a message to the level above (a complex case alone).
ALERT_FROM = 3


def factors_of(case: Case) -> list[str]:
    """What raises this case's risk now; nothing once it is no longer open."""
    if case.status not in OPEN_STATUSES:
        return []
    found: list[str] = []
    if case.is_group:
        found.append(RiskFactor.GROUP)
    if case.is_complex:
        found.append(RiskFactor.COMPLEX)
    if case.risk_notes.strip():
        found.append(RiskFactor.RISK_NOTES)
    deadline = case.extended_to or case.due_on
    if case.is_group and deadline is not None and deadline < timezone.localdate():
        found.append(RiskFactor.MISSED_DEADLINE)
    if Finding.objects.filter(case=case, risk=RiskLevel.HIGH).exists():
        found.append(RiskFactor.HIGH_RISK_FINDING)
    return found


def _above(case: Case) -> list[User]:
    """The officers of the organisation above the case's holder (its justice office, or the
    bureau above a governance centre)."""
    parent_id = case.committee.parent_id
    if parent_id is None:
        return []
    return list(
        User.objects.filter(
            organisation_id=parent_id,
            is_active=True,
            role__in=[Role.OFFICE_OFFICER, Role.BUREAU_OFFICER],
        )
    )


@transaction.atomic
def rescore(case_id: int) -> CaseRisk | None:
    """Judge the case's risk again and keep it; alert the level above when it rose to
    ``ALERT_FROM`` or more. Idempotent: judged twice, the second finds no rise."""
    case = Case.objects.select_related("committee").filter(pk=case_id).first()
    if case is None:
        return None
    risk, _created = CaseRisk.objects.select_for_update().get_or_create(
        case=case, defaults={"committee_path": case.committee_path}
    )
    factors = factors_of(case)
    score = sum(WEIGHTS[f] for f in factors)
    rose = score > risk.score and score >= ALERT_FROM
    risk.committee_path = case.committee_path
    risk.factors = factors
    risk.score = score
    if rose:
        risk.raised_at = timezone.now()
    risk.save()
    if rose:
        with override("zh-hans"):
            labels = "、".join(str(RiskFactor(f).label) for f in factors)
            notify(
                _above(case),
                kind=NotificationKind.OTHER,
                title=_("Risk rising: %(number)s") % {"number": case.number},
                body=_("Risk score %(score)s: %(factors)s") % {"score": score, "factors": labels},
                url=reverse("cases:case_detail", args=[case.pk]),
                case=case,
                key=f"risk:{case.pk}:{score}:{'-'.join(factors)}"[:120],
            )
    return risk


def rescore_overdue_groups() -> int:
    """The nightly part: open group disputes past their deadline (no event tells of that)."""
    today = timezone.localdate()
    ids = Case.objects.filter(
        status__in=OPEN_STATUSES, is_group=True, due_on__lt=today
    ).values_list("pk", flat=True)
    count = 0
    for pk in ids:
        rescore(pk)
        count += 1
    return count
