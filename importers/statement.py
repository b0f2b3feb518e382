"""A bank statement read from its table: its account number and its lines in date order.

The header row is found among the first rows by the bank profiles; rows above it may name the
account (``账号：8001 0000 0000 2002``) and the period the statement covers
(``起止日期：2013-01-01 至 2013-01-31``, ``查询期间``, ``交易期间``, ``日期范围``, or
``起始日期`` and ``终止日期`` apart). Rows below it are lines, except blank rows and total rows
(合计). Lines are put in date order (an export may list the newest first), and each line's
balance must follow from the previous one: a statement that does not add up is refused rather
than half imported, and so is a line outside the period it states, or dated after the day it is
read (a typo in the year).
"""

from __future__ import annotations

import datetime
import itertools
import re
from dataclasses import dataclass
from decimal import Decimal

from importers.errors import InputError
from importers.opening import likely_year, year_hint
from importers.profiles import (
    AMOUNT_FIELDS,
    FIELD_NAMES_ZH,
    BankProfile,
    HeaderMatch,
    find_header,
)
from importers.tables import Cell, Table, column_letter
from importers.values import (
    is_signature,
    parse_amount,
    parse_date,
    parse_text,
    parse_time,
    reads_as_amount,
)

_ACCOUNT_LABEL = re.compile(r"(?:本方)?(?:账号|帐号|账户|帐户)\s*[:：]?\s*([0-9][0-9 \-]{5,}[0-9])")
_ACCOUNT_COLUMNS = ("本方账号", "账号", "帐号")
_TOTAL_ROW = re.compile(r"合\s*计|总\s*计|小\s*计")
_DATE = r"(\d{4}(?:[-/.]\d{1,2}[-/.]\d{1,2}|年\d{1,2}月\d{1,2}日|\d{4}))"
_PERIOD_LABEL = (r"(?:起止|起讫|查询|交易|账单|对账|记账)?(?:日期|期间|时间)(?:范围|区间|段)?"
                 r"|日期范围|查询区间")
_PERIOD = re.compile(rf"(?:{_PERIOD_LABEL})\s*[:：]?\s*{_DATE}\s*(?:至|到|~|～|－|—|-)+\s*{_DATE}")
_PERIOD_START = re.compile(rf"(?:起始|开始)(?:日期|时间)\s*[:：]?\s*{_DATE}")
_PERIOD_END = re.compile(rf"(?:终止|截止|结束)(?:日期|时间)\s*[:：]?\s*{_DATE}")


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
    period: tuple[datetime.date, datetime.date] | None = None  # as stated above the header

    @property
    def start(self) -> datetime.date | None:
        """The first day the statement covers: its stated period's, else its first line's."""
        if self.period is not None:
            return self.period[0]
        return self.lines[0].date if self.lines else None

    @property
    def end(self) -> datetime.date | None:
        """The last day the statement covers: its stated period's, else its last line's."""
        if self.period is not None:
            return self.period[1]
        return self.lines[-1].date if self.lines else None

    @property
    def closing(self) -> tuple[datetime.date, Decimal] | None:
        """The statement's last day and the balance after its last line, if it states one."""
        if not self.lines or self.lines[-1].balance is None or self.end is None:
            return None
        return self.end, self.lines[-1].balance


def looks_like_statement(table: Table, profiles: tuple[BankProfile, ...]) -> bool:
    return find_header(table.rows, profiles) is not None


def read_statement(table: Table, profiles: tuple[BankProfile, ...],
                   today: datetime.date | None = None) -> Statement:
    """The statement in a table; an ``InputError`` naming row and column for what is wrong.
    Given ``today``, a line dated after it is refused, and a stated period ending after it
    ends today (the bank cannot list what has not happened)."""
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
             if (line := _line(_Row(table, header, cells, index))) is not None]
    if today is not None:
        _refuse_future_lines(table, header, lines, today)
    period = _period(table, header, lines, today)
    return Statement(header.profile.name, _account_number(table, header),
                     _in_date_order(table, header, lines), period)


