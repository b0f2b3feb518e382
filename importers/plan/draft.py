"""The plan read against the books: what a first plan writes, or what a revision (调整) changes,
and the date it takes effect, never within a sealed month."""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount.core import data

from importers.errors import InputError
from importers.plan.accounts import GRANT_CODE, BooksPlan, Opening, PlanAccounts, books_plan
from importers.plan.rows import (
    AllocationRow,
    BudgetRow,
    PlanUsageError,
    Reading,
    check_duplicates,
    plan_year,
    read_sheet,
)
from importers.plan.sheets import read_plan_sheets
from importers.plan.text import plan_text
from ledger.model.budget import read_budget_directive
from ledger.model.chart import code_of
from ledger.model.funds import Allocation, FundModel
from ledger.model.seal import month_days


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


class RevisionDateError(PlanError):
    """The revision's date cannot be used for some of its lines (the books revise them on or
    after it): a usage error, nothing drafted."""


class BooksWithoutFunds(InputError):
    """The books declare no fund: no plan row can name one (the books, not the plan, are
    wrong)."""


@dataclass(frozen=True)
class BudgetChange:
    """A budget row to write: new, or revising the books' line (``previous``)."""

    row: BudgetRow
    previous: Decimal | None = None


@dataclass(frozen=True)
class AllocationChange:
    """An allocation to write: the whole row, or what it adds to the books' (``booked``)."""

    row: AllocationRow
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
    opened: tuple[Opening, ...]
    unchanged: int  # rows the books already hold as the sheet gives them
    left_alone: tuple[str, ...]  # the books' lines of the year the sheet does not name
    currency: str
    sealed_until: str | None = None  # the last sealed month before ``date`` of a first plan
    near: tuple[tuple[str, str], ...] = ()  # a new account, an existing one a character away
    skipped: tuple[str, ...] = ()  # a workbook's sheets that are neither budget nor allocations
    converted: tuple[str, ...] = ()  # the sheets whose amounts were in 万元, converted to 元
    outside_grants: tuple[str, ...] = ()  # sources outside 4401 政府补助收入, to be checked
    text: str = ""  # empty when there is nothing to write

    @property
    def revisions(self) -> int:
        """The books' lines and allocations this plan changes."""
        return (sum(1 for change in self.budget_changes if change.previous is not None)
                + sum(1 for change in self.allocation_changes if change.booked))

    @property
    def changes(self) -> bool:
        return bool(self.budget_changes or self.allocation_changes)


def draft_plan(plan_files: Sequence[Path], entries: data.Directives,
               options_map: dict[str, Any], model: FundModel, *, year: int | None = None,
               revision_date: datetime.date | None = None,
               today: datetime.date | None = None,
               source_names: Sequence[str] | None = None) -> PlanDraft:
    """The plan in ``plan_files`` (xlsx, or CSV files named 预算 / 拨款) drafted against the
    loaded books (``model``: their fund model). ``year`` defaults to the year in a sheet's
    title, else in a file's name, else the year of the books' latest ``custom "fund"``. A
    revision (books already holding a plan for the year) takes effect on ``revision_date``,
    by default ``today`` when it falls within the year. Raises :class:`PlanError` (an
    ``InputError``) listing every row that cannot be taken, :class:`PlanUsageError` for a
    plan that cannot be drafted as asked, :class:`BooksWithoutFunds`, or an ``InputError``
    for a file that cannot be read."""
    today = today or datetime.date.today()
    books = books_plan(entries, options_map, model)
    if not books.model.funds:
        raise BooksWithoutFunds(str(options_map.get("filename", "")),
                                "账簿没有声明任何专项（custom \"fund\"），无法对应计划中的专项 / "
                                "the books declare no fund: no plan row can name one")
    reading = Reading(PlanAccounts(books))
    for path in plan_files:
        try:
            sheets = read_plan_sheets([path])
        except InputError as problem:
            reading.problems.append(problem)
            continue
        for sheet in sheets:
            read_sheet(reading, sheet)
    check_duplicates(reading)
    if not reading.problems and not reading.budgets and not reading.allocations:
        raise InputError(", ".join(str(path) for path in plan_files),
                         "计划中没有预算或拨款行 / the plan has no budget or allocation row")
    found_year, year_from = plan_year(reading, plan_files, books, year)
    if reading.problems:
        raise PlanError(reading.problems)
    draft = _against_books(reading, entries, found_year, year_from, revision_date, today)
    if not draft.changes:
        return draft
    return dataclasses.replace(draft, text=plan_text(
        draft, source_names or [path.name for path in plan_files], today))


