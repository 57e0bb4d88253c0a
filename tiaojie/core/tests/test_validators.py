"""National codes: ID numbers (GB 11643), unified social credit codes (GB 32100), phones.

Check characters are computed here by a second route (ISO 7064 weights as powers of the
radix), not copied from the code under test, so a wrong weight table cannot pass both.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from tiaojie.core.validators import (
    USCC_CHARS,
    division,
    divisions,
    id_number_birth_date,
    id_number_check_char,
    id_number_facts,
    id_number_gender,
    normalise_id_number,
    normalise_phone,
    normalise_uscc,
    uscc_check_char,
    validate_id_number,
    validate_mobile_or_phone,
    validate_uscc,
)

ID_CHARS = "0123456789X"


def id_check(body: str) -> str:
    """ISO 7064 MOD 11-2: weight 2^(17-i) mod 11, check value (12 - sum mod 11) mod 11."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(body))
    return ID_CHARS[(12 - total % 11) % 11]


def uscc_check(body: str) -> str:
    """GB 32100: weight 3^i mod 31, check value 31 - sum mod 31, where 31 counts as 0."""
    total = sum(USCC_CHARS.index(c) * pow(3, i, 31) for i, c in enumerate(body))
    return USCC_CHARS[(31 - total % 31) % 31]


def with_check(body: str) -> str:
    return body + id_check(body)


def refused_code(validator: object, value: str) -> str:
    with pytest.raises(ValidationError) as caught:
        validator(value)  # type: ignore[operator]
    assert caught.value.messages[0]
    return str(caught.value.code)


def test_the_published_example_id_number_is_valid() -> None:
    assert id_check("11010519491231002") == "X"
    validate_id_number("11010519491231002X")
    validate_id_number("11010519491231002x")
    validate_id_number(" １１０１０５ １９４９１２３１ ００２ｘ ")


def test_an_id_number_is_normalised_to_ascii_upper_case() -> None:
    assert normalise_id_number(" １１０１０５１９４９１２３１００２ｘ ") == "11010519491231002X"


REGIONS = sorted(divisions())
PROVINCES = sorted({code[:2] for code in REGIONS})

id_bodies = st.builds(
    lambda region, born, sequence: f"{region}{born:%Y%m%d}{sequence:03d}",
    st.sampled_from(REGIONS),
    st.dates(date(1900, 1, 1), date(2024, 12, 31)),
    st.integers(0, 999),
)


@given(id_bodies)
def test_the_computed_check_character_validates_and_no_other_does(body: str) -> None:
    right = id_check(body)
    assert id_number_check_char(body) == right
    validate_id_number(body + right)
    for wrong in ID_CHARS.replace(right, ""):
        assert refused_code(validate_id_number, body + wrong) == "id_number_checksum"


@pytest.mark.parametrize(
    "value",
    [
        "1101051949123100",
        "11010519491231002XX",
        "1101051949123100A2",
        "110105X9491231002X",
        "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X",
        "",
    ],
)
def test_an_id_number_of_the_wrong_shape_is_refused(value: str) -> None:
    assert refused_code(validate_id_number, value) == "id_number_format"


@pytest.mark.parametrize("region", ["000000", "920811", "110199", "990000", "111111"])
def test_a_region_code_that_gb_t_2260_never_had_is_refused(region: str) -> None:
    # 920811: the number the check against python-stdnum found accepted (issue 17).
    value = with_check(f"{region}19980608585")
    with pytest.raises(ValidationError) as caught:
        validate_id_number(value)
    assert caught.value.code == "id_number_region"
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_id_number(value)
    assert caught.value.messages == [
        f"身份证号码前六位是签发地的行政区划代码，{region} 不是有效的行政区划代码（GB/T 2260），请核对。"
    ]


def test_a_number_keeps_the_region_code_of_a_county_abolished_before_the_birth() -> None:
    # 崇文区 was merged into 东城区 in 2010: numbers issued under 110103 stay valid, and a
    # code that started after the birth year (正定县, 1986) is valid for an older person.
    assert division("110103") is not None and division("110103").last_year == 2010  # type: ignore[union-attr]
    validate_id_number(with_check("11010320150301002"))
    validate_id_number(with_check("11010319600301002"))
    validate_id_number(with_check("13012319600301002"))


def test_residence_permits_of_hong_kong_macao_and_taiwan_residents_are_accepted() -> None:
    for region in ("810000", "820000", "830000"):
        validate_id_number(with_check(f"{region}19800101002"))


@pytest.mark.parametrize("born", ["19490230", "19000229", "19491301", "18991231", "20230000"])
def test_an_impossible_date_of_birth_is_refused(born: str) -> None:
    value = with_check(f"110105{born}002")
    assert refused_code(validate_id_number, value) == "id_number_birth_date"


def test_a_date_of_birth_in_the_future_is_refused() -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    value = with_check(f"110105{tomorrow:%Y%m%d}002")
    assert refused_code(validate_id_number, value) == "id_number_birth_date"
    validate_id_number(with_check(f"110105{timezone.localdate():%Y%m%d}002"))


