"""The fund-use plan (资金使用计划) from a spreadsheet: budget lines and allocations for the books.

The district and the city hand the centre its plan as a spreadsheet: an xlsx with a sheet whose
name holds 预算 (budget) and one whose name holds 拨款 (allocations), or CSV files whose names
hold 预算 / 拨款 (a file or sheet named neither is told by its header). A title row above the
header is allowed (``2013年度资金使用计划``: the plan's year), and so are signature rows
under the table; a 合计 or 小计 row is skipped once it is checked to equal the rows it adds up.

- 预算 rows: 专项 (the fund's code or declared name), 科目 (an Expenses account of the fund, or
  the Chinese name of one of its expense sub-accounts, e.g. 装修工程: a new one is opened under
  the chart's 业务活动成本 where the fund has none), 期间 (年度/季度/月度 or yearly/quarterly/
  monthly; 年度 when the column or the cell is blank), 金额 (0 or more), optional 文号.
- 拨款 rows: 专项, 来源 (区财政 / 市财政: the fund's Income account with that component, else a
  new 政府补助收入 account; or an Income account of the fund), 金额 (more than 0), 到位期限,
  optional 文号.

:func:`draft_plan` turns the rows into the text of a new file: an ``open`` for every account
the plan names that the books lack, a ``custom "budget"`` per budget row and a
``custom "allocation"`` per allocation row, compared with what the books already hold for the
plan's year so that a revised plan (调整) writes only what changed. Every row it cannot take is
named by file, sheet, row and column, all of them at once, and nothing is drafted.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from beancount.core import data
from beancount.core.account_types import AccountTypes
from beancount.parser import options

from importers.errors import InputError
from importers.tables import Cell, Table, column_letter, read_sheets, read_table
from importers.values import is_signature, parse_amount, parse_date, parse_text
from ledger.files import path_from_books
from ledger.model.account_names import is_account_name
from ledger.model.budget import read_budget_directive
from ledger.model.chart import DEFAULT_COSTS, FundAccounts, code_of
from ledger.model.funds import Allocation, FundModel, read_fund_model

T = TypeVar("T")

BUDGET, ALLOCATION = "预算", "拨款"
REVISION_NOTE = "资金使用计划调整"
TOP_UP_NOTE = "资金使用计划调整：追加"
HEADER_ROWS = 30  # the header is looked for among the first rows

# field: the header names it goes by (spaces and a bracketed unit such as （元） removed)
COLUMNS: dict[str, tuple[str, ...]] = {
    "fund": ("专项", "专项资金", "专项名称", "资金名称", "资金项目", "专项代码"),
    "account": ("科目", "预算科目", "支出科目", "会计科目", "支出项目", "科目名称"),
    "period": ("期间", "预算期间", "周期"),
    "amount": ("金额", "预算金额", "拨款金额", "计划金额", "预算数", "拨款数"),
    "source": ("来源", "资金来源", "拨款来源", "拨款单位"),
    "due": ("到位期限", "到位日期", "到账期限", "拨付期限", "到位时间"),
    "approval": ("文号", "批准文号", "文件号", "依据文号", "批复文号"),
}
REQUIRED = {BUDGET: ("fund", "account", "amount"),
            ALLOCATION: ("fund", "source", "amount", "due")}
PERIODS = {"年度": "yearly", "年": "yearly", "全年": "yearly", "yearly": "yearly",
           "季度": "quarterly", "季": "quarterly", "quarterly": "quarterly",
           "月度": "monthly", "月": "monthly", "monthly": "monthly"}
PERIOD_NAMES = {"yearly": "年度", "quarterly": "季度", "monthly": "月度"}

_UNIT = re.compile(r"[（(]([^）)]*)[）)]$")
_SPACES = re.compile(r"\s+")
_TITLE_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年")
_NAME_YEAR = re.compile(r"(?<!\d)(19\d{2}|2\d{3})(?!\d)")
_TOTAL = re.compile(r"合\s*计|总\s*计")
_SUBTOTAL = re.compile(r"小\s*计")
_NOTE = re.compile(r"(?:注|说明|备注)\s*[:：]")


class PlanError(InputError):
    """Every row of the plan that cannot be taken, by file and row; nothing is drafted."""

    def __init__(self, problems: Sequence[InputError]) -> None:
        files = list(dict.fromkeys(problem.path for problem in problems))
        self.problems = sorted(problems, key=lambda problem: (files.index(problem.path),
                                                              problem.row or 0))
        super().__init__(self.problems[0].path, self.problems[0].message,
                         row=self.problems[0].row, column=self.problems[0].column)

    def __str__(self) -> str:
        return "\n".join(InputError.__str__(problem) for problem in self.problems)


class RevisionDateNeeded(InputError):
    """A revision of the plan needs the date it takes effect (``--date``): a usage error."""


# ---------------------------------------------------------------------------------------------
# Reading the sheets


@dataclass(frozen=True)
class Sheet:
    """One sheet of the plan: where it comes from, which kind it is, its rows."""

    table: Table
    kind: str | None  # BUDGET, ALLOCATION, or None: told by its header
    name: str | None = None  # the sheet's name in a workbook; None for a CSV

    @property
    def where(self) -> str:
        """The file (and sheet) as a message names it."""
        if self.name is None:
            return str(self.table.path)
        return f"{self.table.path}，工作表 {self.name} / sheet {self.name}"

    def error(self, message: str, *, row: int | None = None,
              column: str | None = None) -> InputError:
        return InputError(self.where, message, row=row, column=column)


def _kind_of(name: str) -> str | None:
    """The kind a sheet's or file's name says, if it says exactly one."""
    kinds = [kind for kind in (BUDGET, ALLOCATION) if kind in name]
    return kinds[0] if len(kinds) == 1 else None


def read_plan_sheets(paths: Iterable[Path]) -> list[Sheet]:
    """The plan's sheets: each workbook's sheets named 预算 / 拨款 (or, when none is, all of
    them), each CSV file as one sheet."""
    sheets: list[Sheet] = []
    for path in paths:
        if path.suffix.lower() == ".xlsx":
            sheets += _workbook_sheets(path)
        else:
            table = read_table(path)
            sheets.append(Sheet(table, _kind_of(path.stem)))
    return sheets


def _workbook_sheets(path: Path) -> list[Sheet]:
    """The sheets of an xlsx named 预算 / 拨款 (or, when none is, all of them)."""
    def chosen(names: list[str]) -> list[str]:
        return [name for name in names if _kind_of(name)] or names
    return [Sheet(table, _kind_of(name) or _kind_of(path.stem), name)
            for name, table in read_sheets(path, chosen)]


@dataclass(frozen=True)
class Header:
    """A sheet's header row (0-based index), each field's column, and each column's name."""

    index: int
    columns: dict[str, int]
    names: list[str]

    def where(self, field_name: str) -> str:
        """A column as a message names it: its letter and its header, e.g. ``C（金额（元））``."""
        index = self.columns[field_name]
        return f"{column_letter(index)}（{self.names[index]}）"


