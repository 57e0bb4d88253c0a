"""A bureau's subsidy rules, versioned: create a version, edit one nothing was paid with yet,
and find the version in force for a committee in a month.

Every refusal names the field and says what is wrong in the user's language (the bureau reads
Chinese): overlapping ranges, a range of values no tier covers, a tier without an amount,
negative amounts, two versions starting the same month, a version that would change a month
already submitted or paid.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.core.formatting import day_text, money_text
from tiaojie.organisations.choices import CommitteeKind, OrganisationKind
from tiaojie.organisations.models import Organisation, path_ids
from tiaojie.subsidies.choices import (
    ArchiveRule,
    Dimension,
    Recipient,
    SheetStatus,
    Tier,
)
from tiaojie.subsidies.error_codes import SubsidiesErrorCode as E
from tiaojie.subsidies.models import SubsidyAmount, SubsidyBand, SubsidyRuleSet, SubsidySheet

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

BUREAU_KINDS = frozenset({OrganisationKind.CITY_BUREAU, OrganisationKind.DISTRICT_BUREAU})
CENT = Decimal("0.01")


@dataclass
class Band:
    dimension: str
    tier: str
    lower: Decimal
    upper: Decimal | None = None


@dataclass
class Amount:
    committee_kind: str
    tier: str
    amount: Decimal


@dataclass
class RuleSetData:
    """What a bureau enters for one version of its rules."""

    name: str
    valid_from: dt.date
    bands: list[Band] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    require_registered: bool = True
    require_success: bool = True
    require_performed: bool = True
    count_oral: bool = False
    carry_over: bool = True
    archive_rule: str = ArchiveRule.MAJOR
    recipient: str = Recipient.PRESIDING
    complex_tier: str = Tier.DIFFICULT
    group_tier: str = Tier.MAJOR


def _value(dimension: str, value: Decimal | None) -> str:
    if value is None:
        return ""
    if dimension == Dimension.AMOUNT:
        return money_text(value)
    return (
        _("%(n)s people") % {"n": int(value)} if dimension == Dimension.PEOPLE else str(int(value))
    )


def _range(band: Band) -> str:
    low = _value(band.dimension, band.lower)
    if band.upper is None:
        return _("%(low)s and above") % {"low": low}
    return _("%(low)s to under %(high)s") % {"low": low, "high": _value(band.dimension, band.upper)}


def _band_errors(bands: list[Band]) -> list[str]:
    """The ranges of each criterion must cover every value from 0 up, once."""
    errors: list[str] = []
    for dimension in Dimension:
        rows = sorted((b for b in bands if b.dimension == dimension), key=lambda b: b.lower)
        label = str(dimension.label)
        bad = False
        for band in rows:
            tier = str(Tier(band.tier).label)
            if band.lower < 0 or (band.upper is not None and band.upper < 0):
                errors.append(
                    _("%(criterion)s, tier “%(tier)s”: a range cannot be negative.")
                    % {"criterion": label, "tier": tier}
                )
                bad = True
            elif band.upper is not None and band.upper <= band.lower:
                errors.append(
                    _("%(criterion)s, tier “%(tier)s”: the upper bound must exceed the lower.")
                    % {"criterion": label, "tier": tier}
                )
                bad = True
        if bad or not rows:
            continue
        if rows[0].lower != 0:
            errors.append(
                _("%(criterion)s: values from 0 to under %(low)s fall in no tier.")
                % {"criterion": label, "low": _value(dimension, rows[0].lower)}
            )
        for before, after in itertools.pairwise(rows):
            names = {
                "criterion": label,
                "first": str(Tier(before.tier).label),
                "first_range": _range(before),
                "second": str(Tier(after.tier).label),
                "second_range": _range(after),
            }
            if before.upper is None or before.upper > after.lower:
                errors.append(
                    _(
                        "%(criterion)s: the ranges of “%(first)s” (%(first_range)s) and "
                        "“%(second)s” (%(second_range)s) overlap."
                    )
                    % names
                )
            elif before.upper < after.lower:
                errors.append(
                    _("%(criterion)s: values from %(low)s to under %(high)s fall in no tier.")
                    % {
                        "criterion": label,
                        "low": _value(dimension, before.upper),
                        "high": _value(dimension, after.lower),
                    }
                )
        if rows[-1].upper is not None:
            errors.append(
                _("%(criterion)s: values of %(high)s and above fall in no tier.")
                % {"criterion": label, "high": _value(dimension, rows[-1].upper)}
            )
    return errors


def _amount_errors(amounts: list[Amount]) -> list[str]:
    """Every tier has an amount at each kind of committee the rules cover; none is negative."""
    errors: list[str] = []
    seen: dict[str, set[str]] = {}
    for row in amounts:
        kind = str(CommitteeKind(row.committee_kind).label)
        tier = str(Tier(row.tier).label)
        if row.amount < 0:
            errors.append(
                _("%(kind)s, tier “%(tier)s”: an amount cannot be negative.")
                % {"kind": kind, "tier": tier}
            )
        if row.tier in seen.setdefault(row.committee_kind, set()):
            errors.append(
                _("%(kind)s, tier “%(tier)s”: the amount is given twice.")
                % {"kind": kind, "tier": tier}
            )
        seen[row.committee_kind].add(row.tier)
    if not seen:
        errors.append(_("Give the amounts of at least one kind of committee."))
    for kind_code, tiers in seen.items():
        for tier_code in Tier:
            if tier_code not in tiers:
                errors.append(
                    _("%(kind)s: the amount of tier “%(tier)s” is not set.")
                    % {"kind": CommitteeKind(kind_code).label, "tier": tier_code.label}
                )
    return errors


def _frozen_month(bureau: Organisation, since: dt.date) -> dt.date | None:
    """The first month from ``since`` whose sheet in the bureau's area has left the draft."""
    return (
        SubsidySheet.objects.filter(committee_path__startswith=bureau.path, month__gte=since)
        .exclude(status=SheetStatus.DRAFT)
        .order_by("month")
        .values_list("month", flat=True)
        .first()
    )


