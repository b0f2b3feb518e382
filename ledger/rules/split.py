"""拆分支付 (split-payment): one purchase paid in pieces to stay under the threshold.

A payment out of fund F is money leaving F's Assets (they net to a credit) for costs or payables
(Expenses and Liabilities net to a debit), in the currency of the policy ``split-threshold``
(default 50000.00 CNY); its payee is the transaction's payee. Returning money to a funder or
moving it to another fund is no payment; a refund of costs into F's Assets gives back to the
payee's open group.

Consider the payments to one payee out of one fund that are each below the threshold in force on
their date and carry neither ``contract:`` (installments of one procured contract) nor
``payroll:`` (wages paid under the payroll sheet). When such a payment, with those dated at most
``split-window-days`` (default 30) before it, brings the total to the threshold or above, it is
reported, naming the earlier ones; those payments are then settled, and the next payment starts
a new group. Payments without a payee cannot be grouped and are not judged.
"""

from __future__ import annotations

import datetime
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from beancount.core import data

from ledger.model.books import Books
from ledger.model.evidence import carries_any
from ledger.model.findings import Finding, finding_at, source_of

GroupKey = tuple[str, str, str]  # fund, payee, currency
EXEMPT_KEYS = ("contract", "payroll")
ZERO = Decimal(0)


class _Payment(NamedTuple):
    transaction: data.Transaction
    date: datetime.date
    amount: Decimal  # negative for a refund


@dataclass
class _Group:
    """The open group of small payments to one payee out of one fund."""

    payments: deque[_Payment] = field(default_factory=deque)
    total: Decimal = Decimal(0)

    def add(self, payment: _Payment, window_days: int) -> None:
        """Drop the payments more than ``window_days`` before this one, then add it."""
        while self.payments and (payment.date - self.payments[0].date).days > window_days:
            self.total -= self.payments.popleft().amount
        self.payments.append(payment)
        self.total += payment.amount

    def close(self) -> None:
        self.payments.clear()
        self.total = Decimal(0)


def _payments(books: Books, transaction: data.Transaction,
              currency: str) -> list[tuple[str, Decimal]]:
    """(fund, amount) paid out of each fund's Assets for costs or payables; negative for money
    coming back into them as a refund of costs."""
    types = books.account_types
    nets = books.nets(transaction)
    spent = sum((net for (_, root, unit), net in nets.items()
                 if unit == currency and root in (types.expenses, types.liabilities)), ZERO)
    paid = []
    for (fund, root, unit), net in nets.items():
        if fund is None or root != types.assets or unit != currency or net * spent >= 0:
            continue
        amount = min(abs(net), abs(spent))
        spent -= amount if spent > 0 else -amount
        paid.append((fund, amount if net < 0 else -amount))
    return paid


def _described(payment: _Payment, currency: str) -> str:
    voucher = payment.transaction.meta.get("voucher")
    named = f" {voucher}" if voucher else ""
    refund = "退款 refund " if payment.amount < 0 else ""
    return (f"{payment.date}{named} {refund}{payment.amount} {currency}"
            f"（{source_of(payment.transaction)}）")


def _paid_account(books: Books, transaction: data.Transaction) -> str | None:
    """The first cost or payable account the transaction debits."""
    types = books.account_types
    return next((posting.account for posting in transaction.postings
                 if books.kind(posting.account)[1] in (types.expenses, types.liabilities)
                 and posting.units is not None and (posting.units.number or 0) > 0), None)


def _finding(books: Books, group: _Group, key: GroupKey, threshold: Decimal,
             window_days: int) -> Finding:
    fund, payee, currency = key
    *earlier, crossing = group.payments
    listed = "；".join(_described(payment, currency) for payment in earlier)
    count, total = len(group.payments), group.total
    return finding_at(
        "split-payment", crossing.transaction,
        f"专项 {fund} 在 {window_days} 天内向 {payee} 分 {count} 笔支付共 {total} {currency}，"
        f"每笔均低于当日拆分限额，合计达到限额 {threshold} {currency}；此前各笔：{listed} / "
        f"fund {fund} paid {payee} {total} {currency} in {count} payments within "
        f"{window_days} days, each below the threshold of its day, together at or above "
        f"{threshold} {currency}; earlier payments as listed",
        fund=fund, account=_paid_account(books, crossing.transaction), amount=total,
        currency=currency)


def _add(group: _Group, payment: _Payment, window_days: int) -> None:
    """A payment joins the group; a refund gives back at most what the group holds."""
    if payment.amount < 0:
        if group.total > 0:
            given_back = max(payment.amount, -group.total)
            group.add(payment._replace(amount=given_back), window_days)
        return
    group.add(payment, window_days)


def check(books: Books) -> list[Finding]:
    """Split payments, one pass over the transactions with one open group per fund and payee."""
    findings = []
    groups: dict[GroupKey, _Group] = {}
    policy = books.model.policy
    for transaction in books.transactions:
        payee = (transaction.payee or "").strip()
        if not payee or carries_any(transaction, EXEMPT_KEYS):
            continue
        threshold = policy.amount("split-threshold", transaction.date)
        window_days = policy.days("split-window-days", transaction.date)
        for fund, amount in _payments(books, transaction, threshold.currency):
            if amount >= threshold.number:
                continue
            key = (fund, payee, threshold.currency)
            group = groups.setdefault(key, _Group())
            _add(group, _Payment(transaction, transaction.date, amount), window_days)
            if amount > 0 and group.total >= threshold.number:
                findings.append(_finding(books, group, key, threshold.number, window_days))
                group.close()
    return findings
