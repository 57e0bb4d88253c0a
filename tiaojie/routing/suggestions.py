"""Who in a committee should mediate a case: by expertise, current load and place.

The order is, in turn: a mediator good at the case's dispute type first; then the one with
fewer open cases (active assignments on cases not yet closed); then one whose committee is the
applicant's own community (they know the place and the people). Each suggestion says why
("擅长 邻里纠纷 · 在办 3 件").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from tiaojie.accounts import selectors as accounts
from tiaojie.accounts.models import User
from tiaojie.cases.models import Case, CaseMediator
from tiaojie.organisations.models import Organisation
from tiaojie.routing.facts import parties_queryset, where
from tiaojie.routing.models import MediatorExpertise

MEDIATING_ROLES = accounts.MEDIATING_ROLES


@dataclass(frozen=True)
class Suggestion:
    mediator: User
    expert: bool
    load: int
    local: bool
    why: str


class MediatorPool:
    """A committee's mediators with their expertise and load (``many`` loads the pools of many
    committees in three queries)."""

    def __init__(
        self,
        committee: Organisation,
        people: list[User],
        expertise: dict[int, dict[int, str]],
        loads: dict[int, int],
    ) -> None:
        self.committee = committee
        self.people = people
        self.expertise = expertise
        self.loads = loads

    @classmethod
    def many(cls, committees: Iterable[Organisation]) -> dict[int, MediatorPool]:
        by_id = {c.pk: c for c in committees}
        people = list(
            User.objects.filter(
                organisation_id__in=by_id, is_active=True, role__in=MEDIATING_ROLES
            ).order_by("role", "full_name", "pk")
        )
        ids = [u.pk for u in people]
        expertise: dict[int, dict[int, str]] = defaultdict(dict)
        for row in MediatorExpertise.objects.filter(mediator_id__in=ids).select_related(
            "dispute_type"
        ):
            expertise[row.mediator_id][row.dispute_type_id] = row.dispute_type.name
        loads: dict[int, int] = dict(
            CaseMediator.objects.filter(
                mediator_id__in=ids,
                withdrawn_at__isnull=True,
                case__in=Case.objects.open(),
            )
            .values_list("mediator_id")
            .annotate(n=Count("id"))
            .values_list("mediator_id", "n")
        )
        return {
            pk: cls(
                committee,
                [u for u in people if u.organisation_id == pk],
                expertise,
                loads,
            )
            for pk, committee in by_id.items()
        }

    def suggest(
        self, dispute_type_id: int, applicant_community_id: int | None, limit: int = 3
    ) -> list[Suggestion]:
        local = applicant_community_id == self.committee.pk
        out: list[Suggestion] = []
        for person in self.people:
            types = self.expertise.get(person.pk, {})
            expert = dispute_type_id in types
            load = self.loads.get(person.pk, 0)
            why: list[str] = []
            if expert:
                why.append(_("good at %(type)s") % {"type": types[dispute_type_id]})
            why.append(_("%(n)d open cases") % {"n": load})
            if local:
                why.append(_("the applicant's community"))
            out.append(Suggestion(person, expert, load, local, " · ".join(why)))
        out.sort(key=lambda s: (not s.expert, s.load, not s.local))
        return out[:limit]


def suggest_mediators(committee: Organisation, case: Case, limit: int = 3) -> list[Suggestion]:
    """The ``limit`` mediators of ``committee`` best placed to mediate ``case``."""

    parties = list(parties_queryset().filter(case=case))
    community = where(parties).applicant_community
    return MediatorPool.many([committee])[committee.pk].suggest(
        case.dispute_type_id, community.pk if community else None, limit
    )
