"""The plan's rows: each budget or allocation row read cell by cell, every bad cell a problem
of its own; totals checked, notes and signatures skipped; the plan's year."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from importers.errors import InputError
from importers.plan.accounts import BooksPlan, PlanAccounts, RowProblem
from importers.plan.sheets import (
    ALLOCATION,
    BUDGET,
    COLUMNS,
    REQUIRED,
    SPACES,
    Header,
    Sheet,
    find_header,
    header_name,
    sheet_kind,
)
from importers.plan.units import (
    YUAN,
    Stated,
    UnitProblem,
    header_unit,
    scaled_amount,
    sheet_unit,
    unit_above,
)
from importers.tables import Cell
from importers.values import is_signature, parse_date, parse_text

PERIODS = {"年度": "yearly", "年": "yearly", "全年": "yearly", "yearly": "yearly",
           "季度": "quarterly", "季": "quarterly", "quarterly": "quarterly",
           "月度": "monthly", "月": "monthly", "monthly": "monthly"}
# A line's periods in a year: check-funds counts a monthly line 12 times, a quarterly one 4.
PERIODS_PER_YEAR = {"yearly": 1, "quarterly": 4, "monthly": 12}

_TITLE_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年")
_NAME_YEAR = re.compile(r"(?<!\d)(19\d{2}|2\d{3})(?!\d)")
_TOTAL = re.compile(r"合\s*计|总\s*计")
_SUBTOTAL = re.compile(r"小\s*计")
_NOTE = re.compile(r"(?:注|说明|备注)\s*[:：]")


class PlanUsageError(InputError):
    """The plan cannot be drafted as asked (titles naming different years, a revision
    without its date or dated in a sealed month): a usage error, nothing drafted."""


@dataclass(frozen=True)
class Place:
    """Where a row is: its file, its sheet (None for a CSV), its row as the spreadsheet
    numbers it, and its columns as messages name them (field: ``C（金额）``)."""

    file: Path
    sheet: str | None
    row: int
    columns: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def where(self) -> str:
        """The file (and sheet) as a message names it."""
        if self.sheet is None:
            return str(self.file)
        return f"{self.file}，工作表 {self.sheet} / sheet {self.sheet}"

    def error(self, message: str, field_name: str) -> InputError:
        return InputError(self.where, message, row=self.row, column=self.columns[field_name])


@dataclass(frozen=True)
class BudgetRow:
    """One budget row: the fund's line for an account and period."""

    place: Place
    fund: str
    account: str
    period: str
    amount: Decimal
    approval: str | None

    @property
    def year_amount(self) -> Decimal:
        """The line's budget for a whole year, as check-funds counts it."""
        return self.amount * PERIODS_PER_YEAR[self.period]


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
class Reading:
    """The rows read so far, the accounts they name, and every problem found."""

    accounts: PlanAccounts
    budgets: list[BudgetRow] = field(default_factory=list)
    allocations: list[AllocationRow] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)
    title_years: list[tuple[int, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # workbook sheets of neither kind
    converted: list[str] = field(default_factory=list)  # sheets whose amounts were in 万元

    @property
    def books(self) -> BooksPlan:
        return self.accounts.books


def read_sheet(reading: Reading, sheet: Sheet) -> None:
    """The sheet's rows into ``reading``, or the problem with its header; a workbook's sheet
    that is neither a budget nor an allocation sheet is noted as skipped."""
    header = find_header(sheet)
    kind = None if header is None else sheet_kind(sheet, header)
    if sheet.name is not None and sheet.kind is None and kind is None:
        reading.skipped.append(sheet.name)
        return
    if header is None:
        reading.problems.append(sheet.error(
            "找不到表头：应有“专项”和“金额”两列 / no header found: the sheet needs 专项 and 金额 "
            "columns"))
        return
    kind = kind or BUDGET
    missing = [COLUMNS[name][0] for name in REQUIRED[kind] if name not in header.columns]
    if missing:
        has = "、".join(text for text in header.names if text) or "（无）"
        reading.problems.append(sheet.error(
            f"{kind}表缺少列：{'、'.join(missing)}（现有列：{has}） / the {kind} sheet lacks the "
            f"columns {', '.join(missing)} (it has: {has})", row=header.index + 1))
        return
    try:
        unit = _unit_of(sheet, header)
    except UnitProblem as problem:
        reading.problems.append(sheet.error(problem.message, row=problem.row))
        return
    if unit != YUAN:
        reading.converted.append(sheet.where)
    _note_title_year(reading, sheet, header)
    _read_rows(reading, sheet, header, kind, unit)


def _unit_of(sheet: Sheet, header: Header) -> str:
    """The unit of the sheet's amounts, from the amount header's bracket and the cells above
    the header; ``UnitProblem`` for a header bracket that is no money unit, another unit or
    two that disagree."""
    statements = [Stated(unit, row, column, cell.text)
                  for row, cells in enumerate(sheet.table.rows[:header.index], 1)
                  for column, cell in enumerate(cells)
                  if (unit := unit_above(cell.text)) is not None]
    column = header.columns["amount"]
    bracketed = header_name(header.names[column])[1]
    if bracketed is not None:
        unit = header_unit(bracketed)
        if unit is None:
            raise UnitProblem(f"金额单位“{bracketed}”（第 {header.index + 1} 行 "
                              f"{header.where('amount')}）无法读取：应为元或万元 / the amount "
                              f"unit {bracketed} cannot be read: give 元 or 万元",
                              header.index + 1)
        statements.append(Stated(unit, header.index + 1, column, header.names[column]))
    return sheet_unit(statements)


def _note_title_year(reading: Reading, sheet: Sheet, header: Header) -> None:
    for row, cells in enumerate(sheet.table.rows[:header.index], 1):
        for cell in cells:
            found = _TITLE_YEAR.search(cell.text)
            if found:
                reading.title_years.append((int(found.group(1)), f"{sheet.where}，第 {row} 行"))
                return


def _skipped(cells: list[Cell], header: Header) -> bool:
    """A blank line, a note (注：…) or a signature (制表：…, 审核：…): no amount, and no fund
    or one text only or a note's or signature's words."""
    if header.cell(cells, "amount").text:
        return False
    texts = [cell.text for cell in cells]
    return (not header.cell(cells, "fund").text or sum(1 for text in texts if text) == 1
            or any(is_signature(text) or _NOTE.match(text) for text in texts))


def _read_rows(reading: Reading, sheet: Sheet, header: Header, kind: str, unit: str) -> None:
    """Each row under the header: a plan row, a total checked, or a note skipped."""
    amount_column = header.columns["amount"]
    total, subtotal = Decimal(0), Decimal(0)
    columns = {name: header.where(name) for name in header.columns}
    for row, cells in enumerate(sheet.table.rows[header.index + 1:], header.index + 2):
        if _skipped(cells, header):
            continue
        place = Place(sheet.table.path, sheet.name, row, columns)
        words = " ".join(cell.text for index, cell in enumerate(cells) if index != amount_column)
        if _TOTAL.search(words):
            _check_total(reading, place, header.cell(cells, "amount"), unit, total, "合计")
            continue
        if _SUBTOTAL.search(words):
            _check_total(reading, place, header.cell(cells, "amount"), unit, subtotal, "小计")
            subtotal = Decimal(0)
            continue
        cells_of = _Cells(header, cells, place, unit)
        amount = (_budget_row(reading, cells_of) if kind == BUDGET
                  else _allocation_row(reading, cells_of))
        total += amount
        subtotal += amount


def _check_total(reading: Reading, place: Place, cell: Cell, unit: str, expected: Decimal,
                 name: str) -> None:
    """A 合计 row must equal the rows above it; a 小计 row the rows since the last 小计 (both
    in 元, once converted)."""
    try:
        stated = scaled_amount(cell, unit)
    except ValueError as error:
        reading.problems.append(place.error(str(error), "amount"))
        return
    if stated is not None and stated != expected:
        reading.problems.append(place.error(
            f"{name} {stated:,.2f} 不等于上面各行之和 {expected:,.2f} / the {name} row states "
            f"{stated:,.2f}, the rows above add up to {expected:,.2f}", "amount"))


@dataclass
class _Cells:
    """One row's cells by field, and the problems its cells have."""

    header: Header
    cells: list[Cell]
    place: Place
    unit: str = YUAN
    problems: list[RowProblem] = field(default_factory=list)

    def text(self, name: str) -> str:
        return parse_text(self.header.cell(self.cells, name))

    def cell(self, name: str) -> Cell:
        return self.header.cell(self.cells, name)

    def column(self, name: str) -> str:
        return self.place.columns.get(name, "")

    def failed(self, name: str, error: Exception) -> None:
        if isinstance(error, RowProblem):
            self.problems.append(error)
        else:
            self.problems.append(RowProblem(self.column(name), str(error)))

    def report(self, reading: Reading) -> None:
        for problem in self.problems:
            reading.problems.append(InputError(self.place.where, problem.message,
                                               row=self.place.row, column=problem.column))


def _common(reading: Reading, row: _Cells, kind: str) -> tuple[str | None, Decimal | None]:
    """The row's fund and amount (None where the cell cannot be read)."""
    fund = amount = None
    try:
        fund = _fund(reading.books, row.cell("fund"), row.column("fund"))
    except (RowProblem, ValueError) as error:
        row.failed("fund", error)
    try:
        amount = _amount(row.cell("amount"), kind, row.column("amount"), row.unit)
    except (RowProblem, ValueError) as error:
        row.failed("amount", error)
    return fund, amount


def _budget_row(reading: Reading, row: _Cells) -> Decimal:
    """Read one budget row into ``reading``; its amount (0 where none can be read)."""
    fund, amount = _common(reading, row, BUDGET)
    period = account = None
    try:
        period = _period(row.cell("period"), row.column("period"))
    except (RowProblem, ValueError) as error:
        row.failed("period", error)
    try:
        account = (reading.accounts.budget_account(fund, row.text("account"),
                                                   row.column("account")) if fund else None)
    except (RowProblem, ValueError) as error:
        row.failed("account", error)
    approval = _approval(row.cell("approval"))
    if fund and account and period and amount is not None and not row.problems:
        reading.budgets.append(BudgetRow(row.place, fund, account, period, amount, approval))
    row.report(reading)
    return amount or Decimal(0)


def _allocation_row(reading: Reading, row: _Cells) -> Decimal:
    """Read one allocation row into ``reading``; its amount (0 where none can be read)."""
    fund, amount = _common(reading, row, ALLOCATION)
    due = source = None
    try:
        due = _due(row.cell("due"), row.column("due"))
    except (RowProblem, ValueError) as error:
        row.failed("due", error)
    try:
        source = (reading.accounts.source(fund, row.text("source"), row.column("source"))
                  if fund else None)
    except (RowProblem, ValueError) as error:
        row.failed("source", error)
    approval = _approval(row.cell("approval"))
    if fund and source and due and amount is not None and not row.problems:
        reading.allocations.append(AllocationRow(row.place, fund, source, amount, due,
                                                 approval))
    row.report(reading)
    return amount or Decimal(0)


def _fund(books: BooksPlan, cell: Cell, column: str) -> str:
    text = parse_text(cell)
    if not text:
        raise RowProblem(column, "专项为空 / the fund is blank")
    code = books.fund_code(text)
    if code is None:
        known = "、".join(f"{fund.code}（{fund.name}）" for fund in books.model.funds.values())
        raise RowProblem(column, f"账簿中没有专项“{text}”；账簿声明的专项：{known} / no such "
                                 f"fund in the books: {text!r}")
    return code


def _amount(cell: Cell, kind: str, column: str, unit: str) -> Decimal:
    amount = scaled_amount(cell, unit)
    if amount is None:
        raise RowProblem(column, "金额为空 / the amount is blank")
    if kind == BUDGET and amount < 0:
        raise RowProblem(column, f"预算金额 {amount} 为负 / the budget {amount} is negative")
    if kind == ALLOCATION and amount <= 0:
        raise RowProblem(column, f"拨款金额 {amount} 应大于 0 / the allocation {amount} must "
                                 "be more than 0")
    return amount


def _period(cell: Cell, column: str) -> str:
    text = SPACES.sub("", parse_text(cell)).lower()
    if not text:
        return "yearly"
    period = PERIODS.get(text)
    if period is None:
        raise RowProblem(column, f"无法识别的期间“{cell.text}”，应为 年度、季度 或 月度 / unknown "
                                 f"period {cell.text!r}: 年度/季度/月度 or yearly/quarterly/"
                                 "monthly")
    return period


def _due(cell: Cell, column: str) -> datetime.date:
    if not cell.text:
        raise RowProblem(column, "到位期限为空 / the due date is blank")
    return parse_date(cell)


def _approval(cell: Cell) -> str | None:
    text = SPACES.sub(" ", parse_text(cell)).strip()
    return text or None


def check_duplicates(reading: Reading) -> None:
    """One budget row per account (a later directive replaces an earlier one, whatever its
    period), one allocation row per fund, source and due date."""
    seen: dict[str, BudgetRow] = {}
    for budget in reading.budgets:
        first = seen.setdefault(budget.account, budget)
        if first is not budget:
            reading.problems.append(budget.place.error(
                f"科目 {budget.account} 与第 {first.place.row} 行重复：同一科目只能有一行预算 / "
                f"{budget.account} repeats row {first.place.row}: one budget line per account",
                "account"))
    keys: dict[tuple[str, str, datetime.date], AllocationRow] = {}
    for allocation in reading.allocations:
        key = (allocation.fund, allocation.source, allocation.due)
        earlier = keys.setdefault(key, allocation)
        if earlier is not allocation:
            reading.problems.append(allocation.place.error(
                f"与第 {earlier.place.row} 行重复（同一专项、来源与到位期限） / repeats row "
                f"{earlier.place.row} (same fund, source and due date)", "source"))


def plan_year(reading: Reading, plan_files: Sequence[Path], books: BooksPlan,
              year: int | None) -> tuple[int, str]:
    """The plan's year and where it comes from: ``year``, else the sheets' titles, else a
    file's name, else the books' latest fund declaration."""
    if year is not None:
        return year, "--year"
    years = sorted({found for found, _ in reading.title_years})
    if len(years) > 1:
        where = "；".join(f"{where}：{found}年" for found, where in reading.title_years)
        raise PlanUsageError(", ".join(str(path) for path in plan_files),
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
