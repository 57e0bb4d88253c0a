"""The codes of routing's refusals (``DomainError.code``): stable, matched by clients and tests.
One enum per app, each member its wire value (Saleor's ``error_codes.py``)."""

from tiaojie.core.error_codes import ErrorCode


class RoutingErrorCode(ErrorCode):
    INVALID = "invalid"
    NOT_PERMITTED = "not_permitted"
    STALE_VERSION = "stale_version"
    UNKNOWN_ACTION = "unknown_action"
    REASON_REQUIRED = "reason_required"
    # The queue and routing a case
    COMMITTEE_REQUIRED = "committee_required"
    NOT_A_CENTRE = "not_a_centre"
    QUEUE_NOT_EMPTY = "queue_not_empty"
    # Tier rules
    RULE_CONFLICT = "rule_conflict"
    RULE_SHADOWED = "rule_shadowed"
    RULE_SHADOWS = "rule_shadows"
    ALREADY_INACTIVE = "already_inactive"
    # Transfers
    SAME_COMMITTEE = "same_committee"
    OUTSIDE_REACH = "outside_reach"
    COMMITTEE_INACTIVE = "committee_inactive"
    MEDIATION_STARTED = "mediation_started"
    TRANSFER_PENDING = "transfer_pending"
    TRANSFER_DECIDED = "transfer_decided"
    CASE_MOVED = "case_moved"
    # Joint mediation
    CASE_CLOSED = "case_closed"
    ALREADY_JOINED = "already_joined"
    NOT_JOINED = "not_joined"
