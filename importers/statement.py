"""A bank statement read from its table: its account number and its lines in date order.

The header row is found among the first rows by the bank profiles; rows above it may name the
account (``账号：8001 0000 0000 2002``). Rows below it are lines, except blank rows and total
rows (合计). Lines are put in date order (an export may list the newest first), and each line's
balance must follow from the previous one: a statement that does not add up is refused rather
than half imported.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from importers.errors import InputError
from importers.profiles import FIELD_NAMES_ZH, BankProfile, HeaderMatch, find_header
from importers.tables import Cell, Table, column_letter
from importers.values import parse_amount, parse_date

_ACCOUNT_LABEL = re.compile(r"(?:本方)?(?:账号|帐号|账户|帐户)\s*[:：]?\s*([0-9][0-9 \-]{5,}[0-9])")
_ACCOUNT_COLUMNS = ("本方账号", "账号", "帐号")
_TOTAL_ROW = re.compile(r"合\s*计|总\s*计|小\s*计")


@dataclass(frozen=True)
class StatementLine:
    """One line of a statement; ``amount`` is positive for money into the account."""

    row: int  # the spreadsheet row number
    date: datetime.date
    time: str
    narration: str
    payee: str
    counterparty_account: str
    amount: Decimal
    balance: Decimal | None
    ref: str


@dataclass(frozen=True)
class Statement:
    """A statement's account number (if it names one), its layout and its lines in date order."""

    profile: str
    account_number: str | None
    lines: list[StatementLine]

    @property
    def closing(self) -> tuple[datetime.date, Decimal] | None:
        """The date and balance after the last line, if it states one."""
        if not self.lines or self.lines[-1].balance is None:
            return None
        return self.lines[-1].date, self.lines[-1].balance


def looks_like_statement(table: Table, profiles: tuple[BankProfile, ...]) -> bool:
    return find_header(table.rows, profiles) is not None


def read_statement(table: Table, profiles: tuple[BankProfile, ...]) -> Statement:
    """The statement in a table; an ``InputError`` naming row and column for what is wrong."""
    header = find_header(table.rows, profiles)
    if header is None:
        raise InputError(table.path, "找不到银行流水表头（交易日期、摘要、金额等列）；文件不是"
                                     "银行流水，或编码不对 / no bank statement header found (not a "
                                     "statement, or a wrong encoding)")
    if header.missing:
        names = "、".join(FIELD_NAMES_ZH[field] for field in header.missing)
        raise InputError(table.path, f"缺少列：{names}（按“{header.profile.name}”格式） / "
                                     f"missing columns: {', '.join(header.missing)}",
                         row=header.row + 1)
    lines = [line for index, cells in enumerate(table.rows[header.row + 1:], header.row + 2)
             if (line := _line(table, header, cells, index)) is not None]
    if lines and lines[0].date > lines[-1].date:
        lines.reverse()
    _check_balances(table, header, lines)
    return Statement(header.profile.name, _account_number(table, header), lines)


def _cell(cells: list[Cell], index: int | None) -> Cell:
    return cells[index] if index is not None and index < len(cells) else Cell("")


def _where(header: HeaderMatch, field: str) -> str:
    index = header.columns[field]
    return f"{column_letter(index)}（{FIELD_NAMES_ZH[field]}）"


def _line(table: Table, header: HeaderMatch, cells: list[Cell], row: int) -> StatementLine | None:
    """The statement line in a row; None for a blank or total row."""
    texts = [cell.text for cell in cells]
    if not any(texts) or any(_TOTAL_ROW.fullmatch(text.strip()) for text in texts[:3] if text):
        return None
    columns = header.columns

    def value(field: str) -> Cell:
        return _cell(cells, columns.get(field))

    def parsed(field: str) -> Decimal | None:
        try:
            return parse_amount(value(field))
        except ValueError as error:
            raise InputError(table.path, str(error), row=row,
                             column=_where(header, field)) from None

    try:
        date = parse_date(value("date"))
    except ValueError as error:
        raise InputError(table.path, str(error), row=row, column=_where(header, "date")) from None
    amount = _amount(header.profile.amount_form, parsed)
    if amount is None:
        raise InputError(table.path, "本行没有发生额 / the line has no amount", row=row,
                         column=_where(header, header.profile.required[-1]))
    return StatementLine(row, date, value("time").text, value("narration").text,
                         value("payee").text, value("counterparty-account").text, amount,
                         parsed("balance"), value("ref").text)


def _amount(form: str, parsed: Callable[[str], Decimal | None]) -> Decimal | None:
    """The signed amount of a line from its amount columns (in: positive)."""
    if form == "signed":
        return parsed("amount")
    into, out = ("income", "expense") if form == "in-out" else ("credit", "debit")
    received, paid = parsed(into), parsed(out)
    if received is None and paid is None:
        return None
    return (received or Decimal(0)) - (paid or Decimal(0))


def _check_balances(table: Table, header: HeaderMatch, lines: list[StatementLine]) -> None:
    previous: Decimal | None = None
    for line in lines:
        if previous is not None and line.balance is not None:
            expected = previous + line.amount
            if line.balance != expected:
                raise InputError(
                    table.path, f"余额不连续：上一笔余额 {previous} 加本笔发生额 {line.amount} "
                                f"应为 {expected}，流水为 {line.balance} / the balance does "
                                f"not follow: {previous} + {line.amount} = {expected}, the "
                                f"line says {line.balance}",
                    row=line.row, column=_where(header, "balance"))
        previous = line.balance if line.balance is not None else (
            None if previous is None else previous + line.amount)


def _account_number(table: Table, header: HeaderMatch) -> str | None:
    """The account number a statement names above its header, or in an account column."""
    for cells in table.rows[:header.row]:
        text = " ".join(cell.text for cell in cells)
        match = _ACCOUNT_LABEL.search(text)
        if match:
            return match.group(1)
        for label, following in itertools.pairwise(cells):
            if label.text.rstrip(":：") in _ACCOUNT_COLUMNS and following.text:
                return following.text
    names = [cell.text for cell in table.rows[header.row]]
    column = next((names.index(name) for name in _ACCOUNT_COLUMNS if name in names), None)
    if column is None:
        return None
    numbers = {_cell(cells, column).text for cells in table.rows[header.row + 1:]} - {""}
    return next(iter(numbers)) if len(numbers) == 1 else None
