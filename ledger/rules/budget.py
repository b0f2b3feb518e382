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
from ledger.model.budget import (
    BudgetDirective,
    PeriodKey,
    period_end,
    period_key,
    period_name,
)
from ledger.model.findings import Finding, finding_at
from ledger.model.postings import Leg
from ledger.model.voucher import Voucher
from ledger.rules.rule import RuleCheck

LineKey = tuple[str, str, PeriodKey]


@dataclass(slots=True)
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


InForce = tuple[BudgetDirective, LineKey]  # a line's directive on a day, and its period's key


class Budget(RuleCheck):
    """Unbudgeted and over-budget spending."""

    def __init__(self, books: Books) -> None:
        super().__init__(books)
        self.state = _Spent()
        self.in_force: dict[str, tuple[list[InForce], datetime.date]] = {}

    def visit(self, voucher: Voucher) -> None:
        expenses = self.books.account_types.expenses
        changes: dict[LineKey, _Change] = {}
        for leg in voucher.legs:
            if leg[2] is not None and leg[3] == expenses:  # a fund's costs
                self._charge(changes, voucher.transaction, leg)
        state = self.state
        for key, change in changes.items():
            spent = state.spent[key] = state.spent[key] + change.amount
            cap = change.directive.amount
            if change.amount > 0 and spent > cap and state.reported.get(key) != cap:
                state.reported[key] = cap
                self.found.append(_over_budget(voucher.transaction, key, change, spent))

    def _charge(self, changes: dict[LineKey, _Change], transaction: data.Transaction,
                leg: Leg) -> None:
        """Add a leg on a fund's costs to the net spending per line; report it as unbudgeted
        when no line in force covers it."""
        posting, account, fund, _, number, currency = leg
        units = posting.units
        if units is None or fund is None:
            return
        covered = False
        for directive, key in self._lines_in_force(account, transaction.date):
            in_currency = directive.currency  # the units if they are in it, else the weight
            amount = (units.number if units.currency == in_currency
                      else number if currency == in_currency else None)
            if amount is None:
                continue
            covered = True
            change = changes.get(key)
            if change is None:
                change = changes[key] = _Change(directive, fund)
            change.amount += amount
            if amount > 0 and change.account is None:
                change.account = account
        if not covered and units.number is not None and units.number > 0:
            self.found.append(_unbudgeted(transaction, fund, account, units.number,
                                          units.currency))

    def _lines_in_force(self, account: str, date: datetime.date) -> list[InForce]:
        """The lines covering the account that are in force on ``date``, with the period they
        count in. Worked out again only when a period ends or a line's directive changes (the
        transactions come in date order)."""
        known = self.in_force.get(account)
        if known is None or date >= known[1]:
            known = self.in_force[account] = self._work_out(account, date)
        return known[0]

    def _work_out(self, account: str, date: datetime.date) -> tuple[list[InForce], datetime.date]:
        """The lines in force, and the first day they may not be."""
        budgets = self.books.model.budgets
        lines: list[InForce] = []
        until = datetime.date.max
        for line in budgets.covering(account):
            directive = budgets.in_effect(line, date)
            if directive is not None:
                lines.append((directive, (line, directive.currency,
                                          period_key(directive.period, date))))
                until = min(until, period_end(directive.period, date))
            until = min(until, budgets.next_change(line, date) or until)
        return lines, until
