"""The codes of statistics's refusals (``DomainError.code``): stable, matched by clients and tests.
One enum per app, each member its wire value (Saleor's ``error_codes.py``)."""

from tiaojie.core.error_codes import ErrorCode


class StatisticsErrorCode(ErrorCode):
    NIL_REQUIRED = "nil_required"
    NOT_NIL = "not_nil"
    NOT_PERMITTED = "not_permitted"
    PERIOD_NOT_ENDED = "period_not_ended"
    UNKNOWN_ACTION = "unknown_action"
    BELOW_NOT_FILED = "below_not_filed"
