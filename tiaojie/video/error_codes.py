"""The codes of video mediation's refusals (``DomainError.code``): stable, matched by clients
and tests."""

from tiaojie.core.error_codes import ErrorCode


class VideoErrorCode(ErrorCode):
    CASE_CLOSED = "case_closed"
    ROOM_CLOSED = "room_closed"
    NOT_A_PARTY = "not_a_party"
    NO_PHONE = "no_phone"
    CONSENT_MISSING = "consent_missing"
    ALONE = "alone"
    BAD_SIGNAL = "bad_signal"
    SIGNAL_LIMIT = "signal_limit"
    NOT_PERMITTED = "not_permitted"
