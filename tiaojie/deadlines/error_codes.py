"""The codes of deadlines's refusals (``DomainError.code``): stable, matched by clients and tests.
One enum per app, each member its wire value (Saleor's ``error_codes.py``)."""

from tiaojie.core.error_codes import ErrorCode


class DeadlinesErrorCode(ErrorCode):
    CALENDAR_INVALID = "calendar_invalid"
    INVALID = "invalid"
    INVALID_YEAR = "invalid_year"
    NOT_PERMITTED = "not_permitted"
    STALE_VERSION = "stale_version"
