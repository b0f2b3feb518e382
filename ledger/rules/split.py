"""拆分支付 (split-payment): one purchase paid in pieces to stay under the threshold.

A payment out of fund F is a transaction whose postings on F's Assets accounts net to a credit,
in the currency of the policy ``split-threshold`` (default 50000.00 CNY); its payee is the
transaction's payee. Consider the payments to one payee out of one fund that are each below the
threshold and carry no ``contract:``. When such a payment, with those dated at most
``split-window-days`` (default 30) before it, brings the total to the threshold or above, it is
reported, naming the earlier ones; those payments are then settled, and the next payment starts
a new group.

Quiet: installments under a contract (``contract:``), a single payment at or above the threshold
(not a split), payments without a payee, and refunds.
"""

from __future__ import annotations

import datetime
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books
from ledger.model.evidence import carries_any
from ledger.model.findings import Finding, finding_at, source_of

GroupKey = tuple[str, str, str]  # fund, payee, currency


@dataclass(frozen=True)
class _Payment:
    transaction: data.Transaction
    date: datetime.date
    amount: Decimal


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


def _payments_out(books: Books, transaction: data.Transaction,
                  currency: str) -> list[tuple[str, Decimal]]:
    """(fund, amount) for each fund whose Assets the transaction nets a credit to."""
    assets = books.account_types.assets
    return [(fund, -net) for (fund, root, unit), net in books.nets(transaction).items()
            if fund is not None and root == assets and unit == currency and net < 0]


def _described(payment: _Payment, currency: str) -> str:
    voucher = payment.transaction.meta.get("voucher")
    named = f" {voucher}" if voucher else ""
    return f"{payment.date}{named} {payment.amount} {currency}（{source_of(payment.transaction)}）"


def _finding(group: _Group, key: GroupKey, threshold: Decimal, window_days: int) -> Finding:
    fund, payee, currency = key
    *earlier, crossing = group.payments
    listed = "；".join(_described(payment, currency) for payment in earlier)
    count, total = len(group.payments), group.total
    return finding_at(
        "split-payment", crossing.transaction,
        f"专项 {fund} 在 {window_days} 天内向 {payee} 分 {count} 笔支付共 {total} {currency}，"
        f"每笔均低于拆分限额 {threshold} {currency}，合计已达限额 / fund {fund} paid {payee} "
        f"{total} {currency} in {count} payments within {window_days} days, each below the "
        f"threshold {threshold} {currency}, together at or above it。"
        f"此前各笔 / earlier payments：{listed}",
        fund=fund, amount=total, currency=currency)


def check(books: Books) -> list[Finding]:
    """Split payments, one pass over the transactions with one open group per fund and payee."""
    findings = []
    groups: dict[GroupKey, _Group] = {}
    policy = books.model.policy
    for transaction in books.transactions:
        payee = (transaction.payee or "").strip()
        if not payee or carries_any(transaction, ("contract",)):
            continue
        threshold = policy.amount("split-threshold", transaction.date)
        window_days = policy.days("split-window-days", transaction.date)
        for fund, amount in _payments_out(books, transaction, threshold.currency):
            if amount >= threshold.number:
                continue
            key = (fund, payee, threshold.currency)
            group = groups.setdefault(key, _Group())
            group.add(_Payment(transaction, transaction.date, amount), window_days)
            if group.total >= threshold.number:
                findings.append(_finding(group, key, threshold.number, window_days))
                group.close()
    return findings
