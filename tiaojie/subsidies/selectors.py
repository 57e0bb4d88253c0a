"""The subsidy rows a user may read, scoped to their place in the tree, and the per-mediator
totals (SQL aggregates over the shares)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet, Sum

from tiaojie.accounts.roles import Capability
from tiaojie.subsidies.models import SubsidyRuleSet, SubsidyShare, SubsidySheet
from tiaojie.subsidies.rules import rule_set_policy, sheet_policy

CENT = Decimal("0.01")

if TYPE_CHECKING:
    from tiaojie.accounts.models import User


def sheets_for(user: User, month: dt.date | None = None) -> QuerySet[SubsidySheet]:
    qs = sheet_policy.visible(user, Capability.SUBSIDY_VIEW).select_related("committee")
    return qs.filter(month=month) if month else qs


def sheet_or_404(user: User, pk: int) -> SubsidySheet:
    return sheet_policy.get_or_404(
        user,
        Capability.SUBSIDY_VIEW,
        SubsidySheet.objects.select_related("committee", "rule_set"),
        pk=pk,
    )


def rule_sets_for(user: User) -> QuerySet[SubsidyRuleSet]:
    return rule_set_policy.visible(user, Capability.SUBSIDY_VIEW).select_related("bureau")


def rule_set_or_404(user: User, pk: int) -> SubsidyRuleSet:
    return rule_set_policy.get_or_404(
        user, Capability.SUBSIDY_VIEW, SubsidyRuleSet.objects.select_related("bureau"), pk=pk
    )


def mediator_totals(sheet: SubsidySheet) -> list[dict[str, Any]]:
    """Per mediator: the cases they are paid for and the sum, from the shares, in SQL."""
    return _in_fen(
        SubsidyShare.objects.filter(sheet=sheet)
        .values("mediator_id", "mediator__full_name")
        .annotate(total=Sum("amount"), cases=Count("line"))
        .order_by("-total", "mediator__full_name")
    )


def area_mediator_totals(user: User, month: dt.date) -> list[dict[str, Any]]:
    """Per mediator over every sheet of the month in the user's area (a mediator of several
    committees is one row): cases and the sum, in SQL."""
    return _in_fen(
        SubsidyShare.objects.filter(sheet__in=sheets_for(user, month).values("pk"))
        .values("mediator_id", "mediator__full_name", "mediator__organisation__name")
        .annotate(total=Sum("amount"), cases=Count("line"))
        .order_by("-total", "mediator__full_name")
    )


def _in_fen(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sums to two places (SQLite's SUM drops trailing zeros of a decimal)."""
    return [{**row, "total": Decimal(row["total"]).quantize(CENT)} for row in rows]
