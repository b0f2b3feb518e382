"""Amounts and dates as Chinese bank exports and payroll sheets write them, read exactly; and
the signature labels under their tables."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from importers.tables import Cell

# A sign, digits (grouped by thousands with commas or spaces, or not at all), up to two decimals.
_AMOUNT = re.compile(r"([+-])?(\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)(\.\d{1,2})?")
_CURRENCY_MARKS = re.compile(r"[¥￥]|RMB|CNY|元")
_DATE_FORMS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_ROLE = (r"(?:(?:单位|部门)?负责人|(?:制表|审核|复核|审批|经办|填表|填报|领款)人?|出纳|会计|主管"
         r"|(?:领导)?(?:签字|签名)|盖章|日期)")
_ROLE_WITH_COLON = re.compile(_ROLE + r"\s*[:：].*")
_ROLE_ALONE_OR_WITH_COLON = re.compile(_ROLE + r"(?:\s*[:：].*)?")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_SERIAL = re.compile(r"\d{1,6}(\.\d+)?")
_NOISE = Decimal("0.00000001")
_EXACT_DIGITS = 15  # the digits a spreadsheet number keeps exactly
_AMOUNT_DIGITS = 15  # the most digits before the decimal point of an amount (999 万亿)


def is_signature(text: str, *, bare: bool = True) -> bool:
    """Whether a cell's text is a signature label under a table: a role that signs it, with a
    colon and what follows (``审核：陈主任``, ``制表人:``, ``日期：2013年1月31日``) or, where
    ``bare``, alone (``经办人``, ``盖章``). A column that could hold a person's post (岗位: 出纳,
    会计) passes ``bare=False``."""
    role = _ROLE_ALONE_OR_WITH_COLON if bare else _ROLE_WITH_COLON
    return role.fullmatch(text.strip()) is not None


def reads_as_amount(cell: Cell) -> bool:
    """Whether the cell holds an amount (not blank, not text that is none)."""
    try:
        return parse_amount(cell) is not None
    except ValueError:
        return False


def parse_amount(cell: Cell) -> Decimal | None:
    """The amount in a cell, to the fen; None for a blank cell. ``1,234.50``, ``¥1,234.50``,
    ``-1234.5``, ``+1 234.50`` and ``(1,234.50)`` are read; anything else (``1234,50``, a
    third decimal, words) raises ``ValueError``."""
    text = cell.text.strip()
    if not text or text in {"-", "--"}:
        return None
    if cell.numeric:
        return _stored_number(text)
    negative = text.startswith("(") and text.endswith(")")
    bare = _CURRENCY_MARKS.sub("", text.strip("()")).replace("，", ",").strip()
    match = _AMOUNT.fullmatch(bare)
    if match is None:
        raise ValueError(f'"{text}" 不是金额 / "{text}" is not an amount')
    sign, whole, fraction = match.groups()
    digits = whole.replace(",", "").replace(" ", "")
    if len(digits.lstrip("0")) > _AMOUNT_DIGITS:
        raise _too_many_digits(text)
    amount = Decimal(digits + (fraction or "")).quantize(Decimal("0.01"))
    return -amount if negative or sign == "-" else amount


def _too_many_digits(text: str) -> ValueError:
    return ValueError(f'"{text}" 位数过多（整数部分超过 {_AMOUNT_DIGITS} 位），不是金额 / "{text}" '
                      f"has too many digits (over {_AMOUNT_DIGITS} before the point): not an "
                      "amount")


def _stored(text: str) -> Decimal | None:
    """The finite number a spreadsheet cell stores, if it is one."""
    try:
        number = Decimal(text)
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def _stored_number(text: str) -> Decimal:
    """A number as a spreadsheet stores it. A formula may leave binary noise in the last digits
    (``123.45000000000002``): within a millionth of a fen it is that fen; beyond, refused."""
    number = _stored(text)
    if number is None:
        raise ValueError(f'"{text}" 不是金额 / "{text}" is not an amount')
    if number and number.adjusted() >= _AMOUNT_DIGITS:
        raise _too_many_digits(text)
    fen = number.quantize(Decimal("0.01"))
    if abs(fen - number) > _NOISE:
        raise ValueError(f'"{text}" 不是以分计的金额 / "{text}" is not an amount in fen')
    return fen


def parse_date(cell: Cell) -> datetime.date:
    """The date in a cell: ``2012-10-05``, ``2012/10/05``, ``20121005``, ``2012年10月5日``, a
    date followed by a time, or an Excel date serial; anything else raises ``ValueError``."""
    text = cell.text.strip()
    if cell.numeric and _SERIAL.fullmatch(text) and not re.fullmatch(r"\d{8}", text):
        return _EXCEL_EPOCH + datetime.timedelta(days=int(Decimal(text)))
    head = text.split()[0] if text else ""
    for form in _DATE_FORMS:
        match = form.fullmatch(head) or form.fullmatch(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                break
    raise ValueError(f'"{text}" 不是日期 / "{text}" is not a date')


def parse_text(cell: Cell, *, digits: bool = False) -> str:
    """The text of a text field. For a field of digits (流水号, 账号), a spreadsheet number is
    written back as its digits; one longer than a spreadsheet keeps exactly (15 digits) is
    refused, since its last digits are already lost."""
    text = cell.text.strip()
    if not cell.numeric:
        return text
    number = _stored(text)
    if not digits:
        if (number is None or number.adjusted() >= _EXACT_DIGITS
                or number != number.to_integral_value()):
            return text
        return str(number.normalize())
    if (number is None or number < 0 or number != number.to_integral_value()
            or number.adjusted() >= _EXACT_DIGITS):
        raise ValueError(f'"{text}" 以数字存储，不是一串数字或末几位已丢失；请将该列设为文本后重新'
                         f'导出 / "{text}" is stored as a number and is no string of digits, or '
                         "has lost digits: export the column as text")
    return str(int(number))


def parse_time(cell: Cell) -> str:
    """A time of day as ``HH:MM:SS``: the text as written, or a spreadsheet's fraction of a day."""
    text = cell.text.strip()
    if not cell.numeric:
        return text
    number = _stored(text)
    if number is None or not 0 <= number < 1_000_000:
        raise ValueError(f'"{text}" 不是时间 / "{text}" is not a time')
    fraction = number % 1
    seconds = int((fraction * 86400).quantize(Decimal(1)))
    hours, rest = divmod(seconds % 86400, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