@dataclass(frozen=True)
class _Line:
    """A budget line the books hold for the plan's year."""

    amount: Decimal
    period: str
    date: datetime.date
    place: str


@dataclass
class _Diff:
    budgets: list[BudgetChange] = field(default_factory=list)
    allocations: list[AllocationChange] = field(default_factory=list)
    unchanged: int = 0


def _against_books(reading: Reading, entries: data.Directives, year: int, year_from: str,
                   revision_date: datetime.date | None, today: datetime.date) -> PlanDraft:
    books = reading.books
    lines = _year_lines(entries, books, year) if reading.budgets else {}
    allocations = ([allocation for allocation in books.model.allocations
                    if year in (allocation.date.year, allocation.due.year)]
                   if reading.allocations else [])
    first = not lines and not any(allocation.date.year == year for allocation in allocations)
    diff = _diff(reading, lines, allocations)
    date, sealed_until = _first_date(reading, year)
    if not first and (diff.budgets or diff.allocations):
        date, sealed_until = _revision_date(reading, year, revision_date, today), None
        _check_after(lines, diff, date)
    _check_dues(reading, diff, datetime.date(year, 1, 1) if first else date, first=first)
    if reading.problems:
        raise PlanError(reading.problems)
    used = {change.row.account for change in diff.budgets}
    used |= {change.row.source for change in diff.allocations}
    opened = tuple(opening for account, opening in reading.accounts.to_open.items()
                   if account in used)
    near = tuple((account, close) for account, close in reading.accounts.near.items()
                 if account in used)
    outside = tuple(sorted({row.source for row in reading.allocations
                            if code_of(row.source) not in (None, GRANT_CODE)}))
    return PlanDraft(year, year_from, first, date, tuple(reading.budgets),
                     tuple(reading.allocations), tuple(diff.budgets), tuple(diff.allocations),
                     opened, diff.unchanged, tuple(_left_alone(reading, lines, allocations)),
                     books.currency, sealed_until if first else None, near,
                     tuple(reading.skipped), tuple(reading.converted), outside)


def _left_alone(reading: Reading, lines: dict[str, _Line],
                allocations: list[Allocation]) -> list[str]:
    """The books' lines and allocations of the year that the sheet does not name (of the
    kinds it gives: an allocation file alone leaves the budget lines out of this)."""
    named = {budget.account for budget in reading.budgets}
    keys = {(row.fund, row.source) for row in reading.allocations}
    left = [f"预算 / budget {account}" for account in sorted(lines) if account not in named]
    return left + [f"拨款 / allocation {item.fund} {item.amount:,.2f} {item.currency}（"
                   f"{reading.books.place_of(item.entry)}）"
                   for item in allocations if (item.fund, item.source) not in keys]


def _year_lines(entries: data.Directives, books: BooksPlan, year: int) -> dict[str, _Line]:
    """Each account's budget line in the books dated within ``year``: the latest directive's
    amount, period, date and place."""
    lines = {}
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == "budget" and entry.date.year == year:
            line = read_budget_directive(entry, tuple(books.roots))
            if not isinstance(line, str):
                lines[line.account] = _Line(line.amount, line.period, line.date,
                                            books.place_of(entry))
    return lines


