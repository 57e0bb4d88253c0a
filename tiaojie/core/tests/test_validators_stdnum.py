"""Our ID number and credit code validators held against python-stdnum on generated numbers.

python-stdnum (``stdnum.cn.ric``, ``stdnum.cn.uscc``) is what many projects rely on. Every
generated number on which the two disagree must be explained by one of the differences
documented in docs/decisions/0009-identifier-validation.md, named here as the reason strings;
anything else fails. Each documented difference must also show up at least once, so the list
stays true both ways. (stdnum has no Chinese phone module; phones are tested on their own.)
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

from tiaojie.core.validators import (
    USCC_CHARS,
    divisions,
    id_number_check_char,
    uscc_check_char,
    validate_id_number,
    validate_uscc,
)

SEED = 20261202
ID_SAMPLES = 6000
USCC_SAMPLES = 4000
FULL_WIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


CODES = sorted(divisions())
PROVINCES = sorted({code[:2] for code in CODES})


def stdnum_ric_valid(number: str) -> bool:
    try:
        return ric.is_valid(number)
    except KeyError:  # see test_stdnum_crashes_on_an_unknown_county_of_a_known_province
        return False


def ours(validator: object, value: str) -> bool:
    try:
        validator(value)  # type: ignore[operator]
    except ValidationError:
        return False
    return True


def _typed(rng: random.Random, value: str) -> str:
    """``value`` as someone might type it: full-width, an ideographic space, lower-case."""
    typed = value.lower() if rng.random() < 0.5 else value
    if rng.random() < 0.5:
        typed = typed.upper().translate(FULL_WIDTH)
    cut = rng.randrange(1, len(typed))
    return typed[:cut] + rng.choice(["　", " "]) + typed[cut:]


def _id_number(rng: random.Random) -> str:
    region = rng.choice(CODES) if rng.random() < 0.8 else f"{rng.randrange(0, 10**6):06d}"
    if rng.random() < 0.9:
        born = date(1880, 1, 1) + timedelta(days=rng.randrange(0, 365 * 160))
        birth = f"{born:%Y%m%d}"
    else:  # often no date at all: month 00 or 13, day 00 or 32
        birth = f"{rng.randrange(1880, 2040)}{rng.randrange(0, 14):02d}{rng.randrange(0, 33):02d}"
    body = f"{region}{birth}{rng.randrange(0, 1000):03d}"
    check = id_number_check_char(body) if rng.random() < 0.9 else rng.choice("0123456789X")
    return body + check


def _id_reason(number: str, ours_valid: bool) -> str:
    """Why we and stdnum disagree on the ASCII ``number``, in the documented terms."""
    born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    if not ours_valid:
        if born < date(1900, 1, 1):
            return "stricter: born before 1900"
        if born > timezone.localdate():
            return "stricter: born in the future"
        return "unexplained"
    if number[:6] == "830000":
        return "looser: Taiwan residents' residence permit 830000"
    try:
        ric.get_birth_place(number)
    except StdnumError:
        return "looser: region code outside its years of use at the birth year"
    return "unexplained"


def test_id_numbers_differ_from_stdnum_only_as_documented() -> None:
    rng = random.Random(SEED)
    reasons: Counter[str] = Counter()
    for _ in range(ID_SAMPLES):
        number = _id_number(rng)
        mine, theirs = ours(validate_id_number, number), stdnum_ric_valid(number)
        if mine != theirs:
            reasons[_id_reason(number, mine)] += 1
        else:
            reasons["same"] += 1
        # However it is typed, our answer is the same; stdnum keeps spaces and refuses it.
        typed = _typed(rng, number)
        assert ours(validate_id_number, typed) == mine, typed
        if theirs and not stdnum_ric_valid(typed):
            reasons["looser: full-width, spaces, lower-case x"] += 1
    print(dict(reasons))  # the counts quoted in the decision record
    assert reasons["unexplained"] == 0, reasons
    assert set(reasons) == {
        "same",
        "stricter: born before 1900",
        "stricter: born in the future",
        "looser: region code outside its years of use at the birth year",
        "looser: full-width, spaces, lower-case x",
    } | ({"looser: Taiwan residents' residence permit 830000"} & set(reasons)), reasons
    assert reasons["same"] > ID_SAMPLES * 0.5


def test_taiwan_residence_permits_are_the_only_region_stdnum_lacks() -> None:
    """Every code of our table is one stdnum knows (for some years), except 830000."""
    table = numdb.get("cn/loc")
    known = {code for code in CODES if any("county" in props for _, props in table.info(code))}
    assert sorted(set(CODES) - known) == ["830000"]


def test_stdnum_crashes_on_an_unknown_county_of_a_known_province() -> None:
    """Why ``stdnum_ric_valid`` catches ``KeyError``: stdnum 2.2 raises it instead of refusing
    (found by these tests); we refuse the number with a message."""
    body = "11999919800101002"
    number = body + id_number_check_char(body)
    with pytest.raises(KeyError):
        ric.is_valid(number)
    assert not ours(validate_id_number, number)


def _credit_code(rng: random.Random) -> str:
    head = "".join(
        rng.choice(USCC_CHARS) if rng.random() < 0.3 else rng.choice("1595") for _ in "12"
    )
    roll = rng.random()
    if roll < 0.7:
        region = rng.choice([*PROVINCES, "10"]) + f"{rng.randrange(0, 10**4):04d}"
    elif roll < 0.85:
        region = f"{rng.randrange(0, 10**6):06d}"
    else:
        region = "".join(rng.choice(USCC_CHARS) for _ in range(6))
    body = head + region + "".join(rng.choice(USCC_CHARS) for _ in range(9))
    check = uscc_check_char(body) if rng.random() < 0.9 else rng.choice(USCC_CHARS)
    return body + check


def _uscc_reason(code: str, ours_valid: bool) -> str:
    region = code[2:8]
    if not ours_valid and region.isdigit() and region != "100000" and region[:2] not in PROVINCES:
        return "stricter: positions 3-8 begin with no province"
    if ours_valid and not code[:2].isdigit():
        return "looser: letters in positions 1-2"
    return "unexplained"


def test_credit_codes_differ_from_stdnum_only_as_documented() -> None:
    rng = random.Random(SEED)
    reasons: Counter[str] = Counter()
    for _ in range(USCC_SAMPLES):
        code = _credit_code(rng)
        mine, theirs = ours(validate_uscc, code), uscc.is_valid(code)
        reasons[_uscc_reason(code, mine) if mine != theirs else "same"] += 1
        typed = _typed(rng, code)
        assert ours(validate_uscc, typed) == mine, typed
        if theirs and not uscc.is_valid(typed):
            reasons["looser: full-width, spaces, lower-case"] += 1
    print(dict(reasons))
    assert reasons["unexplained"] == 0, reasons
    assert set(reasons) == {
        "same",
        "stricter: positions 3-8 begin with no province",
        "looser: letters in positions 1-2",
        "looser: full-width, spaces, lower-case",
    }, reasons
    assert reasons["same"] > USCC_SAMPLES * 0.6


@pytest.mark.parametrize("value", ["91110000-600037341L", "911100-00600037341L"])
def test_hyphens_in_a_credit_code_are_refused_where_stdnum_drops_them(value: str) -> None:
    assert uscc.is_valid(value) and not ours(validate_uscc, value)
