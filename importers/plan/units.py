"""The unit of a plan sheet's amounts: 元, or 万元 converted exactly to 元.

A district's sheet states its unit in the amount column's header (``金额（万元）``), in a 单位
line above the header (``单位：万元``, ``金额单位：万元``), or in its title
(``2013年资金使用计划（单位：万元）``, ``…（万元）``). 元 is read as it is; 万元 is multiplied
by 10,000 exactly (Decimal) and must come to a whole number of fen. Any other unit (千元), or
two statements that disagree, refuse the sheet naming where each is. ``单位：`` followed by
something that is no money unit is the unit's name (单位 also means the organisation), and
``编制单位：…`` is never read as a unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from importers.tables import Cell, column_letter
from importers.values import parse_amount

YUAN, WAN_YUAN = "元", "万元"
SCALES = {YUAN: Decimal(1), WAN_YUAN: Decimal(10000)}
FEN = Decimal("0.01")
_NOISE = Decimal("0.000001")  # a stored spreadsheet number's binary noise, in fen

_MONEY_UNIT = re.compile(r"(?:人民币)?[十百千万亿]*元")
_UNIT_LINE = re.compile(r"(?<![\u4e00-\u9fff])(?:金额)?单位\s*[:：]\s*([^\s（）()，,；;。]+)")
_BRACKETED = re.compile(r"[（(]\s*((?:人民币)?[十百千万亿]*元)\s*[）)]")
_SPACES = re.compile(r"\s+")
_WAN_AMOUNT = re.compile(r"([+-])?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
_CURRENCY_MARKS = re.compile(r"[¥￥]|RMB|CNY")


class UnitProblem(Exception):
    """The sheet's unit cannot be used: its row (1-based, None for none) and the message."""

    def __init__(self, message: str, row: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row


@dataclass(frozen=True)
class Stated:
    """One statement of the unit: the unit (元 for 人民币元) and where it is."""

    unit: str
    row: int
    column: int
    text: str

    @property
    def where(self) -> str:
        return f"第 {self.row} 行 {column_letter(self.column)} 列“{self.text}”"


def money_unit(text: str) -> str | None:
    """The money unit a text is, if it is one (``人民币元`` is 元)."""
    bare = _SPACES.sub("", text)
    if not _MONEY_UNIT.fullmatch(bare):
        return None
    return YUAN if bare == "人民币元" else bare


def unit_above(text: str) -> str | None:
    """The unit a cell above the header states: ``单位：万元``, a bracketed ``（万元）`` in a
    title, or a cell that is only a unit; None otherwise (``单位：某某中心`` names the unit)."""
    line = _UNIT_LINE.search(text)
    if line and money_unit(line.group(1)):
        return money_unit(line.group(1))
    bracket = _BRACKETED.search(text)
    if bracket:
        return money_unit(bracket.group(1))
    return money_unit(text)


def header_unit(bracketed: str) -> str | None:
    """The unit in the amount header's bracket (``元``, ``万元``, ``单位：万元``), if a money
    unit; None for any other text."""
    return money_unit(re.sub(r"^(?:金额)?单位\s*[:：]", "", _SPACES.sub("", bracketed)))


def sheet_unit(statements: list[Stated]) -> str:
    """The one unit the statements agree on (元 when there is none); ``UnitProblem`` for a unit
    other than 元 and 万元, or statements that disagree."""
    units = sorted({stated.unit for stated in statements})
    if len(units) > 1:
        where = "；".join(stated.where for stated in statements)
        raise UnitProblem(f"金额单位不一致：{where}，请统一为一种单位 / the sheet states "
                          f"different units ({', '.join(units)}): keep one",
                          statements[0].row)
    if not units:
        return YUAN
    if units[0] not in SCALES:
        stated = statements[0]
        raise UnitProblem(f"金额单位“{stated.unit}”（{stated.where}）无法读取：应为元或万元 / the "
                          f"unit {stated.unit} cannot be read: give 元 or 万元", stated.row)
    return units[0]


def scaled_amount(cell: Cell, unit: str) -> Decimal | None:
    """The amount of a cell in 元, read in the sheet's ``unit``; None for a blank cell. 元 is
    read as every amount is (to the fen); 万元 to any decimals, × 10,000, which must be a
    whole number of fen (``ValueError`` otherwise)."""
    if unit == YUAN:
        return parse_amount(cell)
    text = cell.text.strip()
    if not text or text in {"-", "--"}:
        return None
    number = _stored(text) if cell.numeric else _written(text)
    amount = number * SCALES[unit]
    fen = amount.quantize(FEN)
    if abs(fen - amount) > (_NOISE if cell.numeric else 0):
        raise ValueError(f"{text} 万元 = {amount.normalize():f} 元，不是整分 / {text} 万元 is "
                         f"{amount.normalize():f} 元, no whole number of fen")
    return fen


def _stored(text: str) -> Decimal:
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or (number and number.adjusted() >= 11):
        raise ValueError(f'"{text}" 不是金额 / "{text}" is not an amount')
    return number


def _written(text: str) -> Decimal:
    bare = _CURRENCY_MARKS.sub("", text).replace("，", ",").replace("万元", "").strip()
    negative = bare.startswith("(") and bare.endswith(")")
    match = _WAN_AMOUNT.fullmatch(bare.strip("()"))
    if match is None or len(match.group(2).replace(",", "")) > 11:
        raise ValueError(f'"{text}" 不是金额 / "{text}" is not an amount')
    sign, whole, fraction = match.groups()
    number = Decimal(whole.replace(",", "") + (fraction or ""))
    return -number if negative or sign == "-" else number