def _header_name(text: str) -> tuple[str, str | None]:
    """A header cell's name without spaces and its bracketed unit, and the unit."""
    name = _SPACES.sub("", text)
    unit = _UNIT.search(name)
    return (name[:unit.start()], unit.group(1)) if unit and unit.start() else (name, None)


def find_header(sheet: Sheet) -> Header | None:
    """The first row naming the 专项 and 金额 columns."""
    for index, cells in enumerate(sheet.table.rows[:HEADER_ROWS]):
        named = [_header_name(cell.text)[0] for cell in cells]
        columns: dict[str, int] = {}
        for position, name in enumerate(named):
            for field_name, accepted in COLUMNS.items():
                if name in accepted and field_name not in columns:
                    columns[field_name] = position
        if "fund" in columns and "amount" in columns:
            return Header(index, columns, [cell.text for cell in cells])
    return None


def _sheet_kind(sheet: Sheet, header: Header) -> str:
    if sheet.kind is not None:
        return sheet.kind
    if "source" in header.columns or "due" in header.columns:
        return ALLOCATION
    return BUDGET


def _at(cells: list[Cell], index: int | None) -> Cell:
    return cells[index] if index is not None and index < len(cells) else Cell("")


# ---------------------------------------------------------------------------------------------
# What the books hold


@dataclass(frozen=True)
class BooksPlan:
    """What the books declare that a plan refers to: funds, accounts, the root names."""

    model: FundModel
    roots: AccountTypes
    opened: set[str]
    currency: str
    folder: Path  # the main file's folder: places in the books are named from it

    def place_of(self, entry: data.Directive) -> str:
        """Where an entry of the books is: ``plan/2013.beancount:12``."""
        name = path_from_books(str(entry.meta.get("filename")), self.folder)
        return f"{name}:{entry.meta.get('lineno')}"

    def fund_code(self, text: str) -> str | None:
        """The fund a cell names by its code or its declared name."""
        if text in self.model.funds:
            return text
        return next((fund.code for fund in self.model.funds.values() if fund.name == text), None)

    def fund_accounts(self, fund: str, root: str) -> list[str]:
        """The fund's own accounts under ``root``, sorted."""
        return sorted(account for account, owner in self.model.account_fund.items()
                      if owner == fund and account.split(":")[0] == root)

    def chart_of(self, fund: str) -> FundAccounts:
        """Where the fund's new accounts go in the chart: under the component its chart
        expense accounts use after their coded parent (建设经费), else the last component of
        its chart income accounts (…:区财政:建设经费), else its name."""
        name = self.model.funds[fund].name
        costs = [account.split(":") for account in self.fund_accounts(fund, self.roots.expenses)
                 if code_of(account)]
        incomes = [account.split(":") for account in self.fund_accounts(fund, self.roots.income)
                   if code_of(account)]
        shorts = ([parts[2] for parts in costs if len(parts) > 3]
                  + [parts[-1] for parts in incomes if len(parts) > 2])
        return FundAccounts(fund, name, shorts[0] if shorts else name)


