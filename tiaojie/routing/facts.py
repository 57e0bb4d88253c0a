"""What routing reads of a case and its parties: the facts the rules test, and where the
applicant lives (the community a community-tier rule routes to)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from tiaojie.cases.choices import PartyRole
from tiaojie.cases.models import Case, Party
from tiaojie.organisations.choices import OrganisationKind
from tiaojie.organisations.models import Organisation
from tiaojie.routing.conditions import CaseFacts, Place

# Routing never needs the parties' personal data: leave the encrypted columns undecrypted.
PERSONAL_COLUMNS = ("id_number", "phone", "address", "agent_phone", "name", "agent_authority")


def parties_queryset() -> QuerySet[Party]:
    return (
        Party.objects.select_related("residence__parent__parent")
        .defer(*PERSONAL_COLUMNS)
        .order_by("role", "id")
    )


def with_parties(cases: Iterable[Case]) -> list[Case]:
    """``cases`` with their parties and residences attached in one query (a queue page comes
    with its dispute types and centres loaded; they are fetched only where missing)."""
    loaded = list(cases)
    for case in loaded:
        # A case just registered holds the parties it was given (``cases`` hands them on
        # without their residences); Prefetch skips a relation already held, so drop it.
        case.__dict__.get("_prefetched_objects_cache", {}).pop("parties", None)
    prefetch_related_objects(
        loaded,
        "dispute_type",
        "committee",
        "wished_committee",
        Prefetch("parties", queryset=parties_queryset()),
    )
    return loaded


def community_of(residence: Organisation | None) -> Organisation | None:
    """The community committee a residence belongs to: a grid counts as its committee."""
    if residence is None:
        return None
    if residence.kind == OrganisationKind.GRID:
        return residence.parent
    return residence


@dataclass(frozen=True)
class Where:
    """The applicant's community committee (None: not recorded) and every party's place."""

    applicant_community: Organisation | None
    place: Place


def where(parties: Sequence[Party]) -> Where:
    """Where the parties live, as far as their recorded residences tell.

    Different streets (the communities' parents differ) or different communities are known as
    soon as two recorded residences differ; "one community" needs every party's residence.
    """
    communities = [community_of(p.residence) for p in parties]
    known = [c for c in communities if c is not None]
    streets = {c.parent_id for c in known}
    if len(streets) > 1:
        place = Place.CROSS_STREET
    elif len({c.pk for c in known}) > 1:
        place = Place.CROSS_COMMUNITY
    elif known and len(known) == len(communities):
        place = Place.SAME_COMMUNITY
    else:
        place = Place.UNKNOWN
    applicant = next(
        (c for p, c in zip(parties, communities, strict=True) if p.role == PartyRole.APPLICANT),
        None,
    )
    return Where(applicant, place)


def facts_of(case: Case, parties: Sequence[Party]) -> tuple[CaseFacts, Where]:
    located = where(parties)
    facts = CaseFacts(
        dispute_type_id=case.dispute_type_id,
        dispute_type_name=case.dispute_type.name,
        amount=case.amount,
        parties=len(parties),
        people=case.people_involved,
        is_group=case.is_group,
        is_complex=case.is_complex,
        has_risk=bool(case.risk_notes.strip()),
        place=located.place,
    )
    return facts, located
