"""Validators for the national codes people type in: ID numbers, credit codes, phone numbers.

Each ``validate_*`` accepts what people actually type (spaces, full-width characters, a
lower-case x) and raises Django's ``ValidationError`` with a stable ``code`` and a translated
message. Every identifier is stored, searched and blind-indexed in the form the matching
``normalise_*`` gives, never as typed.

Region codes are checked against GB/T 2260, shipped as ``data/gb2260.txt`` (every county-level
code since 1980, abolished ones with the last year they were in use; rebuilt by
``scripts/update-divisions``). Where these rules differ from python-stdnum's, and why, is in
docs/decisions/0009-identifier-validation.md; ``core/tests/test_validators_stdnum.py`` holds
the two against each other.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

Gender = Literal["male", "female"]

# GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
ID_NUMBER = re.compile(r"^[0-9]{17}[0-9X]$")
EARLIEST_BIRTH_DATE = date(1900, 1, 1)

DIVISIONS_FILE = Path(__file__).resolve().parent / "data" / "gb2260.txt"
# A credit code registered by a central authority carries 100000 in positions 3-8: not a
# GB/T 2260 code, but the one GB 32100 prescribes for national registrations.
CENTRAL_REGION = "100000"

# GB 32100-2015: 31 characters (no I, O, Z, S, V), MOD 31 over the first 17.
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC = re.compile(rf"^[{USCC_CHARS}]{{18}}$")

# [0-9], not \d: \d would also take Arabic-Indic and other digits that NFKC leaves alone.
MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
# Area code (3 digits for 010 and 02x, 4 for the rest, so one without a hyphen is not
# ambiguous), optional hyphen, local number, then an extension after -, #, 转 or "ext".
AREA_CODE = r"(?:010|02[0-9]|0[3-9][0-9]{2})"
LANDLINE = re.compile(
    rf"^{AREA_CODE}-?[0-9]{{7,8}}(?:(?:-|#|转|ext\.?)[0-9]{{1,6}})?$", re.IGNORECASE
)


def _ascii(value: str) -> str:
    """Full-width digits and letters to ASCII, all white space removed."""
    return "".join(unicodedata.normalize("NFKC", value).split())


@dataclass(frozen=True)
class Division:
    """One GB/T 2260 code: its latest name and the years it was in use (None: open-ended)."""

    code: str
    name: str
    first_year: int | None
    last_year: int | None


@cache
def divisions() -> dict[str, Division]:
    """Every county-level division code since 1980, current and abolished, by code."""
    found: dict[str, Division] = {}
    for line in DIVISIONS_FILE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code, first, last, name = line.split("\t")
        found[code] = Division(
            code, name, int(first) if first else None, int(last) if last else None
        )
    return found


@cache
def provinces() -> frozenset[str]:
    """The two-digit province-level prefixes of the division table."""
    return frozenset(code[:2] for code in divisions())


def division(code: str) -> Division | None:
    """The division with this six-digit code, or None if GB/T 2260 never had it."""
    return divisions().get(code)


def normalise_id_number(value: str) -> str:
    """An ID number as stored: no spaces, ASCII, upper-case check character."""
    return _ascii(value).upper()


def id_number_check_char(body: str) -> str:
    """The check character for the first 17 digits of an ID number."""
    if not re.fullmatch(r"[0-9]{17}", body):
        raise ValueError("an ID number's body is 17 digits")
    total = sum(int(digit) * weight for digit, weight in zip(body, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def _birth_date(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str) -> None:
    """Refuse a value that is not a valid 18-character resident ID number (GB 11643-1999)."""
    number = normalise_id_number(value)
    if not ID_NUMBER.match(number):
        raise ValidationError(
            _("An ID number has 18 characters: 17 digits and a check digit (0–9 or X)."),
            code="id_number_format",
        )
    # Any code the table ever had: a number keeps the code it was issued under after the
    # county is merged or renamed, and was issued when the card was, not at birth, so neither
    # end of the code's years can be compared with the birth date.
    if division(number[:6]) is None:
        raise ValidationError(
            _(
                "The first six digits of an ID number are the region code of where it was "
                "issued; %(code)s is not a region code (GB/T 2260). Please check them."
            )
            % {"code": number[:6]},
            code="id_number_region",
        )
    born = _birth_date(number)
    if born is None or not EARLIEST_BIRTH_DATE <= born <= timezone.localdate():
        raise ValidationError(
            _("Digits 7 to 14 of an ID number must be a real date of birth."),
            code="id_number_birth_date",
        )
    if id_number_check_char(number[:17]) != number[17]:
        raise ValidationError(
            _("This ID number's check digit is wrong; please check it for a typing mistake."),
            code="id_number_checksum",
        )


def id_number_birth_date(value: str) -> date:
    """The date of birth in a valid ID number; ``ValidationError`` if it is not valid."""
    validate_id_number(value)
    number = normalise_id_number(value)
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def id_number_facts(value: str) -> tuple[date, Gender]:
    """The date of birth and the sex in a valid ID number, checked once (a form or a ledger
    row that wants both); ``ValidationError`` if it is not valid."""
    validate_id_number(value)
    number = normalise_id_number(value)
    born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    return born, "male" if int(number[16]) % 2 else "female"


def id_number_gender(value: str) -> Gender:
    """The sex recorded in a valid ID number: the 17th digit is odd for men, even for women."""
    validate_id_number(value)
    return "male" if int(normalise_id_number(value)[16]) % 2 else "female"


def normalise_uscc(value: str) -> str:
    """A unified social credit code as stored: no spaces, ASCII, upper case."""
    return _ascii(value).upper()


def uscc_check_char(body: str) -> str:
    """The check character for the first 17 characters of a unified social credit code."""
    if not re.fullmatch(rf"[{USCC_CHARS}]{{17}}", body):
        raise ValueError("a credit code's body is 17 characters of the GB 32100 set")
    total = sum(
        USCC_CHARS.index(char) * weight for char, weight in zip(body, USCC_WEIGHTS, strict=True)
    )
    return USCC_CHARS[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    """Refuse a value that is not a valid unified social credit code (GB 32100-2015)."""
    code = normalise_uscc(value)
    if not USCC.match(code):
        raise ValidationError(
            _(
                "A unified social credit code has 18 characters: digits and capital letters "
                "other than I, O, Z, S and V."
            ),
            code="uscc_format",
        )
    region = code[2:8]
    # Positions 3-8 are the registering authority's division code. Only the province is
    # checked against the table: registration authorities also use codes of development
    # zones that GB/T 2260 does not list (320571 苏州工业园区) and new counties' codes before
    # any shipped table has them; the check character catches a mistyped digit.
    if not region.isdigit() or (region != CENTRAL_REGION and region[:2] not in provinces()):
        raise ValidationError(
            _(
                "Characters 3 to 8 of a unified social credit code are the region code of the "
                "registering authority: six digits beginning with a province code (e.g. 110000)."
            ),
            code="uscc_region",
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("This unified social credit code's check character is wrong."),
            code="uscc_checksum",
        )


def normalise_phone(value: str) -> str:
    """A phone number as stored: ASCII, no spaces; a mobile number as its 11 digits."""
    number = _ascii(value)
    digits = number.replace("-", "")
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and MOBILE.match(digits[len(prefix) :]):
            return digits[len(prefix) :]
    return digits if MOBILE.match(digits) else number


def validate_mobile_or_phone(value: str) -> None:
    """Refuse a value that is neither a mainland mobile number nor a landline with area code."""
    number = normalise_phone(value)
    if not (MOBILE.match(number) or LANDLINE.match(number)):
        raise ValidationError(
            _(
                "Enter an 11-digit mobile number, or a landline number with its area code "
                "(e.g. 027-88886666)."
            ),
            code="phone_format",
        )
