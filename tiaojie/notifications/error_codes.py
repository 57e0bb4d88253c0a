"""The codes of notifications's refusals (``DomainError.code``): stable, matched by clients and tests.
One enum per app, each member its wire value (Saleor's ``error_codes.py``)."""

from tiaojie.core.error_codes import ErrorCode


class NotificationsErrorCode(ErrorCode):
    NOT_PERMITTED = "not_permitted"
