"""Numbered audit event types. Numbers are stable: never renumber, only add.

Hundreds group the domain: 1xx sessions and tokens, 2xx organisations, 3xx accounts,
4xx cases, 9xx reads and exports.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.IntegerChoices):
    LOGIN_SUCCEEDED = 100, _("Logged in")
    LOGIN_FAILED = 101, _("Login failed")
    LOGGED_OUT = 102, _("Logged out")
    SESSION_TIMED_OUT = 103, _("Session timed out")
    ACCOUNT_LOCKED_OUT = 104, _("Account locked after failed logins")
    API_TOKEN_ISSUED = 110, _("API token issued")
    API_TOKEN_REVOKED = 111, _("API token revoked")

    ORGANISATION_CREATED = 200, _("Organisation created")
    ORGANISATION_UPDATED = 201, _("Organisation updated")
    ORGANISATION_STATUS_CHANGED = 202, _("Organisation status changed")
    ORGANISATION_TREE_IMPORTED = 210, _("Organisation tree imported")

    ACCOUNT_CREATED = 300, _("Account created")
    ACCOUNT_UPDATED = 301, _("Account updated")
    ACCOUNT_ROLE_CHANGED = 302, _("Account role changed")
    ACCOUNT_DEACTIVATED = 303, _("Account deactivated")
    ACCOUNT_REACTIVATED = 304, _("Account reactivated")
    PASSWORD_CHANGED = 305, _("Password changed")
    PASSWORD_RESET = 306, _("Password reset by administrator")
    ACCOUNT_UNLOCKED = 307, _("Account unlocked")

    CASE_REGISTERED = 400, _("Case registered")
    CASE_UPDATED = 401, _("Case updated")
    CASE_MOVED = 402, _("Case status changed")
    CASE_EXTENDED = 403, _("Mediation period extended")
    CASES_IMPORTED = 404, _("Cases imported from a ledger")
    PARTY_ADDED = 410, _("Party added")
    PARTY_UPDATED = 411, _("Party updated")
    RECORD_ADDED = 420, _("Record added")
    MEDIATOR_WITHDRAWN = 421, _("Mediator withdrew")
    MEDIATOR_ADDED = 422, _("Mediator added")
    AGREEMENT_DRAFTED = 430, _("Agreement drawn up")
    AGREEMENT_SIGNED = 431, _("Agreement signed")
    PERFORMANCE_RECORDED = 440, _("Performance recorded")
    CONFIRMATION_APPLIED = 450, _("Judicial confirmation applied for")
    CONFIRMATION_DECIDED = 451, _("Judicial confirmation decided")
    FOLLOW_UP_ADDED = 460, _("Follow-up visit recorded")
    ATTACHMENT_ADDED = 480, _("File attached")
    DOCUMENT_GENERATED = 490, _("Document generated")
    DOCUMENT_TEMPLATE_UPLOADED = 491, _("Document template uploaded")
    DOCUMENT_TEMPLATE_WITHDRAWN = 492, _("Document template withdrawn")

    PERSONAL_DATA_VIEWED = 900, _("Personal data viewed")
    AUDIT_EXPORTED = 901, _("Audit trail exported")
    CASES_EXPORTED = 902, _("Case list exported")
    ATTACHMENT_DOWNLOADED = 903, _("File downloaded")
    DATA_KEY_ROTATED = 910, _("Personal data re-encrypted with a new key")
