"""Scoped reads of screening rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from tiaojie.screening.choices import RoundStatus
from tiaojie.screening.models import Finding, Round
from tiaojie.screening.rules import OVERSEE, REPORT, finding_policy, round_policy

if TYPE_CHECKING:
    from tiaojie.accounts.models import User


def rounds_for(user: User) -> QuerySet[Round]:
    """The rounds the user reports or watches, those still to report first."""
    return (
        round_policy.visible(user, REPORT)
        .select_related("organisation", "assignee")
        .order_by("status", "-due_on", "organisation_path")
    )


def overdue_below(user: User) -> QuerySet[Round]:
    """Overdue rounds of the organisations below the user's (the level above is told)."""
    return (
        round_policy.visible(user, OVERSEE)
        .filter(status=RoundStatus.OVERDUE)
        .exclude(organisation_id=user.organisation_id)
        .select_related("organisation", "organisation__parent", "assignee")
        .order_by("due_on", "organisation_path")
    )


def findings_for(user: User) -> QuerySet[Finding]:
    return finding_policy.visible(user, REPORT).select_related("round", "round__organisation")