def books_plan(entries: data.Directives, options_map: dict[str, Any]) -> BooksPlan:
    roots = options.get_account_types(options_map)  # type: ignore[no-untyped-call]
    opened = {entry.account for entry in entries if isinstance(entry, data.Open)}
    currencies = options_map.get("operating_currency") or ["CNY"]
    folder = Path(str(options_map.get("filename", "."))).parent
    return BooksPlan(read_fund_model(entries, roots), roots, opened, str(currencies[0]), folder)


# ---------------------------------------------------------------------------------------------
# The rows


@dataclass(frozen=True)
class Place:
    """Where a row is: its sheet and its row as the spreadsheet numbers it."""

    sheet: str
    row: int
    columns: dict[str, str] = field(default_factory=dict, compare=False)  # field: C（金额）

    def __str__(self) -> str:
        return f"{self.sheet}，第 {self.row} 行 / row {self.row}"


@dataclass(frozen=True)
class BudgetRow:
    """One budget row: the fund's line for an account and period."""

    place: Place
    fund: str
    account: str
    period: str
    amount: Decimal
    approval: str | None


@dataclass(frozen=True)
class AllocationRow:
    """One allocation row: money a funder announces for a fund, due by a date."""

    place: Place
    fund: str
    source: str
    amount: Decimal
    due: datetime.date
    approval: str | None


@dataclass
class _Reading:
    """The rows read so far, the accounts to open (account: (fund, description)) and every
    problem found."""

    books: BooksPlan
    budgets: list[BudgetRow] = field(default_factory=list)
    allocations: list[AllocationRow] = field(default_factory=list)
    to_open: dict[str, tuple[str, str]] = field(default_factory=dict)
    problems: list[InputError] = field(default_factory=list)
    title_years: list[tuple[int, str]] = field(default_factory=list)


