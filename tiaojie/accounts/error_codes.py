"""The codes of accounts's refusals (``DomainError.code``): stable, matched by clients and tests.
One enum per app, each member its wire value (Saleor's ``error_codes.py``)."""

from tiaojie.core.error_codes import ErrorCode


class AccountsErrorCode(ErrorCode):
    ALREADY_ENROLLED = "already_enrolled"
    INVALID_PASSWORD = "invalid_password"  # noqa: S105 (a code, not a password)
    LINK_INVALID = "link_invalid"
    NOT_ENROLLED = "not_enrolled"
    NOT_ENROLLING = "not_enrolling"
    NOT_PENDING = "not_pending"
    NOT_PERMITTED = "not_permitted"
    PASSWORD_CHANGE_REQUIRED = "password_change_required"  # noqa: S105
    PENDING = "pending"
    STALE_VERSION = "stale_version"
