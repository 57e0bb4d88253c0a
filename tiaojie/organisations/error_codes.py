"""The codes of organisations's refusals (``DomainError.code``): stable, matched by clients and tests.
One enum per app, each member its wire value (Saleor's ``error_codes.py``)."""

from tiaojie.core.error_codes import ErrorCode


class OrganisationsErrorCode(ErrorCode):
    DUPLICATE_NAME = "duplicate_name"
    INVALID = "invalid"
    NOT_PERMITTED = "not_permitted"
    STALE_VERSION = "stale_version"