class _RowProblem(Exception):
    """A cell of a row that cannot be read, with its column."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def _read_sheet(reading: _Reading, sheet: Sheet) -> None:
    header = find_header(sheet)
    if header is None:
        reading.problems.append(sheet.error(
            "找不到表头：应有“专项”和“金额”两列 / no header found: the sheet needs 专项 and 金额 "
            "columns"))
        return
    kind = _sheet_kind(sheet, header)
    missing = [COLUMNS[name][0] for name in REQUIRED[kind] if name not in header.columns]
    if missing:
        has = "、".join(text for text in header.names if text) or "（无）"
        reading.problems.append(sheet.error(
            f"{kind}表缺少列：{'、'.join(missing)}（现有列：{has}） / the {kind} sheet lacks the "
            f"columns {', '.join(missing)} (it has: {has})", row=header.index + 1))
        return
    unit = _header_name(header.names[header.columns["amount"]])[1]
    if unit not in (None, "元", "人民币元", "单位：元"):
        reading.problems.append(sheet.error(
            f"金额单位应为元，实为“{unit}”，请换算为元后再导入 / amounts must be in 元, not {unit}",
            row=header.index + 1, column=header.where("amount")))
        return
    _note_title_year(reading, sheet, header)
    _read_rows(reading, sheet, header, kind)


def _note_title_year(reading: _Reading, sheet: Sheet, header: Header) -> None:
    for row, cells in enumerate(sheet.table.rows[:header.index], 1):
        for cell in cells:
            found = _TITLE_YEAR.search(cell.text)
            if found:
                reading.title_years.append((int(found.group(1)), f"{sheet.where}，第 {row} 行"))
                return


def _read_rows(reading: _Reading, sheet: Sheet, header: Header, kind: str) -> None:
    """Each row under the header: a plan row, a total checked, or a note skipped."""
    amount_column = header.columns["amount"]
    total, subtotal = Decimal(0), Decimal(0)
    for row, cells in enumerate(sheet.table.rows[header.index + 1:], header.index + 2):
        texts = [cell.text for cell in cells]
        amount_cell = _at(cells, amount_column)
        if not amount_cell.text and (not _at(cells, header.columns["fund"]).text
                                     or sum(1 for text in texts if text) == 1
                                     or any(is_signature(text) or _NOTE.match(text)
                                            for text in texts)):
            continue  # a blank line, a note (注：…) or a signature (制表：…, 审核：…)
        words = " ".join(text for index, text in enumerate(texts) if index != amount_column)
        if _TOTAL.search(words):
            _check_total(reading, sheet, header, row, amount_cell, total, "合计")
            continue
        if _SUBTOTAL.search(words):
            _check_total(reading, sheet, header, row, amount_cell, subtotal, "小计")
            subtotal = Decimal(0)
            continue
        amount = _row(reading, sheet, header, kind, row, cells)
        total += amount
        subtotal += amount


def _check_total(reading: _Reading, sheet: Sheet, header: Header, row: int, cell: Cell,
                 expected: Decimal, name: str) -> None:
    """A 合计 row must equal the rows above it; a 小计 row the rows since the last 小计."""
    try:
        stated = parse_amount(cell)
    except ValueError as error:
        reading.problems.append(sheet.error(str(error), row=row, column=header.where("amount")))
        return
    if stated is not None and stated != expected:
        reading.problems.append(sheet.error(
            f"{name} {stated:,.2f} 不等于上面各行之和 {expected:,.2f} / the {name} row states "
            f"{stated:,.2f}, the rows above add up to {expected:,.2f}",
            row=row, column=header.where("amount")))


def _row(reading: _Reading, sheet: Sheet, header: Header, kind: str, row: int,
         cells: list[Cell]) -> Decimal:
    """Read one plan row into ``reading``; its amount (0 where none can be read). Every bad
    cell of the row is a problem of its own."""
    problems: list[_RowProblem] = []

    def cell(name: str) -> Cell:
        return _at(cells, header.columns.get(name))

    def attempt(name: str, read: Callable[[], T]) -> T | None:
        try:
            return read()
        except _RowProblem as problem:
            problems.append(problem)
        except ValueError as error:
            problems.append(_RowProblem(header.where(name), str(error)))
        return None

    fund = attempt("fund", lambda: _fund(reading.books, header, cell("fund")))
    amount = attempt("amount", lambda: _amount(header, cell("amount"), kind))
    approval = _approval(cell("approval")) if "approval" in header.columns else None
    place = Place(sheet.where, row, {name: header.where(name) for name in header.columns})
    if kind == BUDGET:
        period = attempt("period", lambda: _period(header, cell("period")))
        account = (attempt("account", lambda: _budget_account(reading, header, fund,
                                                              cell("account")))
                   if fund else None)
        if not problems:
            assert fund and account and period and amount is not None
            reading.budgets.append(BudgetRow(place, fund, account, period, amount, approval))
    else:
        due = attempt("due", lambda: _due(header, cell("due")))
        source = (attempt("source", lambda: _source(reading, header, fund, cell("source")))
                  if fund else None)
        if not problems:
            assert fund and source and due and amount is not None
            reading.allocations.append(AllocationRow(place, fund, source, amount, due, approval))
    for problem in problems:
        reading.problems.append(sheet.error(problem.message, row=row, column=problem.column))
    return amount if isinstance(amount, Decimal) else Decimal(0)


def _fund(books: BooksPlan, header: Header, cell: Cell) -> str:
    text = parse_text(cell)
    code = books.fund_code(text)
    if code is None:
        known = "、".join(f"{fund.code}（{fund.name}）" for fund in books.model.funds.values())
        what = f"“{text}”" if text else "为空 / blank"
        raise _RowProblem(header.where("fund"), f"账簿中没有专项 {what}；账簿声明的专项：{known} "
                                                f"/ no such fund in the books: {text!r}")
    return code


def _amount(header: Header, cell: Cell, kind: str) -> Decimal:
    amount = parse_amount(cell)
    column = header.where("amount")
    if amount is None:
        raise _RowProblem(column, "金额为空 / the amount is blank")
    if kind == BUDGET and amount < 0:
        raise _RowProblem(column, f"预算金额 {amount} 为负 / the budget {amount} is negative")
    if kind == ALLOCATION and amount <= 0:
        raise _RowProblem(column, f"拨款金额 {amount} 应大于 0 / the allocation {amount} must "
                                  "be more than 0")
    return amount


def _period(header: Header, cell: Cell) -> str:
    text = _SPACES.sub("", parse_text(cell)).lower()
    if not text:
        return "yearly"
    period = PERIODS.get(text)
    if period is None:
        raise _RowProblem(header.where("period"),
                          f"无法识别的期间“{cell.text}”，应为 年度、季度 或 月度 / unknown period "
                          f"{cell.text!r}: 年度/季度/月度 or yearly/quarterly/monthly")
    return period


def _due(header: Header, cell: Cell) -> datetime.date:
    if not cell.text:
        raise _RowProblem(header.where("due"), "到位期限为空 / the due date is blank")
    return parse_date(cell)


def _approval(cell: Cell) -> str | None:
    text = _SPACES.sub(" ", parse_text(cell)).strip()
    return text or None


def _budget_account(reading: _Reading, header: Header, fund: str, cell: Cell) -> str:
    """The Expenses account a 科目 cell names for the fund; a new one is noted to open."""
    books = reading.books
    text = parse_text(cell)
    column = header.where("account")
    if not text:
        raise _RowProblem(column, "科目为空 / the account is blank")
    if ":" in text:
        return _named_account(reading, column, fund, text, books.roots.expenses, "支出")
    mine = [account for account in books.fund_accounts(fund, books.roots.expenses)
            if account.split(":")[-1] == text]
    if len(mine) == 1:
        return mine[0]
    if len(mine) > 1:
        raise _RowProblem(column, f"专项 {fund} 有多个名为“{text}”的支出科目，请写明科目全名："
                                  f"{'、'.join(mine)} / several accounts of fund {fund} are "
                                  f"named {text}: give the full account")
    code = dict(DEFAULT_COSTS.get(fund, ())).get(text, "5101")
    return _new_account(reading, column, fund, books.chart_of(fund).cost(text, code), text)


def _source(reading: _Reading, header: Header, fund: str, cell: Cell) -> str:
    """The Income account a 来源 cell names for the fund; a new grant account is noted to
    open where the fund has none from that funder."""
    books = reading.books
    text = parse_text(cell)
    column = header.where("source")
    if not text:
        raise _RowProblem(column, "来源为空 / the source is blank")
    if ":" in text:
        return _named_account(reading, column, fund, text, books.roots.income, "收入")
    mine = [account for account in books.fund_accounts(fund, books.roots.income)
            if text in account.split(":")[1:]]
    if len(mine) == 1:
        return mine[0]
    if len(mine) > 1:
        raise _RowProblem(column, f"专项 {fund} 有多个含“{text}”的收入科目，请写明科目全名："
                                  f"{'、'.join(mine)} / several Income accounts of fund {fund} "
                                  f"name {text}: give the full account")
    return _new_account(reading, column, fund, books.chart_of(fund).grant(text), f"{text}拨款")


def _named_account(reading: _Reading, column: str, fund: str, account: str, root: str,
                   what: str) -> str:
    """An account a cell gives by its full name: of the fund, under ``root``; new ones are
    noted to open, a parent of the fund's accounts is taken as it is."""
    books = reading.books
    if not is_account_name(account, books.roots) or account.split(":")[0] != root:
        raise _RowProblem(column, f"“{account}”不是{what}科目（应以 {root}: 开头） / "
                                  f"{account!r} is not an {root} account")
    owner = books.model.fund_of(account)
    if owner is None and account in books.opened:
        owner = "（不属于任何专项 / no fund）"
    below = {books.model.fund_of(name) for name in books.opened
             if name.startswith(account + ":")}
    if (owner is not None and owner != fund) or below - {fund}:
        other = owner if owner is not None and owner != fund else "、".join(
            sorted(str(name) for name in below - {fund}))
        raise _RowProblem(column, f"科目 {account} 属于 {other}，不是专项 {fund} 的科目 / "
                                  f"{account} is not an account of fund {fund}")
    if owner is None and not below:
        return _new_account(reading, column, fund, account, account.split(":")[-1])
    return account


