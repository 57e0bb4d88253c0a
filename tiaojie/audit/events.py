"""Numbered audit event types. Numbers are stable: never renumber, only add.

Hundreds group the domain: 1xx sessions and tokens, 2xx organisations, 3xx accounts,
9xx reads and exports.
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

    PERSONAL_DATA_VIEWED = 900, _("Personal data viewed")
    AUDIT_EXPORTED = 901, _("Audit trail exported")
