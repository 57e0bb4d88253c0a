"""Reads of cases that depend on the viewer: every one starts from ``case_policy.cases``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from tiaojie.accounts.models import User as UserModel
from tiaojie.accounts.roles import Capability, Role
from tiaojie.accounts.selectors import MEDIATING_ROLES, staff_of
from tiaojie.cases.filters import CaseFilterForm, filtered_cases, q_for_party
from tiaojie.cases.models import Case, CaseMediator, Party
from tiaojie.cases.models.case import CaseQuerySet
from tiaojie.cases.rules import case_policy
from tiaojie.organisations.choices import OrganisationKind
from tiaojie.organisations.models import Organisation

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

SUGGESTION_LIMIT = 10
# A dispute registered again within this many days is probably the same dispute.
DUPLICATE_WINDOW_DAYS = 90


def cases_for(user: User) -> CaseQuerySet:
    return case_policy.cases(user, Capability.CASE_CONTENT)


def filtered_for(user: User, params: Any) -> tuple[CaseFilterForm, QuerySet[Case]]:
    """The cases ``user`` may read, filtered by ``params`` (the list's and the API's filters),
    with the user's subtree given to the search (ADR 0080)."""
    return filtered_cases(cases_for(user), params, within=case_policy.search_subtree(user))


# What a row of the case list shows (``cases/partials/case_table.html``): a page of 50 cases
# read whole (the narrative, requests, every date) spent about 2 ms more of the server's time
# turning columns no row shows into Python (ADR 0070). A column used and not listed here
# costs one statement per row: the list's statement count is pinned (test_pages_list).
LIST_COLUMNS = (
    "id",
    "number",
    "summary",
    "is_complex",
    "is_group",
    "status",
    "registered_at",
    "dispute_type__name",
    "committee__name",
    "committee__short_name",
)


def for_list(qs: QuerySet[Case]) -> QuerySet[Case]:
    """``qs`` as the case list shows it: the row's columns, each case's serving mediators as
    ``case.active_mediators`` (their names), in two queries for a page."""
    return qs.only(*LIST_COLUMNS).prefetch_related(
        Prefetch(
            "mediators",
            queryset=CaseMediator.objects.filter(withdrawn_at__isnull=True)
            .select_related("mediator")
            .only("case_id", "mediator__full_name", "is_presiding", "assigned_at")
            .order_by("-is_presiding", "assigned_at"),
            to_attr="active_mediators",
        )
    )


def _party_match(value: str) -> Q:
    return q_for_party(value, prefix="")


def parties_matching(user: User, value: str) -> list[Party]:
    """Earlier parties with this exact ID number, phone or credit code, in cases the user may
    read."""
    if not value.strip():
        return []
    cases = cases_for(user).filter(q_for_party(value))
    return list(
        Party.objects.filter(case__in=cases)
        .filter(_party_match(value))
        .select_related("case")
        .order_by("-case__registered_at")[:SUGGESTION_LIMIT]
    )


def party_in_scope(user: User, pk: int) -> Party | None:
    return Party.objects.filter(pk=pk, case__in=cases_for(user)).first()


def possible_duplicates(user: User, committee: Organisation, values: list[str]) -> list[Case]:
    """Open cases of the committee, registered lately, with a party of one of these ID numbers
    or phones: the clerk may be registering the same dispute twice."""
    values = [v for v in values if v.strip()]
    if not values:
        return []
    condition = Q()
    for value in values:
        condition |= q_for_party(value)
    since = timezone.now() - dt.timedelta(days=DUPLICATE_WINDOW_DAYS)
    return list(
        cases_for(user)
        .open()
        .filter(committee=committee, registered_at__gte=since)
        .filter(condition)
        .distinct()
        .order_by("-registered_at")[:SUGGESTION_LIMIT]
    )


def committee_choices(user: User) -> list[tuple[int, str]]:
    """Organisations the list may be narrowed to: the user's subtree down to the committees."""
    kinds = [
        OrganisationKind.DISTRICT_BUREAU,
        OrganisationKind.JUSTICE_OFFICE,
        OrganisationKind.COMMITTEE,
    ]
    orgs = (
        Organisation.objects.filter(path__startswith=user.organisation.path, kind__in=kinds)
        .order_by("path")
        .values_list("pk", "name", "depth")
    )
    rows = list(orgs)
    top = min((depth for _pk, _name, depth in rows), default=0)
    return [(pk, "\u3000" * (depth - top) + name) for pk, name, depth in rows]


MEDIATOR_CHOICES_LIMIT = 300


def mediator_choices(user: User, committee_id: int | None = None) -> list[tuple[int, str]]:
    """Mediators the list may be narrowed to (directors and officers; a mediator sees theirs)."""

    if user.role in (Role.MEDIATOR, Role.GRID_WORKER):
        return []
    scope = user.organisation.path
    if committee_id:
        chosen = Organisation.objects.filter(pk=committee_id, path__startswith=scope).first()
        scope = chosen.path if chosen else scope
    # Five values a person, not two model instances: an officer's list names up to 300 people
    # on every visit to the case list.
    people = (
        UserModel.objects.filter(
            organisation__path__startswith=scope,
            role__in=[Role.MEDIATOR, Role.COMMITTEE_DIRECTOR],
            is_active=True,
        )
        .order_by("organisation__path", "full_name")
        .values_list(
            "pk", "full_name", "organisation_id", "organisation__short_name", "organisation__name"
        )[: MEDIATOR_CHOICES_LIMIT + 1]
    )
    rows = list(people)
    if len(rows) > MEDIATOR_CHOICES_LIMIT:
        return []  # too many to choose from: narrow by committee first
    several = len({organisation for _pk, _name, organisation, _short, _long in rows}) > 1
    return [
        (pk, f"{name}（{short or long}）") if several else (pk, name)
        for pk, name, _organisation, short, long in rows
    ]


def committee_mediators(case: Case) -> QuerySet[User]:
    """The active mediators (and the director) of the case's committee, for assignment."""

    return staff_of(case.committee_id, MEDIATING_ROLES).order_by("role", "full_name")
