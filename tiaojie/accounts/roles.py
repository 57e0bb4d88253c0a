"""Roles and what each may do: the single source of docs/permissions.md.

A role grants capabilities; the organisation an account belongs to bounds where it may use
them (its subtree). The three administrators are separated (三员分立): none can do another's
work, and none holds a capability over case contents.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.core.capabilities import Capability as Capability  # re-exported
from tiaojie.organisations.choices import OrganisationKind


class Role(models.TextChoices):
    """A staff account's role."""

    BUREAU_OFFICER = "bureau_officer", _("Bureau officer")
    OFFICE_OFFICER = "office_officer", _("Justice-office officer")
    COMMITTEE_DIRECTOR = "committee_director", _("Committee director")
    MEDIATOR = "mediator", _("Mediator")
    GRID_WORKER = "grid_worker", _("Grid worker")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
BUSINESS_ROLES = frozenset(set(Role) - ADMIN_ROLES)


# Capability lives in core (see there); it is re-exported here for the apps above.
C = Capability
ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.BUREAU_OFFICER: frozenset(
        {
            C.ORGANISATION_VIEW,
            C.ORGANISATION_MANAGE,
            C.STAFF_VIEW,
            C.CASE_CONTENT,
            C.CASE_EXPORT,
            C.CASE_REGISTER,
            C.CASE_ROUTE,
            C.CASE_SUPERVISE,
            C.LEDGER_CLOSE,
            C.RULES_CONFIGURE,
            C.REVIEW_MANAGE,
            C.REVIEW_SCORE,
            C.SUBSIDY_VIEW,
            C.SUBSIDY_APPROVE,
            C.SUBSIDY_CONFIGURE,
            C.MEDIATOR_VIEW,
            C.MEDIATOR_MANAGE,
        }
    ),
    Role.OFFICE_OFFICER: frozenset(
        {
            C.ORGANISATION_VIEW,
            C.ORGANISATION_MANAGE,
            C.STAFF_VIEW,
            C.CASE_CONTENT,
            C.CASE_EXPORT,
            C.CASE_REGISTER,
            C.CASE_ROUTE,
            C.CASE_SUPERVISE,
            C.LEDGER_CLOSE,
            C.REVIEW_SCORE,
            C.SUBSIDY_VIEW,
            C.SUBSIDY_APPROVE,
            C.MEDIATOR_VIEW,
            C.MEDIATOR_MANAGE,
        }
    ),
    Role.COMMITTEE_DIRECTOR: frozenset(
        {
            C.ORGANISATION_VIEW,
            C.STAFF_VIEW,
            C.CASE_CONTENT,
            C.CASE_REGISTER,
            C.CASE_HANDLE,
            C.CASE_ASSIGN,
            C.CASE_ARCHIVE,
            C.CASE_EXPORT,
            C.PERSONAL_DATA,
            C.PERSONAL_INFO_REQUEST,
            C.LEDGER_CLOSE,
            C.REVIEW_SCORE,
            C.SUBSIDY_VIEW,
            C.SUBSIDY_PREPARE,
            C.MEDIATOR_VIEW,
            C.MEDIATOR_MANAGE,
        }
    ),
    Role.MEDIATOR: frozenset(
        {
            C.ORGANISATION_VIEW,
            C.STAFF_VIEW,
            C.CASE_CONTENT,
            C.CASE_REGISTER,
            C.CASE_HANDLE,
            C.PERSONAL_DATA,
            C.MEDIATOR_VIEW,
        }
    ),
    Role.GRID_WORKER: frozenset({C.ORGANISATION_VIEW, C.CASE_CONTENT, C.CASE_REGISTER}),
    Role.SYSTEM_ADMIN: frozenset(
        {
            C.ORGANISATION_VIEW,
            C.ORGANISATION_MANAGE,
            C.ORGANISATION_IMPORT,
            C.STAFF_VIEW,
            C.ACCOUNT_MANAGE,
        }
    ),
    Role.SECURITY_ADMIN: frozenset({C.ORGANISATION_VIEW, C.STAFF_VIEW, C.ACCOUNT_SECURE}),
    Role.AUDIT_ADMIN: frozenset({C.AUDIT_VIEW}),
}

# The organisation kinds an account of each role may belong to.
ROLE_ORGANISATION_KINDS: dict[Role, frozenset[str]] = {
    Role.BUREAU_OFFICER: frozenset(
        {OrganisationKind.CITY_BUREAU, OrganisationKind.DISTRICT_BUREAU}
    ),
    Role.OFFICE_OFFICER: frozenset({OrganisationKind.JUSTICE_OFFICE}),
    Role.COMMITTEE_DIRECTOR: frozenset({OrganisationKind.COMMITTEE}),
    Role.MEDIATOR: frozenset({OrganisationKind.COMMITTEE}),
    Role.GRID_WORKER: frozenset({OrganisationKind.GRID}),
    Role.SYSTEM_ADMIN: frozenset({OrganisationKind.CITY_BUREAU, OrganisationKind.DISTRICT_BUREAU}),
    Role.SECURITY_ADMIN: frozenset(
        {OrganisationKind.CITY_BUREAU, OrganisationKind.DISTRICT_BUREAU}
    ),
    Role.AUDIT_ADMIN: frozenset({OrganisationKind.CITY_BUREAU, OrganisationKind.DISTRICT_BUREAU}),
}


def has_capability(role: str, capability: str) -> bool:
    """Whether ``role`` grants ``capability`` (a ``Capability`` or its value: ``core`` names
    capabilities by value, as it does not know the roles)."""
    try:
        return Capability(capability) in ROLE_CAPABILITIES[Role(role)]
    except ValueError:
        return False