def _new_account(reading: _Reading, column: str, fund: str, account: str,
                 description: str) -> str:
    if not is_account_name(account, reading.books.roots):
        raise _RowProblem(column, f"“{description}”不能用作科目名（不能含空格或半角标点） / "
                                  f"{description!r} cannot name an account")
    owner = reading.books.model.fund_of(account)
    if owner is not None and owner != fund:
        raise _RowProblem(column, f"科目 {account} 属于专项 {owner} / {account} belongs to "
                                  f"fund {owner}")
    if account not in reading.books.opened:
        reading.to_open.setdefault(account, (fund, description))
    return account


# ---------------------------------------------------------------------------------------------
# The plan against the books


@dataclass(frozen=True)
class BudgetChange:
    """A budget row to write: new, or revising the books' line (``previous``)."""

    row: BudgetRow
    date: datetime.date
    previous: Decimal | None = None


@dataclass(frozen=True)
class AllocationChange:
    """An allocation to write: the whole row, or what it adds to the books' (``booked``)."""

    row: AllocationRow
    date: datetime.date
    amount: Decimal
    booked: Decimal = Decimal(0)


@dataclass(frozen=True)
class PlanDraft:
    """A plan read against the books: its rows, what is to be written, and the text."""

    year: int
    year_from: str  # where the year comes from, for the bookkeeper
    first: bool  # the books hold no plan for the year yet
    date: datetime.date  # the date of what is written (1 January, or the revision's)
    budgets: tuple[BudgetRow, ...]
    allocations: tuple[AllocationRow, ...]
    budget_changes: tuple[BudgetChange, ...]
    allocation_changes: tuple[AllocationChange, ...]
    opened: tuple[str, ...]
    unchanged: int  # rows the books already hold as the sheet gives them
    left_alone: tuple[str, ...]  # the books' lines of the year the sheet does not name
    text: str  # empty when there is nothing to write

    @property
    def revisions(self) -> int:
        """The books' lines and allocations this plan changes."""
        return (sum(1 for change in self.budget_changes if change.previous is not None)
                + sum(1 for change in self.allocation_changes if change.booked))


