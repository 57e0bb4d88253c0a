"""The codes of audit's refusals (``DomainError.code``): stable, matched by clients and tests.
One enum per app, each member its wire value (Saleor's ``error_codes.py``)."""

from tiaojie.core.error_codes import ErrorCode


class AuditErrorCode(ErrorCode):
    ARCHIVE = "archive"
    CHECKSUM = "checksum"
    EXISTS = "exists"
    FORMAT = "format"
    IN_TRANSACTION = "in_transaction"
    KEYS = "keys"
    MANIFEST = "manifest"
    MEDIA_NOT_EMPTY = "media_not_empty"
    NOT_EMPTY = "not_empty"
    PG_DUMP = "pg_dump"
    PG_RESTORE = "pg_restore"
    VENDOR = "vendor"
