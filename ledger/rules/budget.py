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

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books
from ledger.model.budget import BudgetDirective, PeriodKey, period_key, period_name
from ledger.model.findings import Finding, finding_at
from ledger.model.postings import amount_in

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


def _changes(books: Books, transaction: data.Transaction,
             findings: list[Finding]) -> dict[LineKey, _Change]:
    """Net spending per line of one transaction; unbudgeted spending goes to ``findings``."""
    changes: dict[LineKey, _Change] = {}
    for posting in transaction.postings:
        fund, root = books.kind(posting.account)
        if fund is None or root != books.account_types.expenses or posting.units is None:
            continue
        covered = False
        for line in books.model.budgets.covering(posting.account):
            directive = books.model.budgets.in_effect(line, transaction.date)
            amount = None if directive is None else amount_in(posting, directive.currency)
            if directive is None or amount is None:
                continue
            covered = True
            key = (line, directive.currency, period_key(directive.period, transaction.date))
            change = changes.setdefault(key, _Change(directive, fund))
            change.amount += amount
            if amount > 0 and change.account is None:
                change.account = posting.account
        number = posting.units.number
        if not covered and number is not None and number > 0:
            findings.append(_unbudgeted(transaction, fund, posting.account, number,
                                        posting.units.currency))
    return changes


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


def check(books: Books) -> list[Finding]:
    """Unbudgeted and over-budget spending, one pass over the transactions."""
    state = _Spent()
    findings: list[Finding] = []
    for transaction in books.transactions:
        for key, change in _changes(books, transaction, findings).items():
            state.spent[key] += change.amount
            spent = state.spent[key]
            cap = change.directive.amount
            if change.amount > 0 and spent > cap and state.reported.get(key) != cap:
                state.reported[key] = cap
                findings.append(_over_budget(transaction, key, change, spent))
    return findings
