"""The codes of refusals (``DomainError.code``): stable, matched by clients and tests.

One enum per app (Saleor's ``error_codes.py``), each member its wire value, so the API and the
tests see the same strings as before. Every app's enum derives from ``ErrorCode``, and
``DomainError`` takes only an ``ErrorCode``: a bare string is a type error (mypy) and a test
(``core/tests/test_error_codes.py``) fails on a string literal where a code is expected."""

from enum import StrEnum


class ErrorCode(StrEnum):
    """The base of every app's error codes (no members of its own)."""


class CoreErrorCode(ErrorCode):
    """Refusals by core itself: the transition engine, input checks and the import framework."""

    INVALID = "invalid"
    FUTURE_DATE = "future_date"
    ILLEGAL_MOVE = "illegal_move"
    # Documents stopped by their limits (core/isolation.py)
    RENDER_TIME = "render_time"
    RENDER_MEMORY = "render_memory"
    IMPORT_FILE_SIZE = "import_file_size"
    IMPORT_FILE_TYPE = "import_file_type"
    IMPORT_INVALID = "import_invalid"
    NOT_PERMITTED = "not_permitted"
    REASON_REQUIRED = "reason_required"
    STALE_VERSION = "stale_version"
    UNKNOWN_ACTION = "unknown_action"
