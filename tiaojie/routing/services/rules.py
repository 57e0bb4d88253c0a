"""Saving and deactivating routing rules. A rule that could never match, that conflicts with
another rule of the same bureau, or that another rule shadows is refused with the reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.models import DisputeType
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed, field_error
from tiaojie.organisations.choices import OrganisationKind, OrganisationStatus, Sector
from tiaojie.organisations.models import Organisation
from tiaojie.routing.choices import Spread, Tier
from tiaojie.routing.conditions import Conditions
from tiaojie.routing.error_codes import RoutingErrorCode as E
from tiaojie.routing.models import RoutingRule

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

RULE_OWNER_KINDS = (OrganisationKind.CITY_BUREAU, OrganisationKind.DISTRICT_BUREAU)
AUDITED = [
    "name",
    "priority",
    "active",
    "amount_min",
    "amount_max",
    "parties_min",
    "parties_max",
    "people_min",
    "requires_group",
    "requires_complex",
    "requires_risk",
    "spread",
    "tier",
    "sector",
    "committee",
]


@dataclass
class RuleData:
    name: str
    priority: int
    tier: str
    active: bool = True
    dispute_types: list[DisputeType] = field(default_factory=list)
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    parties_min: int | None = None
    parties_max: int | None = None
    people_min: int | None = None
    requires_group: bool | None = None
    requires_complex: bool | None = None
    requires_risk: bool | None = None
    spread: str = Spread.ANY
    sector: str = ""
    committee: Organisation | None = None

    def conditions(self) -> Conditions:
        return Conditions.build(
            type_ids=frozenset(t.pk for t in self.dispute_types),
            amount_min=self.amount_min,
            amount_max=self.amount_max,
            parties_min=self.parties_min,
            parties_max=self.parties_max,
            people_min=self.people_min,
            requires_group=self.requires_group,
            requires_complex=self.requires_complex,
            requires_risk=self.requires_risk,
            spread=self.spread,
        )

    def target(self) -> tuple[str, str, int | None]:
        return (
            self.tier,
            self.sector if self.tier == Tier.SECTOR else "",
            self.committee.pk if self.tier == Tier.COMMITTEE and self.committee else None,
        )


def rule_target(rule: RoutingRule) -> tuple[str, str, int | None]:
    return (
        rule.tier,
        rule.sector if rule.tier == Tier.SECTOR else "",
        rule.committee_id if rule.tier == Tier.COMMITTEE else None,
    )


def _require(actor: User, owner: Organisation) -> None:
    if not actor.can(Capability.RULES_CONFIGURE) or owner.kind not in RULE_OWNER_KINDS:
        raise NotPermitted(E.NOT_PERMITTED, _("Only a bureau configures routing rules."))
    if not owner.is_within(actor.organisation):
        raise NotPermitted(E.NOT_PERMITTED, _("This bureau is outside your scope."))


def _check_fields(data: RuleData, owner: Organisation) -> dict[str, list[str]]:
    errors = data.conditions().contradictions()

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not data.name.strip():
        add("name", _("Name the rule."))
    if data.tier not in Tier.values:
        add("tier", _("Choose where the rule routes to."))
    if data.spread not in Spread.values:
        add("spread", _("Choose where the parties live."))
    if data.tier == Tier.SECTOR and data.sector not in Sector.values:
        add("sector", _("Choose the sector of the committee to route to."))
    if data.tier != Tier.SECTOR and data.sector:
        add("sector", _("A sector is chosen only when routing to a sectoral committee."))
    if data.tier == Tier.COMMITTEE:
        committee = data.committee
        if committee is None:
            add("committee", _("Choose the committee to route to."))
        elif (
            committee.kind != OrganisationKind.COMMITTEE
            or committee.status != OrganisationStatus.ACTIVE
        ):
            add("committee", _("Choose an active mediation committee."))
        elif not committee.is_within(owner):
            add("committee", _("This committee is outside the bureau's area."))
    elif data.committee is not None:
        add("committee", _("A committee is chosen only when routing to a named committee."))
    today = timezone.localdate()
    valid = set(DisputeType.objects.valid_on(today).values_list("pk", flat=True))
    retired = [t.name for t in data.dispute_types if t.pk not in valid]
    if retired:
        add(
            "dispute_types",
            _("No longer in use: %(types)s. Choose current dispute types.")
            % {"types": "、".join(retired)},
        )
    return errors


def _check_against_others(data: RuleData, owner: Organisation, exclude: int | None) -> None:
    """Refuse a rule that conflicts with, is shadowed by, or shadows another active rule of the
    same bureau (see ``routing.conditions`` for what overlap and cover mean)."""
    mine = data.conditions()
    others = RoutingRule.objects.filter(owner=owner, active=True)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    others = others.prefetch_related("dispute_types").order_by("priority", "id")
    for other in others:
        theirs = Conditions.of(other)
        names = {"rule": other.name, "priority": other.priority}
        if other.priority == data.priority:
            if rule_target(other) != data.target() and mine.overlaps(theirs):
                message = (
                    _(
                        "Conflicts with rule “%(rule)s”: it has the same priority (%(priority)s), "
                        "can match the same disputes and routes them elsewhere. Change the "
                        "priority or the conditions."
                    )
                    % names
                )
                raise field_error("priority", message, E.RULE_CONFLICT)
        elif other.priority < data.priority and theirs.covers(mine):
            message = (
                _(
                    "This rule can never fire: rule “%(rule)s” (priority %(priority)s) catches "
                    "every dispute it would, first."
                )
                % names
            )
            raise field_error("priority", message, E.RULE_SHADOWED)
        elif other.priority > data.priority and mine.covers(theirs):
            message = (
                _(
                    "This rule would stop rule “%(rule)s” (priority %(priority)s) from ever "
                    "firing: it catches every dispute that rule would, first."
                )
                % names
            )
            raise field_error("priority", message, E.RULE_SHADOWS)


def _audit_values(rule: RoutingRule) -> dict[str, Any]:
    return {
        **audit.snapshot(rule, AUDITED),
        "dispute_types": sorted(t.pk for t in rule.dispute_types.all()),
    }


@transaction.atomic
def rule_save(
    *,
    actor: User,
    data: RuleData,
    rule: RoutingRule | None = None,
    version: int | None = None,
) -> RoutingRule:
    """Create a rule of the actor's bureau, or change ``rule`` (send the ``version`` read)."""
    if rule is None:
        owner = actor.organisation
        _require(actor, owner)
        locked = RoutingRule(owner=owner, created_by=actor)
        before: dict[str, Any] = {}
    else:
        locked = RoutingRule.objects.select_for_update().select_related("owner").get(pk=rule.pk)
        owner = locked.owner
        _require(actor, owner)
        if version is not None and locked.version != version:
            raise Conflict(
                E.STALE_VERSION,
                _("Someone else changed this rule while you were editing it. Reload to see it."),
            )
        before = _audit_values(locked)
    errors = _check_fields(data, owner)
    if errors:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    if data.active:
        _check_against_others(data, owner, locked.pk)
    for name in AUDITED:
        if name != "committee":
            setattr(locked, name, getattr(data, name))
    locked.name = data.name.strip()
    locked.committee = data.committee if data.tier == Tier.COMMITTEE else None
    if locked.pk is not None:
        locked.version += 1
    locked.save()
    locked.dispute_types.set(data.dispute_types)
    after = _audit_values(locked)
    if before:
        before, after = audit.changed(before, after)
    audit.record(
        EventType.ROUTING_RULE_SAVED,
        actor=actor,
        organisation=owner,
        obj=locked,
        before=before or None,
        after=after,
    )
    return locked


@transaction.atomic
def rule_deactivate(*, actor: User, rule: RoutingRule, version: int | None = None) -> RoutingRule:
    """Stop using a rule; it stays on record (the routing history names it)."""
    locked = RoutingRule.objects.select_for_update().select_related("owner").get(pk=rule.pk)
    _require(actor, locked.owner)
    if version is not None and locked.version != version:
        raise Conflict(
            E.STALE_VERSION,
            _("Someone else changed this rule while you were editing it. Reload to see it."),
        )
    if not locked.active:
        raise Conflict(E.ALREADY_INACTIVE, _("This rule is already inactive."))
    locked.active = False
    locked.version += 1
    locked.save(update_fields=["active", "version", "updated_at"])
    audit.record(
        EventType.ROUTING_RULE_DEACTIVATED,
        actor=actor,
        organisation=locked.owner,
        obj=locked,
        before={"active": True},
        after={"active": False},
    )
    return locked
