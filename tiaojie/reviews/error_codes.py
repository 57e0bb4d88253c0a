"""The codes of reviews's refusals (``DomainError.code``): stable, matched by clients and tests.
One enum per app, each member its wire value (Saleor's ``error_codes.py``)."""

from tiaojie.core.error_codes import ErrorCode


class ReviewsErrorCode(ErrorCode):
    ALREADY_SCORED = "already_scored"
    ILLEGAL_STATE = "illegal_state"
    INVALID = "invalid"
    NOT_PERMITTED = "not_permitted"
    NOT_SCORED = "not_scored"
    OWN_COMMITTEE = "own_committee"
    RECTIFICATION_OPEN = "rectification_open"
    REVIEWERS_ASSIGNED = "reviewers_assigned"
    REVIEWS_PENDING = "reviews_pending"
    ROUND_NOT_IN_REVIEW = "round_not_in_review"
    SHEET_IN_USE = "sheet_in_use"
    STALE_VERSION = "stale_version"
    TEXT_REQUIRED = "text_required"
