"""Per-fund figures for a year: budget, spent, remaining, and the balance of the fund's assets.

One computation, shared by ``check-funds`` and every later report. For a budget line, the year's
budget is the sum over the year's calendar periods of the cap in effect at each period's end (or
at the summary date, if earlier): a mid-year revision of a yearly line replaces its amount. A
fund's budget adds its top lines only (a line under another budgeted line is part of it).
Spent is the net of debits and refunds on the fund's Expenses accounts within the year.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ledger.model.books import Books, amount_in, weight
from ledger.model.budget import Budgets

ZERO = Decimal("0.00")


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


@dataclass
class FundSummary:
    """One fund's year, in one currency."""

    fund: str
    name: str
    currency: str
    budget: Decimal = ZERO
    spent: Decimal = ZERO
    balance: Decimal = ZERO
    lines: list[LineSummary] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent

    def to_json(self) -> dict[str, Any]:
        return {
            "fund": self.fund, "name": self.name, "currency": self.currency,
            "budget": str(self.budget), "spent": str(self.spent),
            "remaining": str(self.remaining), "balance": str(self.balance),
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
        return [datetime.date(year + (month + step > 12), (month + step - 1) % 12 + 1, 1)
                - datetime.timedelta(days=1) for month in range(1, 13, step)]
    days = [first + datetime.timedelta(days=offset) for offset in range((last - first).days + 1)]
    if period == "daily":
        return days
    return [day for day in days if day.weekday() == 6 or day == last]


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


def summarize_funds(books: Books, year: int, as_of: datetime.date) -> list[FundSummary]:
    """Each declared fund's figures for ``year`` up to ``as_of``, one pass over transactions."""
    model = books.model
    spent: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    balance: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    line_spent: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for transaction in books.transactions:
        if transaction.date > as_of:
            break
        in_year = transaction.date.year == year
        for posting in transaction.postings:
            fund = model.fund_of(posting.account)
            if fund is None:
                continue
            weighed = weight(posting)
            if weighed is None:
                continue
            number, currency = weighed
            if books.is_assets(posting.account):
                balance[fund, currency] += number
            elif in_year and books.is_expenses(posting.account):
                spent[fund, currency] += number
                for line in model.budgets.covering(posting.account):
                    line_currency = model.budgets.currency(line)
                    amount = amount_in(posting, line_currency)
                    if amount is not None:
                        line_spent[line, line_currency] += amount
    summaries = {(code, currency): FundSummary(code, fund.name, currency)
                 for code, fund in model.funds.items()
                 for currency in _currencies(code, spent, balance)}
    for (code, currency), summary in summaries.items():
        summary.spent, summary.balance = spent[code, currency], balance[code, currency]
    _add_lines(books, summaries, line_spent, year, as_of)
    return [summaries[key] for key in sorted(summaries)]


def _currencies(code: str, *totals: dict[tuple[str, str], Decimal]) -> list[str]:
    found = {currency for table in totals for fund, currency in table if fund == code}
    return sorted(found) or ["CNY"]


def _add_lines(books: Books, summaries: dict[tuple[str, str], FundSummary],
               line_spent: dict[tuple[str, str], Decimal], year: int,
               as_of: datetime.date) -> None:
    budgets = books.model.budgets
    for line, fund in _line_funds(books).items():
        figures = _line_budget(budgets, line, year, as_of)
        if figures is None:
            continue
        period, currency, budget = figures
        summary = summaries.setdefault((fund, currency), FundSummary(
            fund, books.model.funds[fund].name, currency))
        summary.lines.append(LineSummary(line, period, currency, budget,
                                         line_spent[line, currency]))
        if budgets.covering(line)[1:] == ():
            summary.budget += budget


def _line_funds(books: Books) -> dict[str, str]:
    """The fund of each budget line: its own account's, else that of an account below it."""
    model = books.model
    line_funds: dict[str, str] = {}
    for account, fund in model.account_fund.items():
        if fund in model.funds:
            for line in model.budgets.covering(account):
                line_funds.setdefault(line, fund)
    for line in model.budgets.accounts():
        own = model.fund_of(line)
        if own in model.funds:
            line_funds[line] = own
    return dict(sorted(line_funds.items()))