def _diff(reading: Reading, lines: dict[str, _Line], allocations: list[Allocation]) -> _Diff:
    """What the sheet changes: budget lines new or of another amount or period; allocations
    new or raised (matched by fund and source)."""
    diff = _Diff()
    for budget in reading.budgets:
        held = lines.get(budget.account)
        if held is not None and (held.amount, held.period) == (budget.amount, budget.period):
            diff.unchanged += 1
        else:
            diff.budgets.append(BudgetChange(budget, None if held is None else held.amount))
    booked: dict[tuple[str, str | None], list[Allocation]] = defaultdict(list)
    for item in allocations:
        booked[(item.fund, item.source)].append(item)
    given: dict[tuple[str, str], list[AllocationRow]] = defaultdict(list)
    for row in reading.allocations:
        given[(row.fund, row.source)].append(row)
    for key, rows in given.items():
        _funder_diff(reading, diff, rows, list(booked.get(key, [])))
    return diff


def _funder_diff(reading: Reading, diff: _Diff, rows: list[AllocationRow],
                 booked: list[Allocation]) -> None:
    """One fund's rows from one funder against the books' allocations of the two: a row the
    books hold as it is (amount and due) is unchanged; of the rest, the sheet's total must not
    be lower than the books', an equal total must keep the books' due dates, and a higher one
    is new rows (nothing booked) or the difference as a top-up due on the row's date (one
    row). Anything else is a problem: it must be changed by hand."""
    left = []
    for row in rows:
        same = next((item for item in booked if (item.due, item.amount) == (row.due, row.amount)),
                    None)
        if same is None:
            left.append(row)
        else:
            booked.remove(same)
            diff.unchanged += 1
    given = sum((row.amount for row in left), Decimal(0))
    held = sum((item.amount for item in booked), Decimal(0))
    books = reading.books
    if given < held:
        total = sum((row.amount for row in rows), Decimal(0))
        was = held + total - given
        where = "、".join(books.place_of(item.entry) for item in booked)
        reading.problems.append(rows[-1].place.error(
            f"拨款 {total:,.2f} 少于账簿中已有的 {was:,.2f}（{where}）：减少拨款不会自动写入，"
            f"请手工修改账簿中的拨款 / the allocation {total:,.2f} is less than the books' "
            f"{was:,.2f} ({where}): change the books' allocation by hand", "amount"))
    elif given == held and left:
        if all(row.due in {item.due for item in booked} for row in left):
            diff.unchanged += len(left)
        else:
            reading.problems.append(_moved(books, left[0], booked))
    elif given > held and not booked:
        diff.allocations += [AllocationChange(row, row.amount) for row in left]
    elif given > held and len(left) == 1:
        diff.allocations.append(AllocationChange(left[0], given - held, held))
    elif given > held:
        where = "、".join(books.place_of(item.entry) for item in booked)
        reading.problems.append(left[0].place.error(
            f"该专项、该来源有多行拨款与账簿（{where}）不符，无法确定追加的是哪一笔：请手工修改账簿中"
            f"的拨款 / several rows of this fund and source differ from the books' allocations "
            f"({where}): change them by hand", "amount"))


def _moved(books: BooksPlan, row: AllocationRow, held: list[Allocation]) -> InputError:
    """A row of a fund and funder the books hold as much for, due on another date."""
    where = "、".join(f"{books.place_of(item.entry)}，到位期限 {item.due}" for item in held)
    return row.place.error(
        f"到位期限 {row.due} 与账簿中该专项、该来源的拨款不同（{where}）：更改到位期限不会自动"
        f"写入（否则拨款会记两次），请手工修改账簿中的拨款 / the due date {row.due} differs from "
        f"the books' allocation of this fund and source ({where}): change the books' "
        "allocation by hand", "due")


