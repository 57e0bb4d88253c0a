"""Who sees which screening rows.

* Rounds: the organisation that owes the round and every level above it (prefix of its path),
  and the person it is assigned to (a grid worker of the committee's grids, a mediator).
* Findings: as their round, and whoever recorded them.
* Reporting a round or recording a finding in it: its own organisation's staff or its assignee
  (a bureau above reads it, it does not screen for the committee).
* Prevented escalations: whoever may read the case (``cases.rules.case_policy``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from tiaojie.accounts.roles import Capability
from tiaojie.core.access import ScopePolicy
from tiaojie.screening.models import (
    Campaign,
    CampaignTarget,
    DuplicateSuggestion,
    Finding,
    Round,
)

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

# Reporting is what everyone who registers disputes does; watching the rounds below is for the
# officers who supervise (the justice offices and bureaus).
REPORT = Capability.CASE_REGISTER
OVERSEE = Capability.CASE_SUPERVISE


class RoundPolicy(ScopePolicy[Round]):
    model = Round

    def scope(self, user: User, capability: Capability) -> Q | None:
        return Q(organisation_path__startswith=user.organisation.path) | Q(assignee=user)


class FindingPolicy(ScopePolicy[Finding]):
    model = Finding

    def scope(self, user: User, capability: Capability) -> Q | None:
        return (
            Q(organisation_path__startswith=user.organisation.path)
            | Q(round__assignee=user)
            | Q(created_by=user)
        )


def may_report(user: User, screening_round: Round) -> bool:
    """The round's own organisation's staff, or the person it is assigned to."""
    return user.can(REPORT) and (
        screening_round.organisation_id == user.organisation_id
        or screening_round.assignee_id == user.pk
    )


round_policy = RoundPolicy()
finding_policy = FindingPolicy()


class CampaignPolicy(ScopePolicy[Campaign]):
    """A campaign is seen by the organisation running it and those above, and by the
    organisations with a target in it."""

    model = Campaign

    def scope(self, user: User, capability: Capability) -> Q | None:
        path = user.organisation.path
        with_target = CampaignTarget.objects.filter(organisation_path__startswith=path).values(
            "campaign_id"
        )
        return Q(owner_path__startswith=path) | Q(pk__in=with_target)


campaign_policy = CampaignPolicy()


class SuggestionPolicy(ScopePolicy[DuplicateSuggestion]):
    """A suggested pair is reviewed by the officers above either of its cases."""

    model = DuplicateSuggestion

    def scope(self, user: User, capability: Capability) -> Q | None:
        path = user.organisation.path
        return Q(first_path__startswith=path) | Q(second_path__startswith=path)


suggestion_policy = SuggestionPolicy()
