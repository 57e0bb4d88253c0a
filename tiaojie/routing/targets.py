"""Which committee a rule's tier means for one case (``resolve_target``).

Every target is an active committee within the district of the centre holding the case,
because that is the reach of routing (属地管理; ``cases.workflow`` refuses anything else):

* community — the community committee the applicant lives in (their ``residence``; a grid
  counts as its committee), if it is in the district;
* street — the street committee (``committee_kind=street``) under the justice office of the
  applicant's community; when the applicant's community is unknown, the one under the centre
  if the centre is a justice office;
* district — a committee directly under the district bureau that is not sectoral (a district
  people's mediation committee); failing that, a sectoral committee of the "other" sector
  directly under it. The demo district has none, so district-tier rules there find no
  committee and the next rule is tried;
* sector — a sectoral committee of the rule's sector in the district, the one under the
  centre's own subtree first, then the nearest to the district bureau. The city's sectoral
  committees lie outside the district and so outside the reach of routing: a transfer by the
  district's committee takes a case there;
* committee — the rule's named committee, while it is active and in the district.

``Resolver`` loads the district's committees once (one query), so that triage of a whole queue
resolves every target in memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tiaojie.organisations.choices import (
    CommitteeKind,
    OrganisationKind,
    OrganisationStatus,
    Sector,
)
from tiaojie.organisations.models import Organisation
from tiaojie.organisations.selectors import district_of
from tiaojie.routing.choices import Tier
from tiaojie.routing.facts import Where
from tiaojie.routing.models import RoutingRule


@dataclass(frozen=True)
class Resolution:
    target: Organisation | None
    explanation: str


class Resolver:
    """The active committees of one district, for resolving tiers without further queries."""

    def __init__(self, district: Organisation) -> None:
        self.district = district
        self.committees = list(
            Organisation.objects.subtree_of(district)
            .filter(kind=OrganisationKind.COMMITTEE, status=OrganisationStatus.ACTIVE)
            .order_by("depth", "path")
        )
        self.by_id = {c.pk: c for c in self.committees}

    @classmethod
    def for_centre(cls, centre: Organisation) -> Resolver:
        return cls(district_of(centre))

    def in_reach(self, org: Organisation | None) -> Organisation | None:
        return self.by_id.get(org.pk) if org is not None else None

    def street_committee(self, office_id: int | None) -> Organisation | None:
        return next(
            (
                c
                for c in self.committees
                if c.parent_id == office_id and c.committee_kind == CommitteeKind.STREET
            ),
            None,
        )

    def office_of(self, where: Where, centre: Organisation) -> int | None:
        community = where.applicant_community
        parent = community.parent if community is not None else None
        if parent is not None and parent.kind == OrganisationKind.JUSTICE_OFFICE:
            return parent.pk
        if centre.kind == OrganisationKind.JUSTICE_OFFICE:
            return centre.pk
        return None

    def resolve(self, rule: RoutingRule, where: Where, centre: Organisation) -> Resolution:
        tier = rule.tier
        if tier == Tier.COMMUNITY:
            found = self.in_reach(where.applicant_community)
            if where.applicant_community is None:
                return Resolution(None, _("The applicant's community is not recorded."))
            if found is None:
                return Resolution(
                    None, _("The applicant's community has no active committee in this district.")
                )
            return Resolution(found, _("The applicant lives in this community."))
        if tier == Tier.STREET:
            found = self.street_committee(self.office_of(where, centre))
            if found is None:
                return Resolution(None, _("No active street committee found for this dispute."))
            return Resolution(found, _("The street committee of the applicant's street."))
        if tier == Tier.DISTRICT:
            return self._district()
        if tier == Tier.SECTOR:
            return self._sector(rule.sector, centre)
        found = self.in_reach(rule.committee)
        if found is None:
            return Resolution(
                None, _("The rule's committee no longer works or is outside the district.")
            )
        return Resolution(found, _("The rule names this committee."))

    def _district(self) -> Resolution:
        directly = [c for c in self.committees if c.parent_id == self.district.pk]
        general = [c for c in directly if c.committee_kind != CommitteeKind.SECTORAL]
        other = [c for c in directly if c.sector == Sector.OTHER]
        found = next(iter(general or other), None)
        if found is None:
            return Resolution(None, _("The district has no district-level committee."))
        return Resolution(found, _("The district-level committee."))

    def _sector(self, sector: str, centre: Organisation) -> Resolution:
        matching = [
            c
            for c in self.committees
            if c.committee_kind == CommitteeKind.SECTORAL and c.sector == sector
        ]
        # Under the centre's own subtree first (a street's sectoral room), then by depth.
        matching.sort(key=lambda c: (not c.is_within(centre), c.depth, c.path))
        label = Sector(sector).label if sector in Sector.values else sector
        if not matching:
            return Resolution(
                None,
                _("No active %(sector)s committee in this district.") % {"sector": label},
            )
        return Resolution(
            matching[0], _("The %(sector)s committee of the district.") % {"sector": label}
        )

    def wish_refused(self, wished: Organisation, rule: RoutingRule | None) -> str:
        """Why the committee the applicant asked for cannot take this dispute ("" when it can):
        it must still work, be within the reach of routing, and be of the tier the rule that
        fired sends to (a sectoral committee only for its own sector's rule)."""
        name = wished.name
        if wished.status != OrganisationStatus.ACTIVE:
            return _("%(name)s no longer takes disputes.") % {"name": name}
        if self.in_reach(wished) is None:
            return _("%(name)s is outside this centre's district.") % {"name": name}
        if rule is None:
            if wished.committee_kind == CommitteeKind.SECTORAL:
                return _(
                    "%(name)s is a sectoral committee, and no rule sends this dispute to its "
                    "sector."
                ) % {"name": name}
            return ""
        fits = {
            Tier.COMMUNITY: wished.committee_kind == CommitteeKind.COMMUNITY,
            Tier.STREET: wished.committee_kind == CommitteeKind.STREET,
            Tier.DISTRICT: self._district().target == wished,
            Tier.SECTOR: wished.committee_kind == CommitteeKind.SECTORAL
            and wished.sector == rule.sector,
            Tier.COMMITTEE: wished.pk == rule.committee_id,
        }.get(Tier(rule.tier), False)
        if fits:
            return ""
        return _("Rule “%(rule)s” sends this dispute to: %(tier)s; %(name)s is not one.") % {
            "rule": rule.name,
            "tier": Tier(rule.tier).label,
            "name": name,
        }

    def fallback(self, where: Where, centre: Organisation) -> Resolution:
        """Where a dispute no rule catches goes: the applicant's community committee, else the
        street committee of the applicant's street or of the centre."""
        community = self.in_reach(where.applicant_community)
        if community is not None:
            return Resolution(community, _("The applicant lives in this community."))
        street = self.street_committee(self.office_of(where, centre))
        if street is not None:
            return Resolution(street, _("The street committee of the governance centre."))
        return Resolution(None, _("Choose a committee by hand."))
