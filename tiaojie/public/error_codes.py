"""The codes of public's refusals (``DomainError.code``): stable, matched by clients and tests.
One enum per app, each member its wire value (Saleor's ``error_codes.py``)."""

from tiaojie.core.error_codes import ErrorCode


class PublicErrorCode(ErrorCode):
    ALREADY_RATED = "already_rated"
    ALREADY_VERIFIED = "already_verified"
    INVALID = "invalid"
    INVALID_CODE = "invalid_code"
    NO_TYPE = "no_type"
    NOT_BOOKABLE = "not_bookable"
    NOT_CLOSED = "not_closed"
    NOT_PERMITTED = "not_permitted"
    NOT_VERIFIED = "not_verified"
    PHONE_FORMAT = "phone_format"
    SLOT_TAKEN = "slot_taken"
    STALE = "stale"
    TOO_MANY_CODES = "too_many_codes"
    TOO_MANY_FILES = "too_many_files"
    TOO_SOON = "too_soon"
    UNFINISHED = "unfinished"
    SIGNATURE_INVALID = "signature_invalid"
    NO_MOBILE = "no_mobile"
    NOT_SIGNABLE = "not_signable"
    SESSION_REQUIRED = "session_required"
