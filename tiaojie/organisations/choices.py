"""Kinds and statuses of the organisations in the mediation network (glossary: The network)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    """Where an organisation sits in the network; decides which parents it may have."""

    CITY_BUREAU = "city_bureau", _("City justice bureau")
    DISTRICT_BUREAU = "district_bureau", _("District justice bureau")
    JUSTICE_OFFICE = "justice_office", _("Justice office")
    COMMITTEE = "committee", _("Mediation committee")
    GRID = "grid", _("Grid")
    ASSOCIATION = "association", _("Mediators' association")
    # 行政调解组织 (e.g. a department's 行政调解委员会): not people's mediation. It holds no case
    # of the registry and counts in no people's-mediation figure; it is in the tree so that
    # referrals can name it (ADR 0038).
    ADMIN_MEDIATION = "admin_mediation", _("Administrative mediation body")


class CommitteeKind(models.TextChoices):
    """The kind of a mediation committee, as in the statistics forms."""

    STREET = "street", _("Street/township committee")
    COMMUNITY = "community", _("Community/village committee")
    SECTORAL = "sectoral", _("Sectoral committee")
    ENTERPRISE = "enterprise", _("Enterprise committee")
    STATIONED = "stationed", _("Stationed mediation room")
    COMMERCE = "commerce", _("Chamber of commerce committee")
    # 律师调解: a lawyer mediation studio (律师调解工作室) or committee (律师调解委员会) set up
    # as a people's mediation organisation; one kind for both (ADR 0038).
    LAWYER = "lawyer", _("Lawyer mediation studio")


class Sector(models.TextChoices):
    """The field of a sectoral committee."""

    MEDICAL = "medical", _("Medical")
    TRAFFIC = "traffic", _("Road traffic")
    LABOUR = "labour", _("Labour and personnel")
    PROPERTY = "property", _("Property management")
    IP = "ip", _("Intellectual property")
    FINANCE = "finance", _("Financial consumption")
    INSURANCE = "insurance", _("Insurance")
    REAL_ESTATE = "real_estate", _("Real estate")
    ENVIRONMENT = "environment", _("Environment")
    TOURISM = "tourism", _("Tourism")
    INTERNET = "internet", _("Internet")
    OTHER = "other", _("Other sector")


class Station(models.TextChoices):
    """Where a stationed mediation room sits."""

    COURT = "court", _("Court")
    POLICE = "police", _("Police station")
    PETITION = "petition", _("Petition office")
    LABOUR_ARBITRATION = "labour_arbitration", _("Labour arbitration")
    PROCURATORATE = "procuratorate", _("Procuratorate")
    OTHER = "other", _("Other department")


class OrganisationStatus(models.TextChoices):
    """Whether an organisation still works; merged and dissolved ones keep their history."""

    ACTIVE = "active", _("Active")
    MERGED = "merged", _("Merged")
    DISSOLVED = "dissolved", _("Dissolved")


# Which kinds may sit directly under which. ``None`` means a root of the tree.
ALLOWED_PARENTS: dict[str, frozenset[str | None]] = {
    OrganisationKind.CITY_BUREAU: frozenset({None}),
    OrganisationKind.DISTRICT_BUREAU: frozenset({None, OrganisationKind.CITY_BUREAU}),
    OrganisationKind.JUSTICE_OFFICE: frozenset({OrganisationKind.DISTRICT_BUREAU}),
    OrganisationKind.COMMITTEE: frozenset(
        {
            OrganisationKind.CITY_BUREAU,
            OrganisationKind.DISTRICT_BUREAU,
            OrganisationKind.JUSTICE_OFFICE,
        }
    ),
    OrganisationKind.GRID: frozenset({OrganisationKind.COMMITTEE}),
    OrganisationKind.ASSOCIATION: frozenset(
        {OrganisationKind.CITY_BUREAU, OrganisationKind.DISTRICT_BUREAU}
    ),
    # Listed under the bureau or justice office that guides administrative mediation there.
    OrganisationKind.ADMIN_MEDIATION: frozenset(
        {
            OrganisationKind.CITY_BUREAU,
            OrganisationKind.DISTRICT_BUREAU,
            OrganisationKind.JUSTICE_OFFICE,
        }
    ),
}
