"""拆分支付 (split-payment): one purchase paid in pieces to stay under the threshold.

A payment out of fund F is money leaving F's Assets (credits to them) for costs or payables
(Expenses and Liabilities net to a debit), in the currency of the policy ``split-threshold``
(default 50000.00 CNY); its payee is the transaction's payee, spaces ignored. Returning money to
a funder or moving it to another fund is no payment. A refund of costs into F's Assets takes
back the latest payments of the payee's open group.

Exempt are transactions carrying ``contract:`` (installments of one procured contract) or
``payroll:`` (wages paid under the payroll sheet), and payments that settle a payable booked by
such a transaction.

Consider the other payments to one payee out of one fund, each below the threshold in force on
its date. When such a payment, with those dated at most ``split-window-days`` (default 30)
before it, brings the total to the threshold or above, it is reported, naming the earlier ones;
those payments are then settled, and the next payment starts a new group. Payments without a
payee cannot be grouped and are not judged.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from beancount.core import data

from ledger.model.books import Books
from ledger.model.evidence import carries_any
from ledger.model.findings import Finding, finding_at, source_of
from ledger.model.flows import Flows
from ledger.model.policy import Money
from ledger.model.postings import weight
from ledger.rules.rule import RuleCheck

GroupKey = tuple[str, str, str]  # fund, payee, currency
EXEMPT_KEYS = ("contract", "payroll")
ZERO = Decimal(0)


class _Payment(NamedTuple):
    transaction: data.Transaction
    date: datetime.date
    amount: Decimal


@dataclass(slots=True)
class _Group:
    """The open group of small payments to one payee out of one fund, oldest first: the
    payments from ``start`` on (a list and an index: one group per payee and fund stays small
    even when most hold one payment)."""

    payments: list[_Payment] = field(default_factory=list)
    start: int = 0
    total: Decimal = ZERO

    @property
    def open_payments(self) -> list[_Payment]:
        return self.payments[self.start:]

    def drop_before(self, date: datetime.date, window_days: int) -> None:
        """Drop the payments more than ``window_days`` before ``date``."""
        payments = self.payments
        while self.start < len(payments) and (date - payments[self.start].date).days > window_days:
            self.total -= payments[self.start].amount
            self.start += 1
        if self.start and self.start * 2 >= len(payments):  # compact now and then: linear
            del payments[:self.start]
            self.start = 0

    def add(self, payment: _Payment) -> None:
        self.payments.append(payment)
        self.total += payment.amount

    def take_back(self, refund: Decimal) -> None:
        """A refund takes back the latest payments first, never more than the group holds."""
        while refund > 0 and len(self.payments) > self.start:
            latest = self.payments.pop()
            taken = min(refund, latest.amount)
            refund -= taken
            self.total -= taken
            if taken < latest.amount:
                self.payments.append(latest._replace(amount=latest.amount - taken))

    def close(self) -> None:
        self.payments.clear()
        self.start = 0
        self.total = ZERO


PayableKey = tuple[str, str, str]  # payable account, currency, payee


@dataclass
class _ExemptPayables:
    """What exempt transactions (contract, payroll) booked on payables, per payee, and is not yet
    paid."""

    owed: dict[PayableKey, Decimal] = field(default_factory=dict)

    def book(self, books: Books, transaction: data.Transaction, payee: str) -> None:
        """An exempt transaction: what it credits to payables is owed under the exemption, and
        what it pays on them settles that first."""
        for posting in transaction.postings:
            weighed = weight(posting)
            if weighed is None or not books.is_liabilities(posting.account):
                continue
            number, currency = weighed
            if number > 0:
                self.settle((posting.account, currency, payee), number)
            else:
                key = (posting.account, currency, payee)
                self.owed[key] = self.owed.get(key, ZERO) - number

    def settle(self, key: PayableKey, debit: Decimal) -> Decimal:
        """The part of a debit to a payable that pays an exempt booking for the same payee."""
        owed = self.owed.get(key, ZERO)
        settled = min(owed, debit)
        if settled > 0:
            self.owed[key] = owed - settled
        return settled


def _payments(books: Books, transaction: data.Transaction, currency: str, payee: str,
              exempt: _ExemptPayables) -> list[tuple[str, Decimal]]:
    """(fund, amount) paid out of each fund's Assets for costs or payables that are not exempt;
    negative for money coming back into them as a refund of costs."""
    types, kinds = books.account_types, books.kinds
    costs = payables = ZERO
    out: dict[str, Decimal] = {}
    back: dict[str, Decimal] = {}
    for posting in transaction.postings:
        number, in_currency = weight(posting) or (None, "")
        if number is None or in_currency != currency:
            continue
        fund, root = kinds[posting.account]
        if root == types.liabilities:
            if number > 0:
                number -= exempt.settle((posting.account, currency, payee), number)
            payables += number
        elif root == types.expenses:
            costs += number
        elif fund is not None and root == types.assets:
            sources = out if number < 0 else back
            sources[fund] = sources.get(fund, ZERO) + abs(number)
    spent = costs + payables
    if spent > 0:
        return _share(out, spent, 1)
    return _share(back, min(-spent, max(-costs, ZERO)), -1)


def _share(sources: dict[str, Decimal], total: Decimal, sign: int) -> list[tuple[str, Decimal]]:
    """Spread ``total`` over the funds' amounts in order, signed."""
    if len(sources) == 1:  # the usual voucher: one fund pays
        [(fund, amount)] = sources.items()
        taken = min(amount, total)
        return [(fund, sign * taken)] if taken > 0 else []
    shared = []
    for fund, amount in sources.items():
        taken = min(amount, total)
        total -= taken
        if taken > 0:
            shared.append((fund, sign * taken))
    return shared


