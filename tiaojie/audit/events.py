"""Numbered audit event types. Numbers are stable: never renumber, only add.

Hundreds group the domain: 1xx sessions and tokens, 2xx organisations, 3xx accounts,
4xx cases, 5xx routing and supervision, 6xx deadlines and notifications, 7xx case-file
review, 9xx reads and exports.
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
    LOGIN_BLOCKED = 105, _("Logins blocked after failed attempts")
    LOGIN_UNBLOCKED = 106, _("Login block lifted")
    ACCESS_ENDED = 112, _("Every session and API token of an account ended")

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
    APPROVAL_REQUESTED = 310, _("Account change awaits approval")
    APPROVAL_GRANTED = 311, _("Account change approved")
    APPROVAL_REFUSED = 312, _("Account change refused")
    PASSWORD_SET_BY_LINK = 313, _("Password chosen through a one-time link")

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

    # 5xx: routing and supervision
    CENTRE_SETTINGS_CHANGED = 500, _("Governance centre settings changed")
    ROUTING_RULE_SAVED = 501, _("Routing rule saved")
    ROUTING_RULE_DEACTIVATED = 502, _("Routing rule deactivated")
    MEDIATOR_EXPERTISE_SAVED = 505, _("Mediator expertise saved")
    TRANSFER_REQUESTED = 520, _("Transfer requested")
    TRANSFER_ACCEPTED = 521, _("Transfer accepted")
    TRANSFER_RETURNED = 522, _("Transfer returned")
    TRANSFER_WITHDRAWN = 523, _("Transfer withdrawn")
    JOINT_COMMITTEE_ADDED = 530, _("Committee joined the mediation")
    JOINT_COMMITTEE_REMOVED = 531, _("Committee left the joint mediation")
    SUPERVISION_OPENED = 550, _("Case flagged for supervision")
    SUPERVISION_REPORTED = 551, _("Supervision progress reported")
    SUPERVISION_EXTENDED = 552, _("Supervision deadline extended")
    SUPERVISION_ESCALATED = 553, _("Supervision escalated")
    SUPERVISION_CLOSED = 554, _("Supervision closed")
    LEDGER_CLOSED_OUT = 560, _("Ledger item closed out")
    LEDGER_REOPENED = 561, _("Ledger item reopened")
    LEDGER_CARRIED_OVER = 562, _("Ledger carried over at month end")
    # 6xx: deadlines and notifications
    CALENDAR_YEAR_SAVED = 600, _("Working-day calendar saved")
    DEADLINE_RULE_SAVED = 610, _("Deadline rule saved")
    DEADLINE_SCAN_RUN = 620, _("Deadline scan run")
    DIGEST_SENT = 621, _("Daily digest sent")
    # 7xx: case-file review
    SCORE_SHEET_SAVED = 700, _("Score sheet saved")
    REVIEW_ROUND_CREATED = 701, _("Review round created")
    REVIEW_ROUND_SAMPLED = 702, _("Case files sampled for review")
    REVIEWER_ASSIGNED = 703, _("Reviewer assigned")
    CASE_REVIEW_SCORED = 704, _("Case file scored")
    REVIEW_ROUND_CLOSED = 705, _("Review round closed")
    RECTIFICATION_REQUESTED = 710, _("Rectification requested")
    RECTIFICATION_REPORTED = 711, _("Rectification reported")
    RECTIFICATION_CLOSED = 712, _("Rectification closed")

    SUBSIDY_RULES_CHANGED = 850, _("Subsidy rules set")
    SUBSIDY_SHEET_COMPUTED = 851, _("Subsidy sheet computed")
    SUBSIDY_SHEET_MOVED = 852, _("Subsidy sheet submitted, approved, returned or paid")

    PERSONAL_DATA_VIEWED = 900, _("Personal data viewed")
    AUDIT_EXPORTED = 901, _("Audit trail exported")
    CASES_EXPORTED = 902, _("Case list exported")
    ATTACHMENT_DOWNLOADED = 903, _("File downloaded")
    LEDGER_EXPORTED = 904, _("Ledger exported")
    REVIEW_RESULTS_EXPORTED = 905, _("Review results exported")
    SUBSIDY_SHEET_EXPORTED = 920, _("Subsidy sheet exported")
    DATA_KEY_ROTATED = 910, _("Personal data re-encrypted with a new key")