def _refuse_future_lines(table: Table, header: HeaderMatch, lines: list[StatementLine],
                         today: datetime.date) -> None:
    """An ``InputError`` for the first line dated after today, with the likely typo."""
    late = next((line for line in lines if line.date > today), None)
    if late is None:
        return
    years = {line.date.year for line in lines if line.date <= today}
    likely = likely_year(late.date.year, years)
    raise InputError(table.path, f"交易日期 {late.date} 晚于今天 {today}{year_hint(likely)}"
                                 f"；请核对后重新导出 / the date {late.date} is after today "
                                 f"({today}): check the year", row=late.row,
                     column=_where(header, "date"))


def _period(table: Table, header: HeaderMatch, lines: list[StatementLine],
            today: datetime.date | None) -> tuple[datetime.date, datetime.date] | None:
    """The period stated above the header, checked against the lines; None if none is."""
    text = " ".join(cell.text for cells in table.rows[:header.row] for cell in cells)
    both = _PERIOD.search(text)
    start, end = (both.groups() if both else
                  (_first_group(_PERIOD_START, text), _first_group(_PERIOD_END, text)))
    if start is None or end is None:
        return None
    try:
        first, last = parse_date(Cell(start)), parse_date(Cell(end))
    except ValueError:
        return None
    if first > last:
        raise InputError(table.path, f"对账单期间 {first} 至 {last} 起止颠倒 / the statement's "
                                     f"period {first} to {last} ends before it starts")
    if today is not None:
        last = min(last, today)
    outside = next((line for line in lines if not first <= line.date <= last), None)
    if outside is not None:
        raise InputError(table.path, f"交易日期 {outside.date} 不在对账单所注期间 {first} 至 {last}"
                                     f" 内 / the line's date {outside.date} is outside the "
                                     f"statement's period, {first} to {last}",
                         row=outside.row, column=_where(header, "date"))
    return first, last


