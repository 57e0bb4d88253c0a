"""Masked personal data shows only what the rules in tiaojie.core.masking allow."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiaojie.core.masking import (
    ADDRESS_KEPT_MAX,
    ADDRESS_UNIT_ENDINGS,
    mask_address,
    mask_id_number,
    mask_name,
    mask_phone,
)

id_numbers = st.from_regex(r"[0-9]{17}[0-9X]|[0-9]{15}", fullmatch=True)
no_outer_space = st.text(min_size=1).map(str.strip).filter(bool)


def revealed(masked: str) -> list[tuple[int, str]]:
    return [(i, char) for i, char in enumerate(masked) if char != "*"]


@pytest.mark.parametrize(
    "value, masked",
    [
        ("110105199003071234", "110***********1234"),
        ("11010519491231002X", "110***********002X"),
        ("110105900307123", "110********7123"),
        (" 110105199003071234 ", "110***********1234"),
        ("1101051", "*******"),
        ("", ""),
    ],
)
def test_id_numbers_show_the_first_three_and_last_four(value: str, masked: str) -> None:
    assert mask_id_number(value) == masked


@given(id_numbers)
def test_a_masked_id_number_keeps_its_length_and_only_its_ends(value: str) -> None:
    masked = mask_id_number(value)
    assert len(masked) == len(value)
    assert masked[:3] == value[:3] and masked[-4:] == value[-4:]
    assert set(masked[3:-4]) == {"*"}


@given(no_outer_space)
def test_a_masked_id_number_never_shows_more_than_seven_characters(value: str) -> None:
    shown = revealed(mask_id_number(value))
    assert len(shown) <= 7
    assert all(value[i] == char for i, char in shown)
    assert mask_id_number(value).count("*") >= min(len(value), 8)


@pytest.mark.parametrize(
    "value, masked",
    [
        ("13812345678", "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("+86 138 1234 5678", "+86138****5678"),
        ("１３８１２３４５６７８", "138****5678"),
        ("027-88886666", "027-****6666"),
        ("02788886666", "027****6666"),
        ("0710-1234567", "0710-***4567"),
        ("010-12345678-123", "010-****5678-***"),
        ("12345678", "****5678"),
        ("1234567", "*******"),
        ("", ""),
    ],
)
def test_phones_show_the_prefix_and_last_four_digits(value: str, masked: str) -> None:
    assert mask_phone(value) == masked


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_a_masked_mobile_number_hides_the_middle_four_digits(value: str) -> None:
    assert mask_phone(value) == value[:3] + "****" + value[-4:]


@given(st.from_regex(r"(010|02[0-9]|0[3-9][0-9]{2})-[0-9]{7,8}", fullmatch=True))
def test_a_masked_landline_shows_only_the_area_code_and_last_four(value: str) -> None:
    area, local = value.split("-")
    assert mask_phone(value) == f"{area}-{'*' * (len(local) - 4)}{local[-4:]}"


phone_like = st.one_of(
    st.text("0123456789-+#()转", min_size=1),
    st.text(st.characters(codec="ascii", exclude_categories=["Cc", "Zs"]), min_size=1),
)


@given(phone_like)
def test_a_masked_phone_shows_a_short_prefix_and_the_last_four_digits_at_most(value: str) -> None:
    masked = mask_phone(value)
    head, star, tail = masked.partition("*")
    assert star, "something is always hidden"
    # The head is an area code (up to 4 digits) or a mobile's first 3 after a +86.
    assert sum(char.isdigit() for char in head) <= 5
    assert sum(char.isdigit() for char in tail) <= 4


@pytest.mark.parametrize(
    "value, masked",
    [
        ("湖北省武汉市武昌区中北路5号3栋2单元101室", "湖北省武汉市****"),
        ("北京市朝阳区建国路88号", "北京市朝阳区****"),
        ("上海市浦东新区世纪大道100号", "上海市****"),
        ("武昌区中北路5号", "武昌区****"),
        ("内蒙古自治区呼和浩特市", "内蒙古自治区****"),
        ("中北路5号", "****"),
        ("市府路1号", "****"),
        (" 武汉市 ", "武汉市****"),
        ("", ""),
    ],
)
def test_addresses_show_at_most_the_administrative_units_in_six_characters(
    value: str, masked: str
) -> None:
    assert mask_address(value) == masked


@given(no_outer_space)
def test_a_masked_address_shows_only_a_prefix_ending_in_a_unit(value: str) -> None:
    masked = mask_address(value)
    assert masked.endswith("****")
    shown = masked.removesuffix("****")
    assert len(shown) <= ADDRESS_KEPT_MAX and value.startswith(shown)
    assert shown == "" or shown[-1] in ADDRESS_UNIT_ENDINGS


@pytest.mark.parametrize(
    "value, masked",
    [("王秀兰", "王**"), ("王五", "王*"), ("欧阳娜娜", "欧***"), ("王", "*"), ("", "")],
)
def test_names_show_the_first_character(value: str, masked: str) -> None:
    assert mask_name(value) == masked


@given(no_outer_space)
def test_a_masked_name_keeps_its_length_and_shows_its_first_character_at_most(value: str) -> None:
    masked = mask_name(value)
    assert masked[1:] == "*" * (len(value) - 1)
    assert masked[0] in {value[0], "*"}