def validate(bureau: Organisation, data: RuleSetData, instance: SubsidyRuleSet | None) -> None:
    """Refuse the data with every error at once, each on its field."""
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [_("Name the rules (e.g. 2027年以案定补标准).")]
    if data.valid_from.day != 1:
        errors.setdefault("valid_from", []).append(_("Rules apply from the first day of a month."))
    clash = SubsidyRuleSet.objects.filter(bureau=bureau, valid_from=data.valid_from)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        errors.setdefault("valid_from", []).append(
            _("The bureau already has rules in force from %(day)s.")
            % {"day": day_text(data.valid_from)}
        )
    frozen = _frozen_month(bureau, data.valid_from)
    if frozen is not None:
        errors.setdefault("valid_from", []).append(
            _(
                "The sheet of %(month)s has been submitted: rules for that month can no longer "
                "change. Start the new rules in a later month."
            )
            % {"month": f"{frozen.year}年{frozen.month}月"}
        )
    for name, choices in (
        ("archive_rule", ArchiveRule),
        ("recipient", Recipient),
        ("complex_tier", Tier),
        ("group_tier", Tier),
    ):
        if getattr(data, name) not in choices.values:
            errors[name] = [_("Choose one of the options.")]
    if band_errors := _band_errors(data.bands):
        errors["bands"] = band_errors
    if amount_errors := _amount_errors(data.amounts):
        errors["amounts"] = amount_errors
    if errors:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)


def require_configurer(actor: User, bureau: Organisation) -> None:
    if bureau.kind not in BUREAU_KINDS:
        raise NotPermitted(E.NOT_BUREAU, _("Only a justice bureau sets subsidy rules."))
    if not (actor.can("subsidy.configure") and bureau.path.startswith(actor.organisation.path)):
        raise NotPermitted(E.NOT_PERMITTED, _("Only the bureau's officers set its subsidy rules."))


