"""Roles and what each may do: the single source of docs/permissions.md.

A role grants capabilities; the organisation an account belongs to bounds where it may use
them (its subtree). The three administrators are separated (三员分立): none can do another's
work, and none holds a capability over case contents.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

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


class Capability(models.TextChoices):
    """Something a role may do, within its organisation's subtree."""

    ORGANISATION_VIEW = "organisation.view", _("Browse the organisation tree")
    ORGANISATION_MANAGE = "organisation.manage", _("Create and edit organisations")
    ORGANISATION_IMPORT = "organisation.import", _("Import an organisation tree")
    STAFF_VIEW = "staff.view", _("See the staff of an organisation")
    ACCOUNT_MANAGE = "account.manage", _("Create accounts and edit their profiles")
    ACCOUNT_SECURE = (
        "account.secure",
        _("Change roles, lock, unlock, reset passwords, revoke tokens"),
    )
    AUDIT_VIEW = "audit.view", _("Browse and export the audit trail")
    CASE_CONTENT = "case.content", _("Read case contents")
    CASE_REGISTER = "case.register", _("Register disputes")
    CASE_HANDLE = "case.handle", _("Accept, mediate and record cases")
    CASE_ASSIGN = "case.assign", _("Assign and replace mediators")
    CASE_ARCHIVE = "case.archive", _("Archive case files")
    CASE_EXPORT = "case.export", _("Export case lists")
    PERSONAL_DATA = "personal_data.view", _("See parties' ID numbers, phones and addresses in full")
    CASE_ROUTE = "case.route", _("Triage and route disputes at a governance centre")
    CASE_SUPERVISE = "case.supervise", _("Flag cases for supervision and decide on them")
    LEDGER_CLOSE = "ledger.close", _("Close out ledger items and carry the ledger over")
    RULES_CONFIGURE = (
        "rules.configure",
        _("Configure routing rules, deadline rules and the working-day calendar"),
    )
    REVIEW_MANAGE = "review.manage", _("Run case-file reviews: score sheets, sampling, reviewers")
    REVIEW_SCORE = "review.score", _("Score sampled case files")
    PERSONAL_INFO_REQUEST = (
        "personal_info.request",
        _("Answer a personal-information request: export everything held on one person"),
    )
    SUBSIDY_VIEW = "subsidy.view", _("See per-case subsidy sheets")
    SUBSIDY_PREPARE = "subsidy.prepare", _("Compute and submit the committee's subsidy sheet")
    SUBSIDY_APPROVE = "subsidy.approve", _("Approve, return and pay subsidy sheets")
    SUBSIDY_CONFIGURE = "subsidy.configure", _("Set the bureau's per-case subsidy rules")
    MEDIATOR_VIEW = "mediator.view", _("Browse the mediator roster")
    MEDIATOR_MANAGE = (
        "mediator.manage",
        _("Register and edit mediators, see their personal data, import and export the roster"),
    )


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
