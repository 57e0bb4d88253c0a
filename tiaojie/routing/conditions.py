"""What a routing rule's conditions mean, as sets of cases, and how two rules compare.

A rule's conditions are independent *dimensions*, each a set of values a case may have:

==================  ============================================  ==========================
dimension           the rule's set                                empty field means
==================  ============================================  ==========================
dispute type        the chosen types                              every type
amount              ``[amount_min, amount_max]`` (yuan, closed)   any amount, and none given
parties             ``[parties_min, parties_max]`` (integers)     any number (a case has ≥ 2)
people involved     ``[people_min, ∞)``                           any number
group / complex /   ``{True}``, ``{False}``                       ``{True, False}``
risk noted
where parties live  a set of :class:`Place` values (``SPREADS``)  every place
==================  ============================================  ==========================

A rule matches the cases in the *product* of its sets (every condition holds). Hence:

* rule A **covers** rule B (A matches every case B matches) when, dimension by dimension,
  A's set contains B's;
* A and B **overlap** (some case could match both) when, dimension by dimension, their sets
  intersect.

Both are exact for the product of the dimensions. Real cases are a subset of that product
(e.g. a case with no recorded residences is always ``Place.UNKNOWN``), so "covers" is a
sound test for shadowing — if it says A catches every case B would, that is true of every real
case — and "overlaps" may, at worst, report a conflict for a combination no real case has,
which is the safe side for a check that refuses a rule when saved.

An amount condition with a bound excludes cases without an amount: "≥ 50,000 元" says nothing
about a dispute whose amount was not recorded, so it does not match it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Generic, TypeVar

from django.utils.translation import gettext as _

from tiaojie.routing.choices import Spread

if TYPE_CHECKING:
    from tiaojie.routing.models import RoutingRule

N = TypeVar("N", int, Decimal)


class Place(enum.Enum):
    """Where a case's parties live, as far as their recorded residences tell."""

    UNKNOWN = "unknown"  # a residence missing and the known ones in one community
    SAME_COMMUNITY = "same_community"
    CROSS_COMMUNITY = "cross_community"  # different communities of one street
    CROSS_STREET = "cross_street"


SPREADS: dict[str, frozenset[Place]] = {
    Spread.ANY: frozenset(Place),
    Spread.SAME_COMMUNITY: frozenset({Place.SAME_COMMUNITY}),
    # Parties in different streets live in different communities too.
    Spread.CROSS_COMMUNITY: frozenset({Place.CROSS_COMMUNITY, Place.CROSS_STREET}),
    Spread.CROSS_STREET: frozenset({Place.CROSS_STREET}),
}
BOTH = frozenset({True, False})


@dataclass(frozen=True)
class Interval(Generic[N]):
    """A closed interval ``[lo, hi]`` (``hi`` None: unbounded), and whether a case with no
    value at all is in the set (``nullable``)."""

    lo: N
    hi: N | None
    nullable: bool = False

    def contains(self, value: N | None) -> bool:
        if value is None:
            return self.nullable
        return self.lo <= value and (self.hi is None or value <= self.hi)

    def is_empty(self) -> bool:
        return not self.nullable and self.hi is not None and self.hi < self.lo

    def covers(self, other: Interval[N]) -> bool:
        if other.nullable and not self.nullable:
            return False
        if other.is_empty():
            return True
        upper_ok = self.hi is None or (other.hi is not None and other.hi <= self.hi)
        return self.lo <= other.lo and upper_ok

    def overlaps(self, other: Interval[N]) -> bool:
        if self.nullable and other.nullable:
            return True
        lo = max(self.lo, other.lo)
        his = [h for h in (self.hi, other.hi) if h is not None]
        return not his or lo <= min(his)


@dataclass(frozen=True)
class CaseFacts:
    """What routing reads of a case (``routing.facts.facts_of`` builds it)."""

    dispute_type_id: int
    dispute_type_name: str
    amount: Decimal | None
    parties: int
    people: int
    is_group: bool
    is_complex: bool
    has_risk: bool
    place: Place


def _tri(value: bool | None) -> frozenset[bool]:
    return BOTH if value is None else frozenset({value})


def yuan(amount: Decimal) -> str:
    """50000 → "50,000"; 1234.5 → "1,234.50"."""
    return f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"


