"""Triage (集中梳理、分流处理): which committee a queued dispute should go to, and why.

The rules of the bureaus above the centre holding the case (its district bureau and the city
bureau) are tried in order: priority (lower first), then the nearer bureau's before the
city's, then the older rule. The first rule whose conditions the case meets *and* whose tier
finds a committee fires; a rule that matched but found no committee is noted and passed over.
When none fires, the dispute goes to the applicant's community committee, else the street
committee (``Resolver.fallback``), with the reason "no rule matched".

``triage_many`` does a whole queue with the rules, committees and mediators loaded once per
centre, district and committee, and the parties prefetched: a constant number of queries for
the queue page and the bench (bench/triage.py), against several per case for ``triage``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models.functions import Length
from django.utils.translation import gettext as _

from tiaojie.cases.models import Case, Party
from tiaojie.organisations.models import Organisation, path_ids
from tiaojie.organisations.selectors import district_of
from tiaojie.routing.conditions import Conditions
from tiaojie.routing.facts import facts_of, parties_queryset, with_parties
from tiaojie.routing.models import RoutingRule
from tiaojie.routing.suggestions import MediatorPool, Suggestion
from tiaojie.routing.targets import Resolution, Resolver

RuleSet = list[tuple[RoutingRule, Conditions]]


@dataclass
class Triage:
    """The suggestion for one case: the rule that fired (None: no rule matched), the committee,
    the conditions met, the target's explanation, rules passed over, and who might mediate."""

    rule: RoutingRule | None
    target: Organisation | None
    reasons: list[str]
    target_note: str = ""
    notes: list[str] = field(default_factory=list)
    mediators: list[Suggestion] = field(default_factory=list)
    # The committee the applicant asked for (ADR 0041), whether it is the suggestion, and why
    # (or why not).
    wish: Organisation | None = None
    wish_followed: bool = False
    wish_note: str = ""


def rules_for_centre(centre: Organisation) -> RuleSet:
    """The active rules that apply at ``centre``, in the order they are tried."""
    rules = (
        RoutingRule.objects.filter(owner_id__in=path_ids(centre.path), active=True)
        .select_related("owner", "committee")
        .prefetch_related("dispute_types")
        .order_by("priority", Length("owner__path").desc(), "id")
    )
    return [(rule, Conditions.of(rule)) for rule in rules]


class Context:
    """What triage loads once and reuses: rules per centre, committees per district."""

    def __init__(self, rules: RuleSet | None = None) -> None:
        self.fixed_rules = rules
        self.rules: dict[int, RuleSet] = {}
        self.districts: dict[int, Organisation] = {}
        self.resolvers: dict[int, Resolver] = {}

    def rules_at(self, centre: Organisation) -> RuleSet:
        if self.fixed_rules is not None:
            return self.fixed_rules
        if centre.pk not in self.rules:
            self.rules[centre.pk] = rules_for_centre(centre)
        return self.rules[centre.pk]

    def resolver(self, centre: Organisation) -> Resolver:
        if centre.pk not in self.districts:
            self.districts[centre.pk] = district_of(centre)
        district = self.districts[centre.pk]
        if district.pk not in self.resolvers:
            self.resolvers[district.pk] = Resolver(district)
        return self.resolvers[district.pk]


def _triage(case: Case, parties: Sequence[Party], ctx: Context) -> tuple[Triage, int | None]:
    """The triage without mediators, and the applicant's community (for the suggestions)."""
    centre = case.committee
    facts, where = facts_of(case, parties)
    resolver = ctx.resolver(centre)
    notes: list[str] = []
    result: Triage | None = None
    for rule, conditions in ctx.rules_at(centre):
        if not conditions.matches(facts):
            continue
        resolution = resolver.resolve(rule, where, centre)
        if resolution.target is None:
            notes.append(
                _("Rule “%(rule)s” matched, but: %(why)s")
                % {"rule": rule.name, "why": resolution.explanation}
            )
            continue
        result = Triage(rule, resolution.target, conditions.reasons(facts), resolution.explanation)
        break
    if result is None:
        fallback = resolver.fallback(where, centre)
        result = Triage(None, fallback.target, [_("No rule matched.")], fallback.explanation)
    result.notes = notes
    if case.wished_committee_id is not None:
        _weigh_wish(result, case.wished_committee, resolver)
    community = where.applicant_community
    return result, community.pk if community else None


def _weigh_wish(result: Triage, wished: Organisation | None, resolver: Resolver) -> None:
    """Propose the committee the applicant asked for first when it can take the dispute
    (人民调解法 art. 17); otherwise keep the rules' suggestion and say why not."""
    if wished is None:
        return
    result.wish = wished
    refused = resolver.wish_refused(wished, result.rule)
    if refused:
        result.wish_note = refused
        return
    if result.target is not None and result.target.pk != wished.pk:
        result.notes.append(
            _("The rules alone would suggest %(name)s (%(why)s).")
            % {"name": result.target.name, "why": result.target_note}
        )
    result.target = resolver.by_id[wished.pk]
    result.wish_followed = True
    result.wish_note = _("The applicant asked for this committee, and it can take the dispute.")
    result.target_note = result.wish_note


def _with_mediators(
    done: dict[int, tuple[Case, Triage, int | None]],
) -> dict[int, Triage]:
    """Add the suggested mediators, the pools of every target committee loaded at once."""
    targets = {t.target.pk: t.target for _c, t, _a in done.values() if t.target is not None}
    pools = MediatorPool.many(targets.values())
    for case, result, community_id in done.values():
        if result.target is not None:
            result.mediators = pools[result.target.pk].suggest(case.dispute_type_id, community_id)
    return {pk: result for pk, (_c, result, _a) in done.items()}


def triage_many(cases: Iterable[Case], rules: RuleSet | None = None) -> dict[int, Triage]:
    """Triage of many queued cases, by case id, loading everything shared once."""
    ctx = Context(rules)
    done = {}
    for case in with_parties(cases):
        result, community = _triage(case, list(case.parties.all()), ctx)
        done[case.pk] = (case, result, community)
    return _with_mediators(done)


def triage(case: Case, rules: Sequence[RoutingRule] | None = None) -> Triage:
    """Triage of one case, querying what it needs (its rules, parties, committees)."""
    ruleset = [(r, Conditions.of(r)) for r in rules] if rules is not None else None
    parties = list(parties_queryset().filter(case=case))
    result, community = _triage(case, parties, Context(ruleset))
    return _with_mediators({case.pk: (case, result, community)})[case.pk]


def resolve_target(case: Case, rule: RoutingRule) -> Resolution:
    """The committee ``rule``'s tier means for ``case`` (queued at its centre), and why."""
    _facts, where = facts_of(case, list(parties_queryset().filter(case=case)))
    return Resolver.for_centre(case.committee).resolve(rule, where, case.committee)
