"""A bureau's own deadline rules (限期办理规则)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.deadlines.defaults import CONFIGURABLE_KINDS
from tiaojie.deadlines.error_codes import DeadlinesErrorCode as E
from tiaojie.deadlines.models import DeadlineAlert, DeadlineRule, RuleUnit
from tiaojie.organisations.choices import OrganisationKind

if TYPE_CHECKING:
    from tiaojie.accounts.models import User
    from tiaojie.organisations.models import Organisation

MAX_VALUE = 365
MAX_MONTHS = 12
# Working days in a month, roughly: to compare a near-due warning with a length in months.
WORKING_DAYS_PER_MONTH = 20
BUREAUS = (OrganisationKind.CITY_BUREAU, OrganisationKind.DISTRICT_BUREAU)


def rule_owner(actor: User) -> Organisation:
    """The bureau whose rules the actor sets: their own, if it is a city or district bureau."""
    if not actor.can(Capability.RULES_CONFIGURE) or actor.organisation.kind not in BUREAUS:
        raise NotPermitted(E.NOT_PERMITTED, _("Only a justice bureau sets deadline rules."))
    return actor.organisation


def validate_rule(kind: str, value: int, unit: str, near_due_days: int) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in CONFIGURABLE_KINDS:
        errors["kind"] = [_("This deadline is set by law and cannot be changed.")]
    if unit not in RuleUnit.values:
        errors["unit"] = [_("Choose working days, days or months.")]
    if value < 1:
        errors["value"] = [_("The length must be at least 1.")]
    elif value > MAX_VALUE or (unit == RuleUnit.MONTHS and value > MAX_MONTHS):
        errors["value"] = [_("The length is too long to be a deadline.")]
    span = value * WORKING_DAYS_PER_MONTH if unit == RuleUnit.MONTHS else value
    if near_due_days < 0:
        errors["near_due_days"] = [_("The warning cannot be negative.")]
    elif "value" not in errors and near_due_days >= span:
        errors["near_due_days"] = [_("The warning must come before the deadline's whole length.")]
    return errors


@transaction.atomic
def deadline_rule_save(
    *,
    actor: User,
    kind: str,
    value: int,
    unit: str,
    near_due_days: int,
    version: int | None = None,
) -> DeadlineRule:
    """Set the actor's bureau's rule for ``kind``. Open alerts of that kind below the bureau
    are cleared, so the next scan raises them again with the new due dates."""
    owner = rule_owner(actor)
    errors = validate_rule(kind, value, unit, near_due_days)
    if errors:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    rule = DeadlineRule.objects.select_for_update().filter(owner=owner, kind=kind).first()
    before = None
    if rule is None:
        if version:
            raise Conflict(E.STALE_VERSION, _("This rule was removed while you were editing it."))
        rule = DeadlineRule(owner=owner, kind=kind)
    else:
        if version is not None and rule.version != version:
            raise Conflict(
                E.STALE_VERSION,
                _("Someone else changed this rule while you were editing it. Reload to see it."),
            )
        before = audit.snapshot(rule, ["value", "unit", "near_due_days"])
        rule.version += 1
    rule.value, rule.unit, rule.near_due_days, rule.updated_by = value, unit, near_due_days, actor
    rule.save()
    DeadlineAlert.objects.filter(
        kind=kind, cleared_at__isnull=True, case__committee_path__startswith=owner.path
    ).update(cleared_at=timezone.now())
    after = audit.snapshot(rule, ["value", "unit", "near_due_days"])
    if before is not None:
        before, after = audit.changed(before, after)
    audit.record(
        EventType.DEADLINE_RULE_SAVED,
        actor=actor,
        organisation=owner,
        obj=rule,
        before=before,
        after={"kind": kind, **after},
    )
    return rule
