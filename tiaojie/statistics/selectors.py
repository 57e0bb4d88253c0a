"""Reads of statistics that depend on the viewer: which organisations' reports they may open,
and the cases behind a figure (through the case list's own scope)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability, Role
from tiaojie.cases.models import Case
from tiaojie.cases.rules import case_policy
from tiaojie.core.errors import field_error
from tiaojie.organisations.models import Organisation
from tiaojie.statistics.choices import BY_KIND, BY_SOURCE, BY_TYPE, Indicator
from tiaojie.statistics.models import CaseFact, LevelCell, PreventionFact
from tiaojie.statistics.periods import Period
from tiaojie.statistics.report import ROW_KINDS

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

# Figures whose cases are the mediated ones (dated by the end of mediation), with the flag.
_CLOSED_FLAGS: dict[str, Q] = {
    Indicator.MEDIATED: Q(),
    Indicator.PEOPLE: Q(),
    Indicator.SUCCESS: Q(success=True),
    Indicator.AMOUNT: Q(success=True),
    Indicator.COMPLEX: Q(complex=True),
    Indicator.ORAL: Q(oral=True),
    Indicator.WRITTEN: Q(written=True),
    Indicator.PERFORMED: Q(performed=True),
}
_KEY_FIELDS = {BY_SOURCE: "source", BY_KIND: "organisation_kind", BY_TYPE: "dispute_type_code"}
# Figures with a list of cases behind them (screening rounds have none).
DRILLABLE = frozenset(
    {
        *_CLOSED_FLAGS,
        Indicator.REGISTERED,
        Indicator.ACCEPTED,
        Indicator.CONFIRMED,
        Indicator.PREVENTED_CASES,
        Indicator.PREVENTED_PEOPLE,
        Indicator.PREVENTED_DISPUTES,
    }
)


def may_see_statistics(user: User) -> bool:
    """Staff who read cases see the figures of their subtree; grid workers report disputes
    and see no figures."""
    return user.can(Capability.CASE_CONTENT) and user.role != Role.GRID_WORKER


def report_organisations(user: User) -> QuerySet[Organisation]:
    """The organisations whose reports ``user`` may open: their own and those under it."""
    if not may_see_statistics(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        path__startswith=user.organisation.path, kind__in=ROW_KINDS
    ).order_by("path")


def report_organisation_or_404(user: User, pk: int | None) -> Organisation:
    """The organisation asked for (the user's own by default); not theirs is 404."""
    org = report_organisations(user).filter(pk=pk or user.organisation_id).first()
    if org is None:
        raise Http404
    return org


def _in(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.first, f"{field}__lte": period.end})


def figure_case_ids(
    organisation: Organisation, period: Period, indicator: str, key: str = ""
) -> QuerySet[Any, Any]:
    """The ids (``case_id``) of the cases a figure counts, by the same definitions as the cells."""
    under = Q(org_path__startswith=organisation.path)
    if indicator in (Indicator.PREVENTED_CASES, Indicator.PREVENTED_PEOPLE):
        prevented = PreventionFact.objects.filter(under, _in("recorded_on", period))
        if key:
            prevented = prevented.filter(kind=key)
        return prevented.values("case_id")
    if indicator == Indicator.PREVENTED_DISPUTES:
        # A case counts where and when its first prevention was recorded (rollup).
        earlier = PreventionFact.objects.filter(case_id=OuterRef("case_id")).filter(
            Q(recorded_on__lt=OuterRef("recorded_on"))
            | Q(recorded_on=OuterRef("recorded_on"), pk__lt=OuterRef("pk"))
        )
        return (
            PreventionFact.objects.filter(under, _in("recorded_on", period))
            .filter(~Exists(earlier))
            .values("case_id")
        )
    if indicator not in DRILLABLE:
        raise field_error("indicator", _("No list of cases stands behind this figure."))
    facts = CaseFact.objects.filter(under)
    if indicator == Indicator.REGISTERED:
        facts = facts.filter(_in("registered_on", period))
    elif indicator == Indicator.ACCEPTED:
        facts = facts.filter(_in("accepted_on", period), accepted=True)
    elif indicator == Indicator.CONFIRMED:
        facts = facts.filter(_in("confirmed_on", period), confirmed=True, success=True)
    else:
        facts = facts.filter(_in("closed_on", period), _CLOSED_FLAGS[indicator], mediated=True)
    if key:
        prefix, _sep, value = key.partition(":")
        if prefix not in _KEY_FIELDS:
            raise field_error("key", _("Unknown breakdown of the figure."))
        facts = facts.filter(**{_KEY_FIELDS[prefix]: value})
    return facts.values("case_id")


def historical_part(
    organisation: Organisation, period: Period, indicator: str, key: str = ""
) -> Decimal:
    """How much of a figure is imported history (no cases behind it)."""
    total = LevelCell.objects.filter(
        organisation=organisation,
        period__gte=period.first,
        period__lte=period.last,
        indicator=indicator,
        key=key,
        historical=True,
    ).aggregate(v=Sum("value"))["v"]
    return total or Decimal(0)


def figure_cases(
    user: User, organisation: Organisation, period: Period, indicator: str, key: str = ""
) -> QuerySet[Case]:
    """The cases behind a figure that ``user`` may read, newest first."""
    ids = figure_case_ids(organisation, period, indicator, key)
    return (
        case_policy.cases(user, Capability.CASE_CONTENT)
        .filter(pk__in=ids)
        .select_related("committee", "dispute_type")
        .order_by("-registered_at", "-pk")
    )
