"""Field rules for an organisation, shared by the form, the API and the tree import."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.organisations.choices import (
    ALLOWED_PARENTS,
    CommitteeKind,
    OrganisationKind,
    OrganisationStatus,
    Sector,
    Station,
)

# [0-9], not \d: \d would also take full-width and other non-ASCII digits.
_DIVISION_CODE = re.compile(r"^[0-9]{6}([0-9]{3}){0,2}$")
_PHONE = re.compile(r"^[0-9+()\- ]{7,20}$")
# Mainland China, with a margin: catches swapped or mistyped coordinates.
LONGITUDE_RANGE = (Decimal("73"), Decimal("136"))
LATITUDE_RANGE = (Decimal("3"), Decimal("54"))

FieldErrors = dict[str, list[str]]


@dataclass
class OrganisationData:
    """The editable attributes of an organisation, already parsed to Python types."""

    kind: str
    name: str
    short_name: str = ""
    committee_kind: str = ""
    sector: str = ""
    station: str = ""
    division_code: str = ""
    address: str = ""
    phone: str = ""
    longitude: Decimal | None = None
    latitude: Decimal | None = None
    established_on: dt.date | None = None
    brand_name: str = ""


def significant_prefix(code: str) -> str:
    """The part of a division code its children share (420100 → 4201; 110000 → 11)."""
    return code.rstrip("0")


def validate_organisation(
    data: OrganisationData, *, parent_kind: str | None, parent_code: str = ""
) -> FieldErrors:
    """All the problems with ``data`` under a parent of ``parent_kind``, by field."""
    errors: FieldErrors = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not data.name.strip():
        add("name", _("Enter the organisation's name."))
    elif len(data.name) > 120:
        add("name", _("The name is at most 120 characters."))
    if len(data.short_name) > 40:
        add("short_name", _("The short name is at most 40 characters."))

    if data.kind not in OrganisationKind.values:
        add("kind", _("Choose a valid kind of organisation."))
    else:
        allowed = ALLOWED_PARENTS[data.kind]
        if parent_kind not in allowed:
            kind_label = OrganisationKind(data.kind).label
            if parent_kind is None:
                add(
                    "parent",
                    _("A %(kind)s must sit under a parent organisation.") % {"kind": kind_label},
                )
            else:
                add(
                    "parent",
                    _("A %(kind)s cannot sit under a %(parent)s.")
                    % {"kind": kind_label, "parent": OrganisationKind(parent_kind).label},
                )

    if data.kind == OrganisationKind.COMMITTEE:
        if data.committee_kind not in CommitteeKind.values:
            add("committee_kind", _("Choose the kind of committee."))
        if data.committee_kind == CommitteeKind.SECTORAL and data.sector not in Sector.values:
            add("sector", _("A sectoral committee needs its sector."))
        if data.committee_kind == CommitteeKind.STATIONED and data.station not in Station.values:
            add("station", _("A stationed room needs the department it is stationed at."))
        if data.sector and data.committee_kind != CommitteeKind.SECTORAL:
            add("sector", _("Only sectoral committees have a sector."))
        if data.station and data.committee_kind != CommitteeKind.STATIONED:
            add("station", _("Only stationed rooms are stationed at a department."))
    else:
        for field in ("committee_kind", "sector", "station"):
            if getattr(data, field):
                add(field, _("Only mediation committees have this attribute."))

    if data.division_code:
        if not _DIVISION_CODE.match(data.division_code):
            add(
                "division_code",
                _("A division code has 6 digits (GB/T 2260), or 9 or 12 with the extension."),
            )
        elif parent_code and not data.division_code.startswith(significant_prefix(parent_code)):
            add(
                "division_code",
                _("The code %(code)s does not lie within the parent's area %(parent)s.")
                % {"code": data.division_code, "parent": parent_code},
            )
    if data.phone and not _PHONE.match(data.phone):
        add("phone", _("Enter a phone number of 7 to 20 digits, e.g. 027-88886666."))
    if data.longitude is not None and not (
        LONGITUDE_RANGE[0] <= data.longitude <= LONGITUDE_RANGE[1]
    ):
        add("longitude", _("The longitude must lie between 73 and 136 (east)."))
    if data.latitude is not None and not (LATITUDE_RANGE[0] <= data.latitude <= LATITUDE_RANGE[1]):
        add("latitude", _("The latitude must lie between 3 and 54 (north)."))
    if (data.longitude is None) != (data.latitude is None):
        add("latitude", _("Give both longitude and latitude, or neither."))
    if data.established_on is not None and data.established_on > timezone.localdate():
        add("established_on", _("The date of establishment cannot be in the future."))
    return errors


def validate_status_change(
    status: str, on: dt.date | None, merged_into_id: int | None
) -> FieldErrors:
    errors: FieldErrors = {}
    if status not in OrganisationStatus.values:
        errors["status"] = [_("Choose a valid status.")]
    if status != OrganisationStatus.ACTIVE and on is None:
        errors["status_changed_on"] = [_("Give the date of the merger or dissolution.")]
    if status == OrganisationStatus.MERGED and merged_into_id is None:
        errors["merged_into"] = [_("Choose the organisation it merged into.")]
    return errors