def draft_plan(plan_files: Sequence[Path], entries: data.Directives,
               options_map: dict[str, Any], *, year: int | None = None,
               revision_date: datetime.date | None = None,
               today: datetime.date | None = None,
               source_names: Sequence[str] | None = None) -> PlanDraft:
    """The plan in ``plan_files`` (xlsx, or CSV files named 预算 / 拨款) drafted against the
    loaded books. ``year`` defaults to the year in a sheet's title, else in a file's name,
    else the year of the books' latest ``custom "fund"``. A revision (books already holding
    a plan for the year) takes effect on ``revision_date``, by default ``today`` when it
    falls within the year. Raises :class:`PlanError` (an ``InputError``) listing every row that
    cannot be taken, :class:`RevisionDateNeeded` when a revision has no date, or an
    ``InputError`` for a file that cannot be read."""
    today = today or datetime.date.today()
    books = books_plan(entries, options_map)
    if not books.model.funds:
        raise InputError(plan_files[0], "账簿没有声明任何专项（custom \"fund\"），无法对应计划中"
                                        "的专项 / the books declare no fund")
    reading = _Reading(books)
    for path in plan_files:
        try:
            sheets = read_plan_sheets([path])
        except InputError as problem:
            reading.problems.append(problem)
            continue
        for sheet in sheets:
            _read_sheet(reading, sheet)
    _check_duplicates(reading)
    if not reading.problems and not reading.budgets and not reading.allocations:
        raise InputError(", ".join(str(path) for path in plan_files),
                         "计划中没有预算或拨款行 / the plan has no budget or allocation row")
    plan_year, year_from = _plan_year(reading, plan_files, books, year)
    if reading.problems:
        raise PlanError(reading.problems)
    return _against_books(reading, entries, plan_year, year_from, revision_date, today,
                          source_names or [path.name for path in plan_files])


def _check_duplicates(reading: _Reading) -> None:
    """One budget row per account (a later directive replaces an earlier one, whatever its
    period), one allocation row per fund, source and due date."""
    seen: dict[str, BudgetRow] = {}
    for budget in reading.budgets:
        first = seen.setdefault(budget.account, budget)
        if first is not budget:
            reading.problems.append(InputError(
                budget.place.sheet, f"科目 {budget.account} 与第 {first.place.row} 行重复：同一科目"
                f"只能有一行预算 / {budget.account} repeats row {first.place.row}: one budget "
                "line per account", row=budget.place.row, column=budget.place.columns["account"]))
    keys: dict[tuple[str, str, datetime.date], AllocationRow] = {}
    for allocation in reading.allocations:
        key = (allocation.fund, allocation.source, allocation.due)
        earlier = keys.setdefault(key, allocation)
        if earlier is not allocation:
            reading.problems.append(InputError(
                allocation.place.sheet, f"与第 {earlier.place.row} 行重复（同一专项、来源与到位期"
                f"限） / repeats row {earlier.place.row} (same fund, source and due date)",
                row=allocation.place.row, column=allocation.place.columns["source"]))


