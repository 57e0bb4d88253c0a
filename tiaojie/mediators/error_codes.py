"""The codes of mediators's refusals (``DomainError.code``): stable, matched by clients and tests.
One enum per app, each member its wire value (Saleor's ``error_codes.py``)."""

from tiaojie.core.error_codes import ErrorCode


class MediatorsErrorCode(ErrorCode):
    ATTENDANCE_EXISTS = "attendance_exists"
    COMMITTEE_OUT_OF_SCOPE = "committee_out_of_scope"
    INVALID = "invalid"
    MEMBERSHIP_ENDED = "membership_ended"
    MEMBERSHIP_EXISTS = "membership_exists"
    NOT_PERMITTED = "not_permitted"
    STALE_VERSION = "stale_version"
    UNKNOWN_COURSE = "unknown_course"
    STAR_RATING_EXISTS = "star_rating_exists"
    HONOUR_EXISTS = "honour_exists"
    PROMOTION_OPEN = "promotion_open"
    EXPERT_EXISTS = "expert_exists"
    EXPERT_UNAVAILABLE = "expert_unavailable"
    ASSOCIATION_MEMBER_EXISTS = "association_member_exists"
    ASSOCIATION_OUT_OF_SCOPE = "association_out_of_scope"
    STUDIO_EXISTS = "studio_exists"
