"""Time-based one-time passwords (RFC 6238 over RFC 4226), the second factor of sign-in.

Thirty-second steps, six digits, HMAC-SHA1: what every authenticator app (微信小程序, 腾讯身份验证器,
Google/Microsoft Authenticator, FreeOTP) expects. A code is accepted one step either side of
now, for clocks that drift; the caller stores the last step used so a code works once.
The enrolment QR code is drawn here as inline SVG (``segno``): no image service ever sees
the secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import secrets
import struct
import time
from urllib.parse import quote, urlencode

import segno

STEP_SECONDS = 30
DIGITS = 6
SECRET_BYTES = 20  # 160 bits, the size RFC 4226 recommends


def new_secret() -> str:
    """A fresh secret in base32 (how apps take it when typed by hand), without padding."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    padded = secret.upper() + "=" * (-len(secret) % 8)
    return base64.b32decode(padded)


def code_at(secret: str, step: int) -> str:
    """The code of time step ``step`` (RFC 4226 dynamic truncation)."""
    digest = hmac.new(_key(secret), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def matching_step(secret: str, code: str, *, after: int = -1, now: float | None = None) -> int:
    """The step ``code`` belongs to (now, or one either side), or -1.

    Steps at or before ``after`` (the last one used) never match: a code works once.
    """
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return -1
    step = current_step(now)
    for candidate in (step, step - 1, step + 1):
        if candidate > after and hmac.compare_digest(code_at(secret, candidate), code):
            return candidate
    return -1


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    label = quote(f"{issuer}:{account}")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "digits": DIGITS, "period": STEP_SECONDS}
    )
    return f"otpauth://totp/{label}?{query}"


def qr_svg(data: str) -> str:
    """The QR code of ``data`` as an inline ``<svg>`` element (no XML declaration)."""
    out = io.BytesIO()
    segno.make(data, error="m").save(
        out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, nl=False
    )
    return out.getvalue().decode("utf-8")