def _plan_year(reading: _Reading, plan_files: Sequence[Path], books: BooksPlan,
               year: int | None) -> tuple[int, str]:
    """The plan's year and where it comes from."""
    if year is not None:
        return year, "--year"
    years = sorted({found for found, _ in reading.title_years})
    if len(years) > 1:
        where = "；".join(f"{where}：{found}年" for found, where in reading.title_years)
        raise RevisionDateNeeded(", ".join(str(path) for path in plan_files),
                                 f"各表标题的年度不一致（{where}），请用 --year 指明 / the titles "
                                 "name different years: give --year")
    if years:
        return years[0], f"标题 / the title: {reading.title_years[0][1]}"
    for path in plan_files:
        found = _NAME_YEAR.search(path.stem)
        if found:
            return int(found.group(1)), f"文件名 / the file name: {path.name}"
    declared = max(fund.declared for fund in books.model.funds.values())
    return declared.year, "账簿最近的专项声明 / the books' latest custom \"fund\""


@dataclass
class _Diff:
    budgets: list[BudgetChange] = field(default_factory=list)
    allocations: list[AllocationChange] = field(default_factory=list)
    unchanged: int = 0


def _against_books(reading: _Reading, entries: data.Directives, year: int, year_from: str,
                   revision_date: datetime.date | None, today: datetime.date,
                   source_names: Sequence[str]) -> PlanDraft:
    books = reading.books
    lines = _year_lines(entries, books, year)
    allocations = [allocation for allocation in books.model.allocations
                   if year in (allocation.date.year, allocation.due.year)]
    first = not lines and not any(allocation.date.year == year for allocation in allocations)
    start = datetime.date(year, 1, 1)
    diff = _diff(reading, lines, allocations)
    date = start
    if not first and (diff.budgets or diff.allocations):
        date = _revision_date(reading, year, revision_date, today)
        _check_after(reading, diff, lines, date)
    if reading.problems:
        raise PlanError(reading.problems)
    diff.budgets = [BudgetChange(change.row, date, change.previous) for change in diff.budgets]
    diff.allocations = [AllocationChange(change.row, date, change.amount, change.booked)
                        for change in diff.allocations]
    named = {budget.account for budget in reading.budgets}
    keys = {(row.fund, row.source, row.due) for row in reading.allocations}
    left = [f"预算 / budget {account}" for account in sorted(lines) if account not in named]
    left += [f"拨款 / allocation {item.fund} {item.amount:,.2f} {item.currency}（"
             f"{books.place_of(item.entry)}）"
             for item in allocations if (item.fund, item.source, item.due) not in keys]
    used = {change.row.account for change in diff.budgets}
    used |= {change.row.source for change in diff.allocations}
    opened = tuple(account for account in reading.to_open if account in used)
    draft = PlanDraft(year, year_from, first, date, tuple(reading.budgets),
                      tuple(reading.allocations), tuple(diff.budgets), tuple(diff.allocations),
                      opened, diff.unchanged, tuple(left), "")
    text = plan_text(draft, reading, start, source_names, today) if (
        diff.budgets or diff.allocations) else ""
    return PlanDraft(**{**draft.__dict__, "text": text})


def _year_lines(entries: data.Directives, books: BooksPlan,
                year: int) -> dict[str, tuple[Decimal, str, datetime.date, str]]:
    """Each account's budget line in the books dated within ``year``: the latest directive's
    amount, period, date and place."""
    lines = {}
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == "budget" and entry.date.year == year:
            line = read_budget_directive(entry, tuple(books.roots))
            if not isinstance(line, str):
                lines[line.account] = (line.amount, line.period, line.date,
                                       books.place_of(entry))
    return lines


def _diff(reading: _Reading, lines: dict[str, tuple[Decimal, str, datetime.date, str]],
          allocations: list[Allocation]) -> _Diff:
    """What the sheet changes: budget lines new or of another amount or period; allocations
    new or higher (a lower one is a problem: it must be changed by hand)."""
    diff = _Diff()
    start = datetime.date.min
    for budget in reading.budgets:
        held = lines.get(budget.account)
        if held is not None and (held[0], held[1]) == (budget.amount, budget.period):
            diff.unchanged += 1
        else:
            diff.budgets.append(BudgetChange(budget, start,
                                             None if held is None else held[0]))
    for row in reading.allocations:
        booked = [item for item in allocations if (item.fund, item.source, item.due)
                  == (row.fund, row.source, row.due)]
        held_amount = sum((item.amount for item in booked), Decimal(0))
        if held_amount == row.amount and booked:
            diff.unchanged += 1
        elif held_amount < row.amount:
            diff.allocations.append(AllocationChange(row, start, row.amount - held_amount,
                                                     held_amount))
        else:
            where = "、".join(reading.books.place_of(item.entry) for item in booked)
            reading.problems.append(InputError(
                row.place.sheet, f"拨款 {row.amount:,.2f} 少于账簿中已有的 {held_amount:,.2f}（"
                f"{where}）：减少拨款不会自动写入，请手工修改账簿中的拨款 / the allocation "
                f"{row.amount:,.2f} is less than the books' {held_amount:,.2f} ({where}): "
                "change the books' allocation by hand", row=row.place.row,
                column=row.place.columns["amount"]))
    return diff