def test_leap_days_and_the_first_day_of_1900_are_real_dates() -> None:
    validate_id_number(with_check("11010520000229002"))
    validate_id_number(with_check("11010519000101002"))


def test_birth_date_and_sex_are_read_from_the_number() -> None:
    assert id_number_birth_date("11010519491231002x") == date(1949, 12, 31)
    assert id_number_gender("11010519491231002X") == "female"
    assert id_number_gender(with_check("11010519491231001")) == "male"
    # Both at once, the number checked once (a ledger's parties).
    assert id_number_facts("11010519491231002x") == (date(1949, 12, 31), "female")


def test_birth_date_and_sex_are_not_read_from_an_invalid_number() -> None:
    with pytest.raises(ValidationError):
        id_number_facts("110105194912310021")
    with pytest.raises(ValidationError):
        id_number_birth_date("110105194912310021")
    with pytest.raises(ValidationError):
        id_number_gender("110105194912310021")


def test_the_published_example_credit_code_is_valid() -> None:
    assert uscc_check("91350100M000100Y4") == "3"
    validate_uscc("91350100M000100Y43")
    validate_uscc(" 91350100m000100y43 ")


# Positions 3-8: a province's code followed by any four digits, or exactly 100000 (a central
# registration; 10xxxx is no other region).
uscc_regions = st.one_of(
    st.builds(
        lambda province, rest: province + rest,
        st.sampled_from(PROVINCES),
        st.text("0123456789", min_size=4, max_size=4),
    ),
    st.just("100000"),
)
uscc_bodies = st.builds(
    lambda head, region, tail: head + region + tail,
    st.text(USCC_CHARS, min_size=2, max_size=2),
    uscc_regions,
    st.text(USCC_CHARS, min_size=9, max_size=9),
)


@given(uscc_bodies)
def test_the_computed_credit_code_check_validates_and_no_other_does(body: str) -> None:
    right = uscc_check(body)
    assert uscc_check_char(body) == right
    validate_uscc(body + right)
    for wrong in USCC_CHARS.replace(right, ""):
        assert refused_code(validate_uscc, body + wrong) == "uscc_checksum"


@pytest.mark.parametrize(
    "value", ["91350100M000100Y4", "91350100M000100Y433", "91350100I000100Y43", "", "O" * 18]
)
def test_a_credit_code_of_the_wrong_shape_is_refused(value: str) -> None:
    assert refused_code(validate_uscc, value) == "uscc_format"


@pytest.mark.parametrize(
    "body",
    [
        "91CDM8MUAHM76QAY5",  # letters in the region positions (issue 17)
        "9111000A600037341",
        "91990000600037341",  # no province 99
        "91000000600037341",
    ],
)
def test_a_credit_code_whose_positions_3_to_8_are_no_region_is_refused(body: str) -> None:
    assert refused_code(validate_uscc, body + uscc_check(body)) == "uscc_region"


@pytest.mark.parametrize(
    "body",
    [
        "91110000600037341",  # a Beijing company
        "11100000000013127",  # registered centrally: 100000
        "Y1320571MA1M6XXX0",  # a development-zone code GB/T 2260 does not list
        "N2440106MA5D1234X",  # letters in positions 1-2, as GB 32100 allows
        "A1110000MA01ABCD1",
    ],
)
def test_credit_codes_with_a_province_in_positions_3_to_8_are_accepted(body: str) -> None:
    validate_uscc(body + uscc_check(body))


def test_a_credit_code_is_normalised_from_full_width_with_an_ideographic_space() -> None:
    assert normalise_uscc("９１１１００００　６０００３７３４１ｌ") == "91110000600037341L"
    validate_uscc("９１１１００００　６０００３７３４１ｌ")


@pytest.mark.parametrize(
    "value",
    [
        "13812345678",
        "19912345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "１３８１２３４５６７８",
        "027-88886666",
        "02788886666",
        "0710-1234567",
        "010-12345678-123",
        "027-88886666转8001",
        "０２７－８８８８６６６６",
    ],
)
def test_mobile_and_landline_numbers_are_accepted(value: str) -> None:
    validate_mobile_or_phone(value)


@pytest.mark.parametrize(
    "value",
    [
        "12812345678",
        "1381234567",
        "138123456789",
        "١٣٨١٢٣٤٥٦٧٨",  # Arabic-Indic digits: \d would take them, [0-9] does not
        "88886666",
        "027-888866",
        "27-88886666",
        "011-12345678",  # no such area code: 3-digit codes are 010 and 02x
        "",
        "x",
    ],
)
def test_other_phone_numbers_are_refused(value: str) -> None:
    assert refused_code(validate_mobile_or_phone, value) == "phone_format"


def test_phone_numbers_are_normalised() -> None:
    assert normalise_phone("+86 138-1234-5678") == "13812345678"
    assert normalise_phone("１３８ １２３４ ５６７８") == "13812345678"
    assert normalise_phone("０２７－８８８８６６６６") == "027-88886666"