def _described(payment: _Payment, currency: str) -> str:
    voucher = payment.transaction.meta.get("voucher")
    named = f" {voucher}" if voucher else ""
    return (f"{payment.date}{named} {payment.amount} {currency}"
            f"（{source_of(payment.transaction)}）")


def _paid_account(books: Books, transaction: data.Transaction) -> str | None:
    """The first cost or payable account the transaction debits."""
    types = books.account_types
    return next(iter(books.debited(transaction, types.expenses, types.liabilities)), None)


def _finding(books: Books, group: _Group, key: GroupKey, threshold: Decimal,
             window_days: int) -> Finding:
    fund, payee, currency = key
    *earlier, crossing = group.open_payments
    listed = "；".join(_described(payment, currency) for payment in earlier)
    count, total = len(group.open_payments), group.total
    return finding_at(
        "split-payment", crossing.transaction,
        f"专项 {fund} 在 {window_days} 天内向 {payee} 分 {count} 笔支付共 {total} {currency}，"
        f"每笔均低于当日拆分限额，合计达到限额 {threshold} {currency}；此前各笔：{listed} / "
        f"fund {fund} paid {payee} {total} {currency} in {count} payments within "
        f"{window_days} days, each below the threshold of its day, together at or above "
        f"{threshold} {currency}; earlier payments as listed",
        fund=fund, account=_paid_account(books, crossing.transaction), amount=total,
        currency=currency)


class SplitPayments(RuleCheck):
    """Split payments, with one open group per fund and payee."""

    def __init__(self, books: Books) -> None:
        super().__init__(books)
        self.groups: dict[GroupKey, _Group] = {}
        self.exempt = _ExemptPayables()
        self.day: datetime.date | None = None
        self.threshold = Money(ZERO, "")
        self.window_days = 0

    def visit(self, transaction: data.Transaction, flows: Flows | None) -> None:
        payee = "".join((transaction.payee or "").split())
        if carries_any(transaction, EXEMPT_KEYS):
            self.exempt.book(self.books, transaction, payee)
            return
        if transaction.date != self.day:  # the policy in force, looked up once a day
            policy, self.day = self.books.model.policy, transaction.date
            self.threshold = policy.amount("split-threshold", transaction.date)
            self.window_days = policy.days("split-window-days", transaction.date)
        threshold = self.threshold
        payments = _payments(self.books, transaction, threshold.currency, payee, self.exempt)
        if payee and payments:
            for fund, amount in payments:
                self._pay(transaction, (fund, payee, threshold.currency), amount)

    def _pay(self, transaction: data.Transaction, key: GroupKey, amount: Decimal) -> None:
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = _Group()
        if len(group.payments) > group.start:
            group.drop_before(transaction.date, self.window_days)
        threshold = self.threshold.number
        if amount < 0:
            group.take_back(-amount)
        elif amount < threshold:
            group.add(_Payment(transaction, transaction.date, amount))
            if group.total >= threshold:
                self.found.append(_finding(self.books, group, key, threshold, self.window_days))
                group.close()