def _revision_date(reading: _Reading, year: int, given: datetime.date | None,
                   today: datetime.date) -> datetime.date:
    where = ", ".join(sorted({budget.place.sheet for budget in reading.budgets}
                             | {row.place.sheet for row in reading.allocations}))
    if given is None:
        if today.year == year:
            return today
        raise RevisionDateNeeded(where, f"账簿已有 {year} 年度的资金使用计划，这是一次调整：请用 "
                                        "--date 指明调整生效日期 / the books already hold the "
                                        f"{year} plan: give the revision's date with --date")
    if given.year != year:
        raise RevisionDateNeeded(where, f"调整日期 {given} 不在计划年度 {year} 年内 / the "
                                        f"revision date {given} is not in {year}")
    return given


def _check_after(reading: _Reading, diff: _Diff,
                 lines: dict[str, tuple[Decimal, str, datetime.date, str]],
                 date: datetime.date) -> None:
    """A revision must come after the line it revises, or it would never take effect."""
    for change in diff.budgets:
        held = lines.get(change.row.account)
        if held is not None and held[2] >= date:
            reading.problems.append(InputError(
                change.row.place.sheet, f"调整日期 {date} 不晚于账簿中该科目预算的日期 {held[2]}"
                f"（{held[3]}），调整不会生效 / the revision date {date} is not after the books' "
                f"line of {held[2]} ({held[3]})", row=change.row.place.row,
                column=change.row.place.columns["amount"]))


# ---------------------------------------------------------------------------------------------
# The text


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def plan_text(draft: PlanDraft, reading: _Reading, start: datetime.date,
              source_names: Sequence[str], today: datetime.date) -> str:
    """The directives to add to the books, under a header naming the plan's files."""
    sources = "、".join(source_names)
    lines = [f"; {draft.year} 年度资金使用计划，由 funds plan 于 {today} 从 {sources} 生成 / the "
             f"{draft.year} fund-use plan, written by funds plan on {today} from {sources}"]
    if not draft.first:
        lines.append(f"; {REVISION_NOTE}，自 {draft.date} 起生效 / a revision of the plan, in "
                     f"effect from {draft.date}")
    currency = reading.books.currency
    if draft.opened:
        lines += ["", "; 新开科目 / accounts the plan names that the books lack"]
    for account in draft.opened:
        fund, description = reading.to_open[account]
        lines += [f"{start} open {account} {currency}", f"  fund: {_quoted(fund)}",
                  f"  description: {_quoted(description)}"]
    if draft.budget_changes:
        lines += ["", "; 预算 / budget lines"]
    for change in draft.budget_changes:
        row = change.row
        was = "" if change.previous is None else f"（原 / was {change.previous:.2f}）"
        lines += [f"; {_label(row.place)}{was}",
                  f'{change.date} custom "budget" {row.account} "{row.period}" '
                  f"{row.amount:.2f} {currency}"]
        lines += _meta(row.approval, None if draft.first else REVISION_NOTE)
    if draft.allocation_changes:
        lines += ["", "; 拨款 / allocations"]
    for allocation in draft.allocation_changes:
        given = allocation.row
        note = TOP_UP_NOTE if allocation.booked else (None if draft.first else REVISION_NOTE)
        was = "" if not allocation.booked else f"（已有 / booked {allocation.booked:.2f}）"
        lines += [f"; {_label(given.place)}{was}",
                  f"{allocation.date} custom \"allocation\" {_quoted(given.fund)} "
                  f"{allocation.amount:.2f} {currency}",
                  f"  due: {given.due}", f"  source: {given.source}"]
        lines += _meta(given.approval, note)
    return "\n".join(lines) + "\n"


def _label(place: Place) -> str:
    """A row's place as the file names it: the file's name (and sheet), the row."""
    parts = place.sheet.split("，")
    name = Path(parts[0]).name
    sheet = f" {parts[1].split(' / ')[0]}" if len(parts) > 1 else ""
    return f"{name}{sheet} 第 {place.row} 行"


def _meta(approval: str | None, note: str | None) -> list[str]:
    lines = [f"  approval: {_quoted(approval)}"] if approval else []
    return lines + ([f"  note: {_quoted(note)}"] if note else [])
