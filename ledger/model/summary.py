"""Per-fund figures for a year: budget, spent, remaining, and the balance of the fund's assets.

One computation, shared by ``check-funds`` and every later report. For a budget line, the year's
budget is the sum over the year's calendar periods of the cap in effect at each period's end (or
at the summary date, if earlier): a mid-year revision of a yearly line replaces its amount. A
fund's budget adds its top lines only (a line under another budgeted line is part of it).
Spent is the net of debits and refunds on the fund's Expenses accounts within the year; balance
is what the fund's Assets hold at the summary date, and owed what its Liabilities still owe.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Any

from beancount.core import data

from ledger.model.books import Books
from ledger.model.budget import Budgets
from ledger.model.postings import amount_in, weight

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def execution_rate(spent: Decimal, budget: Decimal) -> Decimal | None:
    """执行率: spent as a percentage of the budget, to two decimals; None without a budget."""
    if budget == 0:
        return None
    rate = spent / budget * HUNDRED
    with localcontext() as context:  # room for every digit of a rate of absurd books
        context.prec = max(context.prec, rate.adjusted() + 3)
        return rate.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class LineSummary:
    """One budget line's year."""

    account: str
    period: str
    currency: str
    budget: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent

    @property
    def over(self) -> bool:
        return self.spent > self.budget

    @property
    def rate(self) -> Decimal | None:
        return execution_rate(self.spent, self.budget)


@dataclass
class FundSummary:
    """One fund's year, in one currency."""

    fund: str
    name: str
    currency: str
    budget: Decimal = ZERO
    spent: Decimal = ZERO
    balance: Decimal = ZERO
    owed: Decimal = ZERO  # the fund's Liabilities: withholdings and bills not yet paid
    lines: list[LineSummary] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent

    @property
    def rate(self) -> Decimal | None:
        return execution_rate(self.spent, self.budget)

    def to_json(self) -> dict[str, Any]:
        return {
            "fund": self.fund, "name": self.name, "currency": self.currency,
            "budget": str(self.budget), "spent": str(self.spent),
            "remaining": str(self.remaining), "balance": str(self.balance),
            "owed": str(self.owed),
            "lines": [{"account": line.account, "period": line.period,
                       "budget": str(line.budget), "spent": str(line.spent),
                       "remaining": str(line.remaining), "over": line.over}
                      for line in self.lines],
        }


def _period_ends(period: str, year: int) -> list[datetime.date]:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if period == "yearly":
        return [last]
    if period in ("quarterly", "monthly"):
        step = 3 if period == "quarterly" else 1
        return [datetime.date(year, month + step - 1,
                              calendar.monthrange(year, month + step - 1)[1])
                for month in range(1, 13, step)]
    if period == "daily":
        return [first + datetime.timedelta(days=offset)
                for offset in range((last - first).days + 1)]
    return _iso_week_ends(year)


def _iso_week_ends(year: int) -> list[datetime.date]:
    """The Sundays that end the ISO weeks of ``year`` (52 or 53 of them; the last week of
    9999 ends on the calendar's last day, a Friday)."""
    weeks = datetime.date(year, 12, 28).isocalendar().week  # the 28th is in the year's last
    return [min(_sunday_of(year, week), datetime.date.max) for week in range(1, weeks + 1)]


def _sunday_of(year: int, week: int) -> datetime.date:
    monday = datetime.date.fromisocalendar(year, week, 1)
    return monday + datetime.timedelta(days=min(6, (datetime.date.max - monday).days))


def _line_budget(budgets: Budgets, line: str, year: int,
                 as_of: datetime.date) -> tuple[str, str, Decimal] | None:
    latest = budgets.in_effect(line, min(datetime.date(year, 12, 31), as_of))
    if latest is None:
        return None
    total = ZERO
    for end in _period_ends(latest.period, year):
        directive = budgets.in_effect(line, min(end, as_of))
        if directive is not None and directive.currency == latest.currency:
            total += directive.amount
    return latest.period, latest.currency, total