@dataclass(frozen=True)
class Conditions:
    """A rule's conditions as sets (see the module's docstring). ``type_ids`` empty: any."""

    type_ids: frozenset[int]
    amount: Interval[Decimal]
    parties: Interval[int]
    people: Interval[int]
    group: frozenset[bool]
    complex: frozenset[bool]
    risk: frozenset[bool]
    places: frozenset[Place]
    # For the reasons only: the bounds as the bureau typed them.
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    parties_min: int | None = None
    parties_max: int | None = None
    people_min: int | None = None
    spread: str = Spread.ANY

    @classmethod
    def build(
        cls,
        *,
        type_ids: frozenset[int] = frozenset(),
        amount_min: Decimal | None = None,
        amount_max: Decimal | None = None,
        parties_min: int | None = None,
        parties_max: int | None = None,
        people_min: int | None = None,
        requires_group: bool | None = None,
        requires_complex: bool | None = None,
        requires_risk: bool | None = None,
        spread: str = Spread.ANY,
    ) -> Conditions:
        unbounded = amount_min is None and amount_max is None
        return cls(
            type_ids=frozenset(type_ids),
            amount=Interval(amount_min or Decimal(0), amount_max, nullable=unbounded),
            # Every dispute has an applicant and a respondent: at least two parties.
            parties=Interval(parties_min if parties_min is not None else 2, parties_max),
            people=Interval(people_min or 0, None),
            group=_tri(requires_group),
            complex=_tri(requires_complex),
            risk=_tri(requires_risk),
            places=SPREADS.get(spread, SPREADS[Spread.ANY]),
            amount_min=amount_min,
            amount_max=amount_max,
            parties_min=parties_min,
            parties_max=parties_max,
            people_min=people_min,
            spread=spread,
        )

    @classmethod
    def of(cls, rule: RoutingRule, type_ids: frozenset[int] | None = None) -> Conditions:
        """A saved rule's conditions; ``type_ids`` when its dispute types are already known."""
        if type_ids is None:
            type_ids = frozenset(t.pk for t in rule.dispute_types.all())
        return cls.build(
            type_ids=type_ids,
            amount_min=rule.amount_min,
            amount_max=rule.amount_max,
            parties_min=rule.parties_min,
            parties_max=rule.parties_max,
            people_min=rule.people_min,
            requires_group=rule.requires_group,
            requires_complex=rule.requires_complex,
            requires_risk=rule.requires_risk,
            spread=rule.spread,
        )

    # --- One case ----------------------------------------------------------------------------

    def matches(self, facts: CaseFacts) -> bool:
        return (
            (not self.type_ids or facts.dispute_type_id in self.type_ids)
            and self.amount.contains(facts.amount)
            and self.parties.contains(facts.parties)
            and self.people.contains(facts.people)
            and facts.is_group in self.group
            and facts.is_complex in self.complex
            and facts.has_risk in self.risk
            and facts.place in self.places
        )

    def reasons(self, facts: CaseFacts) -> list[str]:
        """Each condition the case met, as a user reads it (纠纷类型为 医疗纠纷)."""
        out: list[str] = []
        if self.type_ids:
            out.append(_("Dispute type is %(type)s") % {"type": facts.dispute_type_name})
        if self.amount_min is not None:
            out.append(_("Amount in dispute ≥ %(amount)s yuan") % {"amount": yuan(self.amount_min)})
        if self.amount_max is not None:
            out.append(_("Amount in dispute ≤ %(amount)s yuan") % {"amount": yuan(self.amount_max)})
        if self.parties_min is not None:
            out.append(_("At least %(n)d parties") % {"n": self.parties_min})
        if self.parties_max is not None:
            out.append(_("At most %(n)d parties") % {"n": self.parties_max})
        if self.people_min is not None:
            out.append(_("At least %(n)d people involved") % {"n": self.people_min})
        for values, yes, no in (
            (self.group, _("Group dispute"), _("Not a group dispute")),
            (self.complex, _("Complex dispute"), _("Not a complex dispute")),
            (self.risk, _("Risk noted"), _("No risk noted")),
        ):
            if values != BOTH:
                out.append(yes if True in values else no)
        place_texts: dict[str, str] = {
            Spread.SAME_COMMUNITY: _("The parties live in one community"),
            Spread.CROSS_COMMUNITY: _("The parties live in different communities"),
            Spread.CROSS_STREET: _("The parties live in different streets"),
        }
        if self.spread in place_texts:
            out.append(place_texts[self.spread])
        return out or [_("The rule applies to every dispute")]

    # --- Two rules -------------------------------------------------------------------------

    def covers(self, other: Conditions) -> bool:
        """Every case ``other`` matches, this matches too."""
        types_ok = not self.type_ids or (bool(other.type_ids) and other.type_ids <= self.type_ids)
        return (
            types_ok
            and self.amount.covers(other.amount)
            and self.parties.covers(other.parties)
            and self.people.covers(other.people)
            and other.group <= self.group
            and other.complex <= self.complex
            and other.risk <= self.risk
            and other.places <= self.places
        )

    def overlaps(self, other: Conditions) -> bool:
        """Some case could match both."""
        types_ok = not self.type_ids or not other.type_ids or bool(self.type_ids & other.type_ids)
        return (
            types_ok
            and self.amount.overlaps(other.amount)
            and self.parties.overlaps(other.parties)
            and self.people.overlaps(other.people)
            and bool(self.group & other.group)
            and bool(self.complex & other.complex)
            and bool(self.risk & other.risk)
            and bool(self.places & other.places)
        )

    def contradictions(self) -> dict[str, list[str]]:
        """The conditions no case can meet, or that say nothing, by field (empty: fine)."""
        errors: dict[str, list[str]] = {}

        def add(name: str, message: str) -> None:
            errors.setdefault(name, []).append(message)

        for name, value in (("amount_min", self.amount_min), ("amount_max", self.amount_max)):
            if value is not None and value < 0:
                add(name, _("An amount cannot be negative."))
        lo, hi = self.amount_min, self.amount_max
        if lo is not None and hi is not None and lo > hi:
            add(
                "amount_max",
                _("The upper amount is below the lower one: no dispute can match this rule."),
            )
        if self.parties_min is not None and self.parties_min < 2:
            add(
                "parties_min",
                _("Every dispute has at least two parties: leave this empty for any number."),
            )
        if self.parties_max is not None and self.parties_max < 2:
            add(
                "parties_max",
                _("No dispute has fewer than two parties: this rule could never match."),
            )
        elif (
            self.parties_min is not None
            and self.parties_max is not None
            and self.parties_min > self.parties_max
        ):
            add(
                "parties_max",
                _("The largest number of parties is below the smallest: no dispute can match."),
            )
        if self.people_min is not None and self.people_min < 1:
            add("people_min", _("Leave this empty for any number of people."))
        return errors
