"""The codes of subsidies's refusals (``DomainError.code``): stable, matched by clients and tests.
One enum per app, each member its wire value (Saleor's ``error_codes.py``)."""

from tiaojie.core.error_codes import ErrorCode


class SubsidiesErrorCode(ErrorCode):
    FUTURE_MONTH = "future_month"
    INVALID = "invalid"
    NO_RULES = "no_rules"
    NOT_BUREAU = "not_bureau"
    NOT_COMMITTEE = "not_committee"
    NOT_COMPUTED = "not_computed"
    NOT_DRAFT = "not_draft"
    NOT_PERMITTED = "not_permitted"
    RULES_IN_USE = "rules_in_use"
    STALE_SHEET = "stale_sheet"
    STALE_VERSION = "stale_version"
