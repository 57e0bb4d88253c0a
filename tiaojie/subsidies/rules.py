"""Who sees which subsidy rows.

* Sheets: the committee's own staff who hold ``subsidy.view`` (its director), and the offices
  and bureaus above it (``committee_path`` prefix).
* Rule sets: the officers of the bureau and below (a committee reads the rules it is paid by),
  and those of the bureaus above.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from tiaojie.core.access import ScopePolicy
from tiaojie.organisations.models import path_ids
from tiaojie.subsidies.models import SubsidyRuleSet, SubsidySheet

if TYPE_CHECKING:
    from tiaojie.accounts.models import User
    from tiaojie.accounts.roles import Capability


class SheetPolicy(ScopePolicy[SubsidySheet]):
    model = SubsidySheet

    def scope(self, user: User, capability: Capability) -> Q | None:
        return Q(committee_path__startswith=user.organisation.path)


class RuleSetPolicy(ScopePolicy[SubsidyRuleSet]):
    model = SubsidyRuleSet

    def scope(self, user: User, capability: Capability) -> Q | None:
        path = user.organisation.path
        return Q(bureau_path__startswith=path) | Q(bureau_id__in=path_ids(path))


sheet_policy = SheetPolicy()
rule_set_policy = RuleSetPolicy()