def _check_dues(reading: Reading, diff: _Diff, date: datetime.date, *, first: bool) -> None:
    """An allocation falls due within the plan's year: a first plan's on or after its first day
    (``date``); in a revision, a new allocation and a top-up after the revision's ``date``."""
    for change in diff.allocations:
        row = change.row
        if first and row.due < date:
            reading.problems.append(row.place.error(
                f"到位期限 {row.due} 早于计划年度的第一天 {date} / the due date {row.due} is "
                f"before the plan's first day {date}", "due"))
        elif row.due.year != date.year:
            reading.problems.append(row.place.error(
                f"到位期限 {row.due} 不在计划年度 {date.year} 年内（年份是否写错？） / "
                f"the due date {row.due} is outside the plan's year {date.year} (a typo in the "
                "year?)", "due"))
        elif not first and row.due <= date and change.booked:
            reading.problems.append(row.place.error(
                f"追加部分的到位期限须晚于调整日期 {date}：本行到位期限 {row.due} 是原拨款的日期，"
                f"请在计划表中写明追加 {change.amount:,.2f} 的到位期限 / the top-up of "
                f"{change.amount:,.2f} must fall due after the revision date {date}: give its "
                "due date in the sheet", "due"))
        elif not first and row.due <= date:
            reading.problems.append(row.place.error(
                f"新增拨款的到位期限 {row.due} 须晚于调整日期 {date} / a new allocation must fall "
                f"due after the revision date {date}", "due"))


def _sealed_months(reading: Reading, year: int) -> list[str]:
    return sorted(seal.month for seal in reading.books.model.seals
                  if seal.month.startswith(f"{year}-"))


def _first_date(reading: Reading, year: int) -> tuple[datetime.date, str | None]:
    """A first plan's date: 1 January, or the day after the year's last sealed month (and
    that month)."""
    sealed = _sealed_months(reading, year)
    if not sealed:
        return datetime.date(year, 1, 1), None
    after = month_days(sealed[-1])[1] + datetime.timedelta(days=1)
    if after.year != year:
        raise PlanUsageError(_where(reading), f"{year} 年各月已封账至 {sealed[-1]}，计划无法生效"
                                              f" / {year} is sealed to {sealed[-1]}: the plan "
                                              "cannot take effect")
    return after, sealed[-1]


def _where(reading: Reading) -> str:
    return ", ".join(sorted({budget.place.where for budget in reading.budgets}
                            | {row.place.where for row in reading.allocations}))


def _revision_date(reading: Reading, year: int, given: datetime.date | None,
                   today: datetime.date) -> datetime.date:
    if given is None:
        if today.year != year:
            raise PlanUsageError(_where(reading), f"账簿已有 {year} 年度的资金使用计划，这是一次"
                                                  "调整：请用 --date 指明调整生效日期 / the books "
                                                  f"already hold the {year} plan: give the "
                                                  "revision's date with --date")
        given = today
    if given.year != year:
        raise PlanUsageError(_where(reading), f"调整日期 {given} 不在计划年度 {year} 年内 / the "
                                              f"revision date {given} is not in {year}")
    sealed = [month for month in _sealed_months(reading, year)
              if month_days(month)[1] >= given]
    if sealed:
        raise PlanUsageError(_where(reading), f"调整日期 {given} 在已封账月份 {sealed[-1]} 之内或"
                                              f"之前，请用 --date 给出 {sealed[-1]} 之后的日期 / "
                                              f"the revision date {given} falls in or before "
                                              f"the sealed month {sealed[-1]}: give a later "
                                              "--date")
    return given


def _check_after(lines: dict[str, _Line], diff: _Diff, date: datetime.date) -> None:
    """A revision must come after the line it revises, or it would never take effect: a
    revision dated on or before one in the books is a problem of its date."""
    problems = []
    for change in diff.budgets:
        held = lines.get(change.row.account)
        if held is not None and held.date >= date:
            problems.append(change.row.place.error(
                f"账簿中该科目的预算已于 {held.date} 调整（{held.place}），调整日期 {date} 不晚于"
                f"它，本次调整不会生效：请用 --date 给出 {held.date} 之后的日期，或手工修改该行 / "
                f"the books revise this line on {held.date} ({held.place}): give a --date after "
                "it",
                "amount"))
    if problems:
        raise RevisionDateError(problems)
