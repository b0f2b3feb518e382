"""预算执行情况: each budget line's year so far, from the same figures as ``check-funds``.

The year's budget is the line's, with the plan's semantics (the latest revision in effect); the
month's spending is the year's spending at the month's end less that at the end of the month
before; 已承诺 is what the open contracts on the line still commit at the month's end, and
可用余额 the budget less the year's spending and that. All come from
:func:`ledger.model.summary.summarize_funds`, the one computation.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from ledger.model.books import Books
from ledger.model.summary import FundSummary, execution_rate, summarize_funds
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
    committed: Decimal = Decimal(0)

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.year_spent

    @property
    def available(self) -> Decimal:
        """可用余额: the budget less the year's spending and what contracts still commit."""
        return self.budget - self.year_spent - self.committed

    @property
    def rate(self) -> Decimal | None:
        return execution_rate(self.year_spent, self.budget)


def budget_rows(books: Books, month: Month,
                month_end: list[FundSummary] | None = None) -> list[BudgetRow]:
    """The budget lines of every fund, as the month ends (``month_end``: the figures at the
    month's end, if already computed)."""
    before: dict[tuple[str, str], Decimal] = {}
    if month.month > 1:
        previous_end = month.first - datetime.timedelta(days=1)
        before = {(line.account, line.currency): line.spent
                  for summary in summarize_funds(books, month.year, previous_end)
                  for line in summary.lines}
    return [BudgetRow(summary.fund, line.account, line.period, line.currency, line.budget,
                      line.spent - before.get((line.account, line.currency), Decimal(0)),
                      line.spent, line.committed)
            for summary in (month_end if month_end is not None
                            else summarize_funds(books, month.year, month.last))
            for line in summary.lines]
