"""Amounts in Chinese capitals (大写): the textbook cases, refusals, and a round trip of every
amount through a strict reference parser written here independently of the module."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.model.capitals import chinese_capitals

_DIGIT = {c: n for n, c in enumerate("零壹贰叁肆伍陆柒捌玖") if n}
_PLACE = {"拾": 1, "佰": 2, "仟": 3}
_SECTION = {"亿": 8, "万": 4, "元": 0}
_FRACTION = {"角": -1, "分": -2}


def _zero_needed(high: int, low: int) -> bool:
    """Whether a 零 must stand between written digits at powers of ten ``high`` and ``low``:
    some place is skipped, and the skipped places are not exactly the ones closing ``high``'s
    section; 元 is always written, so a 角 needs no 零, a 分 after a skipped 角 does."""
    if high - low == 1 or low == -1:
        return False
    if low == -2:
        return True
    return low != high // 4 * 4 - 1


def parse_capitals(text: str) -> Decimal:
    """The amount a strict reader takes from ``text``; ``AssertionError`` where the text breaks
    the writing rules (a place out of order, a 零 missing or extra, 整 misplaced)."""
    if text == "零元整":
        return Decimal("0.00")
    whole = text.endswith("整")
    body = text.removesuffix("整")
    digits: list[tuple[int, int]] = []  # (digit, power of ten), top first
    zero_after: set[int] = set()  # index in ``digits`` of the digit a 零 follows
    section: list[tuple[int, int]] = []
    seen_sections: list[str] = []
    index = 0
    while index < len(body):
        char = body[index]
        if char == "零":
            assert digits or section, f"零 at the start: {text}"
            assert body[index - 1] != "零" and index + 1 < len(body), f"零 misplaced: {text}"
            assert body[index + 1] in _DIGIT, f"零 not before a digit: {text}"
            zero_after.add(len(digits) + len(section) - 1)
            index += 1
        elif char in _DIGIT:
            assert index + 1 < len(body), f"digit without its place: {text}"
            unit = body[index + 1]
            if unit in _PLACE:
                section.append((_DIGIT[char], _PLACE[unit]))
                index += 2
            elif unit in _FRACTION:
                assert not section, f"角/分 before 元: {text}"
                digits.append((_DIGIT[char], _FRACTION[unit]))
                index += 2
            else:
                section.append((_DIGIT[char], 0))
                index += 1
        elif char in _SECTION:
            assert char not in seen_sections, f"{char} twice: {text}"
            assert section or char == "元", f"empty section before {char}: {text}"
            digits.extend((digit, place + _SECTION[char]) for digit, place in section)
            section = []
            seen_sections.append(char)
            index += 1
        else:
            raise AssertionError(f"unexpected {char!r}: {text}")
    assert not section, f"digits without 元: {text}"
    assert digits, f"no digits: {text}"
    powers = [power for _, power in digits]
    assert powers == sorted(powers, reverse=True) and len(set(powers)) == len(powers), text
    assert ("元" in seen_sections) == (powers[0] >= 0), f"元 wrong: {text}"
    assert whole == (powers[-1] >= 0), f"整 wrong: {text}"
    for position in range(len(digits) - 1):
        needed = _zero_needed(powers[position], powers[position + 1])
        assert (position in zero_after) == needed, f"零 wrong after place {position}: {text}"
    total = sum(Decimal(digit).scaleb(power) for digit, power in digits)
    return Decimal(total).quantize(Decimal("0.01"))


TEXTBOOK = [
    ("12000", "壹万贰仟元整"),
    ("305.20", "叁佰零伍元贰角"),
    ("0.05", "伍分"),
    ("0.50", "伍角"),
    ("0.00", "零元整"),
    ("1000000.01", "壹佰万元零壹分"),
    ("10.10", "壹拾元壹角"),
    ("15", "壹拾伍元整"),
    ("110", "壹佰壹拾元整"),
    ("100000000", "壹亿元整"),
    ("100010000", "壹亿零壹万元整"),
    ("100001000", "壹亿零壹仟元整"),
    ("100000001", "壹亿零壹元整"),
    ("1409.50", "壹仟肆佰零玖元伍角"),
    ("6007.14", "陆仟零柒元壹角肆分"),
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("107000.53", "壹拾万柒仟元伍角叁分"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("325.04", "叁佰贰拾伍元零肆分"),
    ("100000.50", "壹拾万元伍角"),
    ("100000000.05", "壹亿元零伍分"),
    ("10000100", "壹仟万零壹佰元整"),
    ("1000100000", "壹拾亿零壹拾万元整"),
    ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ("1.230", "壹元贰角叁分"),
]


@pytest.mark.parametrize(("amount", "capitals"), TEXTBOOK)
def test_textbook_cases(amount: str, capitals: str) -> None:
    assert chinese_capitals(Decimal(amount)) == capitals


@pytest.mark.parametrize(("amount", "capitals"), TEXTBOOK)
def test_reference_parser_reads_the_textbook(amount: str, capitals: str) -> None:
    assert parse_capitals(capitals) == Decimal(amount)


@pytest.mark.parametrize(
    "wrong",
    [
        "壹亿壹万元整",
        "壹佰万元壹分",
        "叁佰伍元贰角",
        "壹拾万零柒仟元整",
        "叁佰零伍元贰角整",
        "壹万贰仟元",
        "零伍分",
        "壹佰零零伍元整",
        "壹佰伍零元整",
    ],
)
def test_reference_parser_refuses_broken_writing(wrong: str) -> None:
    with pytest.raises(AssertionError):
        parse_capitals(wrong)


@given(st.integers(min_value=1, max_value=10**14 - 1))
def test_every_amount_round_trips(cents: int) -> None:
    amount = Decimal(cents).scaleb(-2)
    assert parse_capitals(chinese_capitals(amount)) == amount


_ZERO_HEAVY_DIGIT = st.sampled_from("0000000123456789")
_SECTION_DIGITS = st.one_of(
    st.just("0000"), st.lists(_ZERO_HEAVY_DIGIT, min_size=4, max_size=4).map("".join)
)


@given(
    st.lists(_SECTION_DIGITS, min_size=3, max_size=3).map("".join),
    st.lists(_ZERO_HEAVY_DIGIT, min_size=2, max_size=2).map("".join),
)
def test_amounts_full_of_zeros_round_trip(sections: str, fraction: str) -> None:
    amount = Decimal(f"{sections}.{fraction}")
    if amount:
        assert parse_capitals(chinese_capitals(amount)) == amount


@pytest.mark.parametrize(
    "amount", ["-0.01", "-100", "0.001", "1.005", "1000000000000", "1E+12", "NaN", "Infinity"]
)
def test_refuses_amounts_that_cannot_be_written(amount: str) -> None:
    with pytest.raises(ValueError, match="/"):
        chinese_capitals(Decimal(amount))


def test_refuses_floats() -> None:
    with pytest.raises(TypeError):
        chinese_capitals(0.1)  # type: ignore[arg-type]
