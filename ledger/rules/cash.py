"""超限提现 (cash-withdrawal): more cash drawn out of a fund in one go than the cash limit.

A cash account is an Assets account with a ``Cash`` name component, or one whose ``open``
carries ``kind: "cash"``. Within one transaction, what a fund's other Assets accounts (its bank
accounts) pay, beyond the transaction's other debits (costs, payables, other accounts), and what
cash accounts receive, is withdrawn in cash. When that exceeds the policy ``cash-limit`` in
effect on the date (default 1000.00 CNY, the cash settlement threshold), the transaction is
reported, once per fund. Only withdrawals in the limit's currency are judged. Money paid back
from cash into the bank, cash moved between cash accounts, and income received in cash while the
bank pays a bill in the same voucher, are no withdrawal.
"""

from __future__ import annotations

from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books
from ledger.model.findings import Finding, finding_at
from ledger.model.postings import weight

ZERO = Decimal(0)


def _withdrawals(books: Books, transaction: data.Transaction,
                 currency: str) -> list[tuple[str, str, Decimal]]:
    """(fund, cash account, amount) drawn in cash out of each fund's non-cash Assets."""
    paid: dict[str, Decimal] = {}
    into_cash = other_debits = ZERO
    cash_account = ""
    for posting in transaction.postings:
        weighed = weight(posting)
        if weighed is None or weighed[1] != currency:
            continue
        number = weighed[0]
        if books.is_cash(posting.account):
            if number > 0:
                into_cash += number
                cash_account = cash_account or posting.account
        elif number > 0:
            other_debits += number
        elif books.is_assets(posting.account) and (fund := books.kind(posting.account)[0]):
            paid[fund] = paid.get(fund, ZERO) - number
    withdrawals = []
    for fund, amount in paid.items():
        for_other_debits = min(amount, other_debits)
        other_debits -= for_other_debits
        drawn = min(amount - for_other_debits, into_cash)
        into_cash -= drawn
        if drawn > 0:
            withdrawals.append((fund, cash_account, drawn))
    return withdrawals


def check(books: Books) -> list[Finding]:
    """Cash withdrawals above the limit, one pass over the transactions."""
    findings = []
    policy = books.model.policy
    for transaction in books.transactions:
        if not any(books.is_cash(posting.account) for posting in transaction.postings):
            continue
        limit = policy.amount("cash-limit", transaction.date)
        currency = limit.currency
        for fund, account, drawn in _withdrawals(books, transaction, currency):
            if drawn > limit.number:
                findings.append(finding_at(
                    "cash-withdrawal", transaction,
                    f"一次从专项 {fund} 提取现金 {drawn} {currency} 至 {account}，超过现金限额 "
                    f"{limit.number} {currency} / {drawn} {currency} of fund {fund} drawn in "
                    f"cash to {account} at once, above the cash limit {limit.number} {currency}",
                    fund=fund, account=account, amount=drawn, currency=currency))
    return findings
