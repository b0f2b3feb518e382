"""违规列支 against the fund-use plan: 无预算列支 (unbudgeted) and 超预算 (over-budget).

Spending is a debit to an Expenses account of a fund; a credit (a refund) is never spending and
never flagged, and it lowers what its budget lines have spent in that period.

- ``unbudgeted``: no line on the account or an ancestor, in the spending's currency, is in
  effect at the spending date.
- ``over-budget``: each line in effect accumulates the spending on its account and sub-accounts
  per calendar period; the first spending that leaves the line above its cap (the latest
  directive on or before that date) is reported once for that period, with cap, spent and excess.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books, weight
from ledger.model.budget import PeriodKey, period_key, period_name
from ledger.model.findings import Finding, finding_at

LineKey = tuple[str, str, PeriodKey]


class _Ledger:
    """Per (line, currency, period): what has been spent, and which were reported over."""

    def __init__(self) -> None:
        self.spent: dict[LineKey, Decimal] = defaultdict(Decimal)
        self.reported: set[LineKey] = set()


def _posting_findings(books: Books, transaction: data.Transaction, posting: data.Posting,
                      fund: str, state: _Ledger) -> list[Finding]:
    weighed = weight(posting)
    if weighed is None:
        return []
    number, currency = weighed
    budgets = books.model.budgets
    covered = False
    findings = []
    for line in budgets.covering(posting.account):
        directive = budgets.in_effect(line, transaction.date)
        if directive is None or directive.currency != currency:
            continue
        covered = True
        period = period_key(directive.period, transaction.date)
        key = (line, currency, period)
        state.spent[key] += number
        spent = state.spent[key]
        if number > 0 and spent > directive.amount and key not in state.reported:
            state.reported.add(key)
            excess = spent - directive.amount
            name = period_name(directive.period, period)
            findings.append(finding_at(
                "over-budget", transaction,
                f"预算科目 {line} {name}预算 {directive.amount} "
                f"{currency}，已支出 {spent} {currency}，超出 {excess} {currency} / budget line "
                f"{line} ({directive.period}) cap {directive.amount} {currency}, spent {spent} "
                f"{currency}, excess {excess} {currency}",
                fund=fund, account=posting.account, amount=excess, currency=currency))
    if not covered and number > 0:
        findings.append(finding_at(
            "unbudgeted", transaction,
            f"科目 {posting.account} 无有效预算，列支 {number} {currency} / no budget line in "
            f"effect for {posting.account}, spent {number} {currency}",
            fund=fund, account=posting.account, amount=number, currency=currency))
    return findings


def check(books: Books) -> list[Finding]:
    """Unbudgeted and over-budget spending, one pass over the transactions."""
    state = _Ledger()
    findings: list[Finding] = []
    for transaction in books.transactions:
        for posting in transaction.postings:
            fund = books.model.fund_of(posting.account)
            if fund is not None and books.is_expenses(posting.account):
                findings.extend(_posting_findings(books, transaction, posting, fund, state))
    return findings