def _first_group(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return match.group(1) if match else None


@dataclass(frozen=True)
class _Row:
    """One row below the header, read field by field; errors name its row and column."""

    table: Table
    header: HeaderMatch
    cells: list[Cell]
    row: int

    def cell(self, field: str) -> Cell:
        index = self.header.columns.get(field)
        return self.cells[index] if index is not None and index < len(self.cells) else Cell("")

    def fail(self, field: str, message: str) -> InputError:
        return InputError(self.table.path, message, row=self.row,
                          column=_where(self.header, field))

    def amount(self, field: str) -> Decimal | None:
        try:
            return parse_amount(self.cell(field))
        except ValueError as error:
            raise self.fail(field, str(error)) from None

    def text(self, field: str) -> str:
        try:
            if field == "time":
                return parse_time(self.cell(field))
            return parse_text(self.cell(field), digits=field in ("ref", "counterparty-account"))
        except ValueError as error:
            raise self.fail(field, str(error)) from None

    def is_total(self) -> bool:
        """A dated total (本日小计, 本月合计): marked so, with neither 流水号 nor 对方户名."""
        marked = any(_TOTAL_ROW.search(cell.text) for cell in self.cells)
        return marked and not self.cell("ref").text and not self.cell("payee").text

    def is_footer(self) -> bool:
        """A total, a note or a signature below the lines: it names no date and moves no money
        in the amount columns, or it says 合计, 小计 or 总计, or it is signed (``制表：林晓燕``,
        ``日期：2013年1月31日``, even reaching into an amount column) and holds no amount."""
        fields = AMOUNT_FIELDS[self.header.profile.amount_form]
        marked = any(_TOTAL_ROW.search(cell.text) for cell in self.cells)
        signed = any(is_signature(cell.text, bare=False) for cell in self.cells)
        return (marked or not any(self.cell(field).text for field in fields)
                or (signed and not any(reads_as_amount(self.cell(field)) for field in fields)))


def _where(header: HeaderMatch, field: str) -> str:
    index = header.columns[field]
    return f"{column_letter(index)}（{FIELD_NAMES_ZH[field]}）"


def _line(row: _Row) -> StatementLine | None:
    """The statement line in a row; None for a blank row, a footer, or a line of no money."""
    if not any(cell.text for cell in row.cells):
        return None
    try:
        date = parse_date(row.cell("date"))
    except ValueError as error:
        if row.is_footer():
            return None
        raise row.fail("date", str(error)) from None
    if row.is_total():
        return None
    amount = _amount(row)
    if amount == 0:
        return None
    return StatementLine(row.row, date, row.text("time"), row.text("narration"),
                         row.text("payee"), row.text("counterparty-account"), amount,
                         row.amount("balance"), row.text("ref"))


def _amount(row: _Row) -> Decimal:
    """The signed amount of a line from its amount columns (in: positive)."""
    form = row.header.profile.amount_form
    if form == "signed":
        signed = row.amount("amount")
        if signed is None:
            raise row.fail("amount", "本行没有发生额 / the line has no amount")
        return signed
    into, out = ("income", "expense") if form == "in-out" else ("credit", "debit")
    received, paid = row.amount(into), row.amount(out)
    if received is None and paid is None:
        raise row.fail(out, "本行没有发生额 / the line has no amount")
    if received and paid:
        raise row.fail(out, f"本行收入 {received} 与支出 {paid} 同时有数 / the line has money "
                            f"both in ({received}) and out ({paid})")
    return (received or Decimal(0)) - (paid or Decimal(0))


def _in_date_order(table: Table, header: HeaderMatch,
                   lines: list[StatementLine]) -> list[StatementLine]:
    """The lines oldest first, by date, then time where the file gives one. Lines of the same
    moment keep the file's order, or its reverse (an export listing the newest first): the one
    in which each balance follows from the previous. If both do and end on different balances,
    the file cannot tell its own order and is refused."""
    def moment(line: StatementLine) -> tuple[datetime.date, str]:
        return line.date, line.time

    if not lines:
        return []

    as_listed, reverse_listed = lines, lines[::-1]  # stable sorts keep ties in these orders
    orders = [sorted(as_listed, key=moment), sorted(reverse_listed, key=moment)]
    problems = [_balance_problem(table, header, order) for order in orders]
    fitting = [order for order, problem in zip(orders, problems, strict=True) if problem is None]
    first_problem = next((problem for problem in problems if problem is not None), None)
    if first_problem is not None and not fitting:
        raise first_problem
    if len(fitting) == 2 and fitting[0][-1].balance != fitting[1][-1].balance:
        raise InputError(table.path, "同一时刻的多笔流水无法确定先后（两种顺序余额都连续）；请"
                                     "导出带交易时间的流水 / lines of the same moment can be "
                                     "read in either order: export the statement with 交易时间",
                         row=fitting[0][-1].row, column=_where(header, "balance"))
    return fitting[0]


def _balance_problem(table: Table, header: HeaderMatch,
                     lines: list[StatementLine]) -> InputError | None:
    """Where a balance does not follow from the previous one, if anywhere."""
    previous: Decimal | None = None
    for line in lines:
        if previous is not None and line.balance is not None:
            expected = previous + line.amount
            if line.balance != expected:
                return InputError(
                    table.path, f"余额不连续：上一笔余额 {previous} 加本笔发生额 {line.amount} "
                                f"应为 {expected}，流水为 {line.balance} / the balance does "
                                f"not follow: {previous} + {line.amount} = {expected}, the "
                                f"line says {line.balance}",
                    row=line.row, column=_where(header, "balance"))
        previous = line.balance if line.balance is not None else (
            None if previous is None else previous + line.amount)
    return None


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
    numbers = {cells[column].text for cells in table.rows[header.row + 1:]
               if column < len(cells)} - {""}
    if len(numbers) > 1:
        raise InputError(table.path, f"流水含多个账号（{'、'.join(sorted(numbers))}），请按账号分别"
                                     "导出 / the statement covers several accounts: export one "
                                     "file per account", row=header.row + 1,
                         column=column_letter(column))
    return next(iter(numbers), None)
