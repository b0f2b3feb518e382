"""预算执行情况: each budget line's year so far, from the same figures as ``check-funds``.

The year's budget is the line's, with the plan's semantics (the latest revision in effect); the
month's spending is the year's spending at the month's end less that at the end of the month
before. Both come from :func:`ledger.model.summary.summarize_funds`, the one computation.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from ledger.model.books import Books
from ledger.model.summary import execution_rate, summarize_funds
from reports.month import Month


@dataclass(frozen=True)
class BudgetRow:
    """One budget line of one fund at the month's end."""

    fund: str
    account: str
    period: str
    currency: str
    budget: Decimal
    month_spent: Decimal
    year_spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.year_spent

    @property
    def rate(self) -> Decimal | None:
        return execution_rate(self.year_spent, self.budget)


def budget_rows(books: Books, month: Month) -> list[BudgetRow]:
    """The budget lines of every fund, as the month ends."""
    before: dict[tuple[str, str], Decimal] = {}
    if month.month > 1:
        previous_end = month.first - datetime.timedelta(days=1)
        before = {(line.account, line.currency): line.spent
                  for summary in summarize_funds(books, month.year, previous_end)
                  for line in summary.lines}
    return [BudgetRow(summary.fund, line.account, line.period, line.currency, line.budget,
                      line.spent - before.get((line.account, line.currency), Decimal(0)),
                      line.spent)
            for summary in summarize_funds(books, month.year, month.last)
            for line in summary.lines]
