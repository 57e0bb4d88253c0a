"""What a role may do (capabilities): the names that every layer checks against.

It lives in core, below the apps, so that audit and organisations can check a capability
without importing accounts (which imports them: accounts records audit events and places
accounts in organisations). Which role holds which capability stays in ``accounts.roles``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
