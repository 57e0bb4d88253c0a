"""The codes of screening's refusals (``DomainError.code``): stable, matched by clients and tests.
One enum per app, each member its wire value (Saleor's ``error_codes.py``)."""

from tiaojie.core.error_codes import ErrorCode


class ScreeningErrorCode(ErrorCode):
    HAS_FINDINGS = "has_findings"
    INVALID = "invalid"
    NOT_DUE = "not_due"
    NOT_OPEN = "not_open"
    NOT_PERMITTED = "not_permitted"
    NOTHING_FOUND = "nothing_found"
    REPORTED = "reported"
    STALE_VERSION = "stale_version"