class _Totals:
    """What one pass over the transactions adds up, per (fund or line, currency)."""

    def __init__(self) -> None:
        self.spent: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
        self.balance: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
        self.owed: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
        self.line_spent: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)

    def add(self, books: Books, transaction: data.Transaction, in_year: bool) -> None:
        """Balances in the units held; spending at its weight, and on each budget line in
        effect on the transaction's date in that line's currency, as the budget rules count it."""
        roots, kinds = books.account_types, books.kinds
        for posting in transaction.postings:
            fund, root = kinds[posting.account]
            units = posting.units
            if fund is None or units is None or units.number is None:
                continue
            if root == roots.assets:
                self.balance[fund, units.currency] += units.number
            elif root == roots.liabilities:
                self.owed[fund, units.currency] -= units.number
            elif in_year and root == roots.expenses:
                weighed = weight(posting)
                if weighed is not None:
                    self.spent[fund, weighed[1]] += weighed[0]
                self._add_to_lines(books, posting, transaction.date)

    def _add_to_lines(self, books: Books, posting: data.Posting, date: datetime.date) -> None:
        for line in books.model.budgets.covering(posting.account):
            directive = books.model.budgets.in_effect(line, date)
            amount = None if directive is None else amount_in(posting, directive.currency)
            if directive is not None and amount is not None:
                self.line_spent[line, directive.currency] += amount

    def currencies(self, fund: str) -> list[str]:
        found = {currency for table in (self.spent, self.balance, self.owed)
                 for code, currency in table if code == fund}
        return sorted(found) or ["CNY"]


def _totals(books: Books, year: int, as_of: datetime.date) -> _Totals:
    totals = _Totals()
    for transaction in books.transactions:
        if transaction.date > as_of:
            break
        totals.add(books, transaction, transaction.date.year == year)
    return totals


def summarize_funds(books: Books, year: int, as_of: datetime.date) -> list[FundSummary]:
    """The figures of each fund declared by ``as_of``, for ``year`` up to ``as_of``."""
    totals = _totals(books, year, as_of)
    summaries = {}
    for code, fund in books.model.funds.items():
        if fund.declared > as_of:
            continue
        for currency in totals.currencies(code):
            key = (code, currency)
            summaries[key] = FundSummary(code, fund.name, currency, spent=totals.spent[key],
                                         balance=totals.balance[key], owed=totals.owed[key])
    _add_lines(books, summaries, totals.line_spent, year, as_of)
    return [summaries[key] for key in sorted(summaries)]


def figures_date(books: Books, until: datetime.date | None) -> datetime.date:
    """The date the figures are as of: ``until`` if given, else the last transaction's. Books
    with no transaction yet (a new centre's) are as of their latest fund declaration, budget
    line or allocation not after today, so their figures are the plan of the year they start,
    revisions included."""
    known = until or books.last_transaction_date
    if known is not None:
        return known
    today = datetime.date.today()
    model = books.model
    planned = [date for date in (*(fund.declared for fund in model.funds.values()),
                                 *(allocation.date for allocation in model.allocations),
                                 *model.budgets.dates())
               if date <= today]
    return max(planned, default=today)


def fund_figures(books: Books, until: datetime.date | None,
                 funds: tuple[str, ...] = ()) -> list[FundSummary]:
    """The figures ``check-funds`` and the Fava page show: each fund's (or only those of
    ``funds``) year to :func:`figures_date`."""
    as_of = figures_date(books, until)
    return [summary for summary in summarize_funds(books, as_of.year, as_of)
            if not funds or summary.fund in funds]


def _add_lines(books: Books, summaries: dict[tuple[str, str], FundSummary],
               line_spent: dict[tuple[str, str], Decimal], year: int,
               as_of: datetime.date) -> None:
    budgets = books.model.budgets
    line_funds = _line_funds(books)
    for line, fund in line_funds.items():
        figures = _line_budget(budgets, line, year, as_of)
        if figures is None:
            continue
        period, currency, budget = figures
        summary = summaries.get((fund, currency))
        if summary is None:
            if books.model.funds[fund].declared > as_of:
                continue
            summary = summaries[fund, currency] = FundSummary(
                fund, books.model.funds[fund].name, currency)
        summary.lines.append(LineSummary(line, period, currency, budget,
                                         line_spent[line, currency]))
        if not any(line_funds.get(parent) == fund for parent in budgets.covering(line)[1:]):
            summary.budget += budget


def _line_funds(books: Books) -> dict[str, str]:
    """The fund of each budget line: its own account's, else the one fund of the accounts
    below it. A line over accounts of several funds belongs to none of them."""
    model = books.model
    below: dict[str, set[str]] = defaultdict(set)
    for account, fund in model.account_fund.items():
        if fund in model.funds:
            for line in model.budgets.covering(account):
                below[line].add(fund)
    line_funds: dict[str, str] = {}
    for line in model.budgets.accounts():
        own = model.fund_of(line)
        if own in model.funds:
            line_funds[line] = own
        elif len(below[line]) == 1:
            line_funds[line] = next(iter(below[line]))
    return line_funds
