"""违规列支 against the fund-use plan: 无预算列支 (unbudgeted) and 超预算 (over-budget).

Spending is a debit to an Expenses account of a fund; a credit (a refund) is never spending and
never flagged, and it lowers what its budget lines have spent in the period it is booked in.

- ``unbudgeted``: no line on the account or an ancestor is in effect at the spending date in the
  spending's currency (its units' currency, or the currency it was paid in at a price).
- ``over-budget``: each line in effect accumulates the spending on its account and sub-accounts
  per calendar period. A transaction's postings are netted per line first, so a reclassification
  within one line is no spending. The first transaction that leaves a line above its cap (the
  latest directive on or before that date) is reported, with cap, spent and excess; once per line,
  period and cap amount, so a cap revised to a new amount and exceeded again is reported again.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books
from ledger.model.budget import BudgetDirective, PeriodKey, period_key, period_name
from ledger.model.findings import Finding, finding_at
from ledger.model.flows import Flows
from ledger.model.postings import amount_in
from ledger.rules.rule import RuleCheck

LineKey = tuple[str, str, PeriodKey]


@dataclass
class _Change:
    """One transaction's net spending on one line in one period."""

    directive: BudgetDirective
    fund: str
    amount: Decimal = Decimal(0)
    account: str | None = None  # the first account the transaction spends on under the line


class _Spent:
    """Per (line, currency, period): what has been spent, and the cap last reported over."""

    def __init__(self) -> None:
        self.spent: dict[LineKey, Decimal] = defaultdict(Decimal)
        self.reported: dict[LineKey, Decimal] = {}


def _unbudgeted(transaction: data.Transaction, fund: str, account: str, number: Decimal,
                currency: str) -> Finding:
    return finding_at(
        "unbudgeted", transaction,
        f"科目 {account} 无有效预算，列支 {number} {currency} / no budget line in effect for "
        f"{account}, spent {number} {currency}",
        fund=fund, account=account, amount=number, currency=currency)


def _over_budget(transaction: data.Transaction, key: LineKey, change: _Change,
                 spent: Decimal) -> Finding:
    line, currency, period = key
    cap = change.directive.amount
    excess = spent - cap
    name = period_name(change.directive.period, period)
    return finding_at(
        "over-budget", transaction,
        f"预算科目 {line} {name}预算 {cap} {currency}，已支出 {spent} {currency}，超出 {excess} "
        f"{currency} / budget line {line} ({change.directive.period}) cap {cap} {currency}, "
        f"spent {spent} {currency}, excess {excess} {currency}",
        fund=change.fund, account=change.account, amount=excess, currency=currency,
        budget_line=line)


class Budget(RuleCheck):
    """Unbudgeted and over-budget spending."""

    def __init__(self, books: Books) -> None:
        super().__init__(books)
        self.state = _Spent()
        self.day: datetime.date | None = None
        self.in_force: dict[str, tuple[BudgetDirective, LineKey] | None] = {}

    def visit(self, transaction: data.Transaction, flows: Flows | None) -> None:
        state = self.state
        for key, change in self._changes(transaction).items():
            state.spent[key] += change.amount
            spent = state.spent[key]
            cap = change.directive.amount
            if change.amount > 0 and spent > cap and state.reported.get(key) != cap:
                state.reported[key] = cap
                self.found.append(_over_budget(transaction, key, change, spent))

    def _changes(self, transaction: data.Transaction) -> dict[LineKey, _Change]:
        """Net spending per line of one transaction; unbudgeted spending is reported."""
        changes: dict[LineKey, _Change] = {}
        books = self.books
        kinds, expenses, budgets = books.kinds, books.account_types.expenses, books.model.budgets
        for posting in transaction.postings:
            fund, root = kinds[posting.account]
            if fund is None or root != expenses or posting.units is None:
                continue
            covered = False
            for line in budgets.covering(posting.account):
                in_force = self._line_in_force(line, transaction.date)
                amount = None if in_force is None else amount_in(posting, in_force[0].currency)
                if in_force is None or amount is None:
                    continue
                covered = True
                directive, key = in_force
                change = changes.get(key)
                if change is None:
                    change = changes[key] = _Change(directive, fund)
                change.amount += amount
                if amount > 0 and change.account is None:
                    change.account = posting.account
            number = posting.units.number
            if not covered and number is not None and number > 0:
                self.found.append(_unbudgeted(transaction, fund, posting.account, number,
                                              posting.units.currency))
        return changes

    def _line_in_force(self, line: str,
                       date: datetime.date) -> tuple[BudgetDirective, LineKey] | None:
        """The line's directive on ``date`` and the period it counts in, worked out once a
        day (the transactions come in date order)."""
        if date != self.day:
            self.day = date
            self.in_force.clear()
        if line in self.in_force:
            return self.in_force[line]
        directive = self.books.model.budgets.in_effect(line, date)
        found = None if directive is None else (
            directive, (line, directive.currency, period_key(directive.period, date)))
        self.in_force[line] = found
        return found
