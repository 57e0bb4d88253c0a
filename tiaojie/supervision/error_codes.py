"""The codes of supervision's refusals (``DomainError.code``): stable, matched by clients and tests.
One enum per app, each member its wire value (Saleor's ``error_codes.py``)."""

from tiaojie.core.error_codes import ErrorCode


class SupervisionErrorCode(ErrorCode):
    ALREADY_CARRIED_OVER = "already_carried_over"
    ALREADY_CLOSED_OUT = "already_closed_out"
    ALREADY_SUPERVISED = "already_supervised"
    CASE_ENDED = "case_ended"
    CASE_NOT_ENDED = "case_not_ended"
    DEADLINE_PAST = "deadline_past"
    DEADLINE_REQUIRED = "deadline_required"
    DEADLINE_REST_DAY = "deadline_rest_day"
    INSTRUCTIONS_REQUIRED = "instructions_required"
    INVALID = "invalid"
    MONTH_CARRIED_OVER = "month_carried_over"
    MONTH_NOT_ENDED = "month_not_ended"
    NOT_CLOSED_OUT = "not_closed_out"
    NOT_OPEN = "not_open"
    NOT_PERMITTED = "not_permitted"
    OUTCOME_REQUIRED = "outcome_required"
    PROGRESS_REQUIRED = "progress_required"
    REASON_REQUIRED = "reason_required"
    SAME_LEVEL = "same_level"
    TOP_LEVEL = "top_level"