def _write(rule_set: SubsidyRuleSet, data: RuleSetData) -> None:
    for name in (
        "name",
        "valid_from",
        "require_registered",
        "require_success",
        "require_performed",
        "count_oral",
        "carry_over",
        "archive_rule",
        "recipient",
        "complex_tier",
        "group_tier",
    ):
        value = getattr(data, name)
        setattr(rule_set, name, value.strip() if isinstance(value, str) else value)
    rule_set.save()
    rule_set.bands.all().delete()
    rule_set.amounts.all().delete()
    SubsidyBand.objects.bulk_create(
        SubsidyBand(
            rule_set=rule_set, dimension=b.dimension, tier=b.tier, lower=b.lower, upper=b.upper
        )
        for b in data.bands
    )
    SubsidyAmount.objects.bulk_create(
        SubsidyAmount(
            rule_set=rule_set,
            committee_kind=a.committee_kind,
            tier=a.tier,
            amount=a.amount.quantize(CENT),
        )
        for a in data.amounts
    )


def _drafts_to_redo(bureau: Organisation, since: dt.date) -> None:
    """Draft sheets of months the change touches must be computed again."""
    SubsidySheet.objects.filter(
        committee_path__startswith=bureau.path, month__gte=since, status=SheetStatus.DRAFT
    ).update(stale=True, stale_since=timezone.now())


def _summary(rule_set: SubsidyRuleSet) -> dict[str, Any]:
    return {
        "name": rule_set.name,
        "valid_from": rule_set.valid_from,
        "amounts": {f"{a.committee_kind}/{a.tier}": a.amount for a in rule_set.amounts.all()},
    }


@transaction.atomic
def rule_set_create(*, actor: User, bureau: Organisation, data: RuleSetData) -> SubsidyRuleSet:
    """A new version of the bureau's rules, from ``data.valid_from`` on."""
    require_configurer(actor, bureau)
    Organisation.objects.select_for_update().get(pk=bureau.pk)  # one version at a time
    validate(bureau, data, None)
    rule_set = SubsidyRuleSet(bureau=bureau, bureau_path=bureau.path, created_by=actor)
    _write(rule_set, data)
    _drafts_to_redo(bureau, data.valid_from)
    audit.record(
        EventType.SUBSIDY_RULES_CHANGED,
        actor=actor,
        organisation=bureau,
        obj=rule_set,
        after=_summary(rule_set),
    )
    return rule_set


@transaction.atomic
def rule_set_update(
    *, actor: User, rule_set: SubsidyRuleSet, data: RuleSetData, version: int | None = None
) -> SubsidyRuleSet:
    """Correct a version no sheet beyond a draft was computed with."""
    locked = SubsidyRuleSet.objects.select_for_update().select_related("bureau").get(pk=rule_set.pk)
    require_configurer(actor, locked.bureau)
    if version is not None and version != locked.version:
        raise Conflict(
            E.STALE_VERSION,
            _("Someone else changed these rules while you were editing them. Reload to see it."),
        )
    if locked.sheets.exclude(status=SheetStatus.DRAFT).exists():
        raise Conflict(
            E.RULES_IN_USE,
            _(
                "A sheet computed with these rules has been submitted or paid: they can no "
                "longer change. Add a new version from a later month."
            ),
        )
    before = _summary(locked)
    validate(locked.bureau, data, locked)
    earliest = min(locked.valid_from, data.valid_from)
    locked.version += 1
    _write(locked, data)
    _drafts_to_redo(locked.bureau, earliest)
    audit.record(
        EventType.SUBSIDY_RULES_CHANGED,
        actor=actor,
        organisation=locked.bureau,
        obj=locked,
        before=before,
        after=_summary(locked),
    )
    return locked


def in_force(committee: Organisation, month: dt.date) -> SubsidyRuleSet | None:
    """The rules a committee's month is computed with: of the nearest bureau above it that has
    rules in force on the month's first day, the latest version started by then."""
    return InForce(month).of(committee.path)


class InForce:
    """``in_force`` for many committees of one month: the month's candidate versions read
    once (a handful of rows), each committee's chosen from its path."""

    def __init__(self, month: dt.date) -> None:
        self.by_bureau: dict[int, SubsidyRuleSet] = {}
        for rule_set in SubsidyRuleSet.objects.filter(valid_from__lte=month).order_by("valid_from"):
            self.by_bureau[rule_set.bureau_id] = rule_set  # the latest start wins

    def of(self, path: str) -> SubsidyRuleSet | None:
        for bureau_id in reversed(path_ids(path)):  # nearest first
            if bureau_id in self.by_bureau:
                return self.by_bureau[bureau_id]
        return None
