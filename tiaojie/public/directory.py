"""The public directory by district (issue 15): active committees with their brand room or
personal studio (and the open studios of the registry, issue 13, with the lead mediator's
name), address, office phone and opening hours as the committee published them, and
their active mediators' public fields only (name, grade, expertise; never a phone, an ID
number or an address). Filterable by district, street and dispute type.

District and street are read from the tree: the district justice bureau and the justice
office (one per street or township) above the committee. A dispute type matches a committee
when one of its mediators lists it as expertise. No map: the issue allows one only with
self-hosted tiles (docs/public.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from tiaojie.cases.models import DisputeType
from tiaojie.mediators.choices import MediatorStatus
from tiaojie.mediators.models import Membership, Studio
from tiaojie.organisations.choices import OrganisationKind, OrganisationStatus
from tiaojie.organisations.models import Organisation, path_ids
from tiaojie.public.choices import Weekday
from tiaojie.public.models import OpeningHours


@dataclass
class MediatorEntry:
    id: int
    name: str
    grade: str
    expertise: list[str]
    expertise_codes: list[str]
    committee_id: int


@dataclass
class StudioEntry:
    """An open brand room or personal studio; ``mediator``: the lead's name, if active."""

    name: str
    kind: str
    kind_name: str
    mediator: str


@dataclass
class HoursEntry:
    weekday: int
    weekday_name: str
    opens: object
    closes: object


@dataclass
class CommitteeEntry:
    id: int
    name: str
    kind: str
    brand_name: str
    district_id: int | None
    district: str
    street_id: int | None
    street: str
    address: str
    phone: str
    hours: list[HoursEntry] = field(default_factory=list)
    mediators: list[MediatorEntry] = field(default_factory=list)
    studios: list[StudioEntry] = field(default_factory=list)


@dataclass
class Directory:
    committees: list[CommitteeEntry]
    districts: list[tuple[int, str]]
    streets: list[tuple[int, str, int | None]]  # id, name, district id


def _int(value: object) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 18 else None


def build(*, district: object = None, street: object = None, dispute_type: str = "") -> Directory:
    """The directory, filtered. The lists of districts and streets offered for filtering are
    those of every listed committee, so that a filter never empties its own choices."""
    committees = list(
        Organisation.objects.filter(
            kind=OrganisationKind.COMMITTEE, status=OrganisationStatus.ACTIVE
        ).order_by("path")
    )
    ancestor_ids = {pk for c in committees for pk in path_ids(c.path)[:-1]}
    ancestors = {
        o.pk: o for o in Organisation.objects.filter(pk__in=ancestor_ids).only("id", "name", "kind")
    }
    hours: dict[int, list[HoursEntry]] = {}
    names = dict(Weekday.choices)
    for h in OpeningHours.objects.filter(committee__in=[c.pk for c in committees]):
        hours.setdefault(h.committee_id, []).append(
            HoursEntry(h.weekday, str(names[h.weekday]), h.opens, h.closes)
        )
    today = timezone.localdate()
    memberships = (
        Membership.objects.filter(
            committee__in=[c.pk for c in committees],
            since__lte=today,
            mediator__status=MediatorStatus.ACTIVE,
        )
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .select_related("mediator", "mediator__grade")
        .prefetch_related("mediator__expertise")
        .order_by("mediator__name", "mediator_id")
    )
    mediators: dict[int, list[MediatorEntry]] = {}
    for m in memberships:
        person = m.mediator
        types = sorted(person.expertise.all(), key=lambda t: (t.sort_order, t.code))
        mediators.setdefault(m.committee_id, []).append(
            MediatorEntry(
                id=person.pk,
                name=person.name,
                grade=person.grade.name if person.grade else "",
                expertise=[t.name for t in types],
                expertise_codes=[t.code for t in types],
                committee_id=m.committee_id,
            )
        )
    studios = _studios([c.pk for c in committees], today)
    entries: list[CommitteeEntry] = []
    for c in committees:
        above = [ancestors[pk] for pk in path_ids(c.path)[:-1] if pk in ancestors]
        district_org = next((o for o in above if o.kind == OrganisationKind.DISTRICT_BUREAU), None)
        street_org = next(
            (o for o in reversed(above) if o.kind == OrganisationKind.JUSTICE_OFFICE), None
        )
        entries.append(
            CommitteeEntry(
                id=c.pk,
                name=c.name,
                kind=c.kind_label,
                brand_name=c.brand_name,
                district_id=district_org.pk if district_org else None,
                district=district_org.name if district_org else "",
                street_id=street_org.pk if street_org else None,
                street=street_org.name if street_org else "",
                address=c.address,
                phone=c.phone,
                hours=hours.get(c.pk, []),
                mediators=mediators.get(c.pk, []),
                studios=studios.get(c.pk, []),
            )
        )
    districts = sorted({(e.district_id, e.district) for e in entries if e.district_id})
    streets = sorted(
        {(e.street_id, e.street, e.district_id) for e in entries if e.street_id},
        key=lambda s: (s[1], s[0]),
    )
    wanted_district, wanted_street = _int(district), _int(street)
    if wanted_district is not None:
        entries = [e for e in entries if e.district_id == wanted_district]
    if wanted_street is not None:
        entries = [e for e in entries if e.street_id == wanted_street]
    if dispute_type:
        entries = [
            e for e in entries if any(dispute_type in m.expertise_codes for m in e.mediators)
        ]
    return Directory(
        committees=entries,
        districts=[(pk, name) for pk, name in districts if pk is not None],
        streets=[(pk, name, d) for pk, name, d in streets if pk is not None],
    )


def _studios(committee_ids: list[int], today: dt.date) -> dict[int, list[StudioEntry]]:
    """The studios open today, by committee; a lead mediator who is not active is not named
    (the directory lists active mediators only)."""
    found: dict[int, list[StudioEntry]] = {}
    rows = (
        Studio.objects.filter(committee__in=committee_ids, opened_on__lte=today)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=today))
        .select_related("mediator")
        .order_by("kind", "name", "id")
    )
    for s in rows:
        lead = s.mediator
        found.setdefault(s.committee_id, []).append(
            StudioEntry(
                name=s.name,
                kind=s.kind,
                kind_name=s.get_kind_display(),
                mediator=lead.name if lead and lead.status == MediatorStatus.ACTIVE else "",
            )
        )
    return found


def dispute_types() -> list[DisputeType]:
    return list(DisputeType.objects.valid_on(timezone.localdate()).order_by("sort_order"))
