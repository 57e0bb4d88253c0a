"""Reads of routing for pages and API, always starting from what the user may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.models import Case, CaseTransition, JointCommittee
from tiaojie.cases.models.case import CaseQuerySet
from tiaojie.cases.rules import case_policy
from tiaojie.organisations.choices import OrganisationStatus
from tiaojie.organisations.models import Organisation, OrganisationQuerySet
from tiaojie.organisations.selectors import committees_in_district
from tiaojie.routing.choices import TransferStatus
from tiaojie.routing.models import RoutingRule, Transfer
from tiaojie.routing.services.routing import CENTRE_KINDS, committee_staff


def rules_for(user: User) -> QuerySet[RoutingRule]:
    """The rules of the bureaus in the user's subtree (a district officer: their district's)."""
    if not user.can(Capability.RULES_CONFIGURE):
        return RoutingRule.objects.none()
    return (
        RoutingRule.objects.filter(owner__path__startswith=user.organisation.path)
        .select_related("owner", "committee")
        .prefetch_related("dispute_types")
        .order_by("owner__path", "-active", "priority", "id")
    )


def inherited_rules(user: User) -> QuerySet[RoutingRule]:
    """Active rules of the bureaus above the user's that apply at their centres too (read-only)."""
    ancestors = user.organisation.ancestor_ids
    return (
        RoutingRule.objects.filter(owner_id__in=ancestors, active=True)
        .select_related("owner", "committee")
        .prefetch_related("dispute_types")
        .order_by("priority", "id")
    )


def rule_or_404(user: User, pk: int) -> RoutingRule:
    return get_object_or_404(rules_for(user), pk=pk)


def queue_for(user: User) -> CaseQuerySet:
    """The disputes waiting for triage at the user's centre(s), oldest first."""
    return (
        case_policy.cases(user, Capability.CASE_ROUTE)
        .filter(status=CaseStatus.QUEUED)
        .select_related("dispute_type", "committee")
        .order_by("registered_at", "id")
    )


def queued_or_404(user: User, pk: int) -> Case:
    """A dispute waiting in the user's queue; routed meanwhile or never theirs: 404 alike."""
    return get_object_or_404(queue_for(user), pk=pk)


def committees_in_reach(org: Organisation) -> OrganisationQuerySet:
    """Active committees within the district of ``org``: where routing and transfers may go."""
    return committees_in_district(org)


def centres_for(user: User) -> OrganisationQuerySet:
    """Justice offices and bureaus in the user's subtree: those that may be governance centres."""
    return (
        Organisation.objects.subtree_of(user.organisation)
        .filter(kind__in=CENTRE_KINDS)
        .exclude(status=OrganisationStatus.DISSOLVED)
        .order_by("path")
    )


def centre_or_404(user: User, pk: int) -> Organisation:
    return get_object_or_404(centres_for(user), pk=pk)


def incoming_transfers(user: User) -> QuerySet[Transfer]:
    return (
        Transfer.objects.filter(to_organisation=user.organisation, status=TransferStatus.PENDING)
        .select_related("case__dispute_type", "from_committee", "requested_by")
        .order_by("requested_at")
    )


def outgoing_transfers(user: User) -> QuerySet[Transfer]:
    return (
        Transfer.objects.filter(from_committee=user.organisation)
        .select_related("case", "to_organisation", "decided_by")
        .order_by("-requested_at")[:50]
    )


def transfer_or_404(user: User, pk: int) -> Transfer:
    """A transfer the user's committee sent or receives."""
    org = user.organisation_id
    found = (
        Transfer.objects.filter(Q(to_organisation_id=org) | Q(from_committee_id=org), pk=pk)
        .select_related("case", "to_organisation", "from_committee")
        .first()
    )
    if found is None:
        raise Http404
    return found


def case_or_404(user: User, pk: int) -> Case:
    return case_policy.get_or_404(
        user,
        Capability.CASE_CONTENT,
        base=Case.objects.select_related("committee", "centre", "dispute_type"),
        pk=pk,
    )


def routing_history(case: Case) -> list[CaseTransition]:
    """The moves that changed who holds the case: routed, returned, transferred."""
    return list(
        CaseTransition.objects.filter(case=case, action__in=["route", "return", "transfer"])
    )


def rule_names(ids: set[int]) -> dict[int, str]:
    return dict(RoutingRule.objects.filter(pk__in=ids).values_list("pk", "name"))


def active_joint(case: Case) -> list[JointCommittee]:
    return list(
        JointCommittee.objects.filter(case=case, left_at__isnull=True).select_related("committee")
    )


def pending_transfer(case: Case) -> Transfer | None:
    return (
        Transfer.objects.filter(case=case, status=TransferStatus.PENDING)
        .select_related("to_organisation", "from_committee", "requested_by")
        .first()
    )


def committee_mediators(user: User) -> QuerySet[User]:
    """The mediators of the director's committee, for setting their expertise."""
    return committee_staff(user.organisation).order_by("role", "full_name")


def mediator_or_404(user: User, pk: int) -> User:
    return get_object_or_404(committee_mediators(user), pk=pk)
