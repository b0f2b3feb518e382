"""Amounts in Chinese capitals (大写金额), as written on 记账凭证 and cheques.

``chinese_capitals(Decimal("305.20"))`` is ``叁佰零伍元贰角``. The conventions are those of the
annex to 《支付结算办法》 (正确填写票据和结算凭证的基本规定); where it allows two forms, the one
chosen is named here:

- digits 零壹贰叁肆伍陆柒捌玖; places 拾佰仟 inside a section of four digits, the sections
  closed by 亿, 万 and 元; then 角 and 分. Amounts run from 0.00 to 999,999,999,999.99
  (仟亿 is the highest place).
- 拾 is always written with its digit, 壹拾 included, at the head as the textbook requires
  (10.10 is 壹拾元壹角, 15 is 壹拾伍元整) and inside (110 is 壹佰壹拾元整).
- 零: a run of zeros between two written digits is written as one 零 (6007.14 is
  陆仟零柒元壹角肆分; 100010000 is 壹亿零壹万元整, the 万 section starting with zeros), except
  when the run is exactly the zeros closing a section, whose 万, 亿 or 元 already marks the
  place: 107000.53 is 壹拾万柒仟元伍角叁分 and 1680.32 is 壹仟陆佰捌拾元叁角贰分 (the textbook
  allows the optional 零 either way; it is left out). So a 零 is written before a section that
  starts with zeros or that follows a section of only zeros (100001000 is 壹亿零壹仟元整), and
  after 元 when 角 is zero and 分 is not (1000000.01 is 壹佰万元零壹分); 元 is followed
  directly by 角 however many places before it are zero (100000.50 is 壹拾万元伍角). Never a
  零 at the start or end, never two together.
- 元 closes the integer part whenever it is not zero (12000 is 壹万贰仟元整, 100000000 is
  壹亿元整); an amount under one 元 starts at its 角 or 分 (0.05 is 伍分), and zero is 零元整.
- 整 follows 元 when there is neither 角 nor 分; nothing follows 角 (305.20 is 叁佰零伍元贰角,
  the textbook's "角之后可以不写整") or 分.

The amount is a ``Decimal`` with at most two decimals of value (``Decimal("1.230")`` is 1.23);
a negative amount, one with a digit past 分, one of 10^12 or more, or NaN/infinity is refused
with ``ValueError``.
"""

from __future__ import annotations

from decimal import Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")
SECTIONS = ("元", "万", "亿")
LIMIT = Decimal(10) ** 12
_CENT = Decimal("0.01")


def chinese_capitals(amount: Decimal) -> str:
    """The 大写 of ``amount`` (0.00 to 10^12 − 0.01), by the rules of the module docstring."""
    cents = _cents(amount)
    if cents == 0:
        return "零元整"
    yuan, fraction = divmod(cents, 100)
    jiao, fen = divmod(fraction, 10)
    text = _integer_capitals(yuan)
    if jiao:
        text += DIGITS[jiao] + "角"
    elif fen and text:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    return text if fraction else text + "整"


def _cents(amount: Decimal) -> int:
    """``amount`` in whole 分, or ``ValueError`` (Chinese / English) when it cannot be written."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"金额须为 Decimal / amount must be a Decimal: {amount!r}")
    if not amount.is_finite():
        raise ValueError(f"金额不是有限数 / amount is not a finite number: {amount}")
    if amount < 0:
        raise ValueError(f"金额为负数，不能写大写 / a negative amount has no capitals: {amount}")
    if amount >= LIMIT:
        raise ValueError(f"金额超过仟亿位 / amount is 10^12 or more: {amount}")
    cents = amount.scaleb(2)
    if cents != cents.to_integral_value():
        raise ValueError(f"金额小数超过两位（分）/ amount has more than two decimals: {amount}")
    return int(cents)


def _integer_capitals(yuan: int) -> str:
    """The 元 part: sections of four digits closed by 亿, 万 and 元; empty when ``yuan`` is 0."""
    if yuan == 0:
        return ""
    sections = [(yuan // 10 ** (4 * level)) % 10000 for level in range(len(SECTIONS))]
    text = ""
    zero_before = False
    for level in reversed(range(len(SECTIONS))):
        section = sections[level]
        if section == 0:
            zero_before = zero_before or bool(text)
            continue
        if text and (zero_before or section < 1000):
            text += "零"
        text += _section_capitals(section) + SECTIONS[level]
        zero_before = False
    return text if text.endswith("元") else text + "元"


def _section_capitals(section: int) -> str:
    """Four digits (1..9999) with 拾佰仟, one 零 for zeros between digits, none after the last
    or before the first."""
    text = ""
    pending_zero = False
    for place in reversed(range(len(PLACES))):
        digit = section // 10**place % 10
        if digit == 0:
            pending_zero = bool(text)
            continue
        if pending_zero:
            text += "零"
        text += DIGITS[digit] + PLACES[place]
        pending_zero = False
    return text
