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
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books
from ledger.model.findings import Finding, finding_at, source_of
from ledger.model.policy import Money
from ledger.model.postings import Leg
from ledger.model.voucher import Voucher
from ledger.rules.rule import RuleCheck

GroupKey = tuple[str, str, str]  # fund, payee, currency
EXEMPT_KEYS = ("contract", "payroll")
ZERO = Decimal(0)


Payment = tuple[datetime.date, Decimal, data.Transaction]  # a payment's date, amount, voucher


@dataclass(slots=True)
class _Group:
    """The open group of small payments to one payee out of one fund, oldest first."""

    payments: deque[Payment] = field(default_factory=deque)
    total: Decimal = ZERO

    def drop_before(self, first_day: datetime.date) -> None:
        """Drop the payments dated before ``first_day``."""
        payments = self.payments
        while payments and payments[0][0] < first_day:
            self.total -= payments.popleft()[1]

    def take_back(self, refund: Decimal) -> None:
        """A refund takes back the latest payments first, never more than the group holds."""
        while refund > 0 and self.payments:
            date, amount, transaction = self.payments.pop()
            taken = min(refund, amount)
            refund -= taken
            self.total -= taken
            if taken < amount:
                self.payments.append((date, amount - taken, transaction))

    def close(self) -> None:
        self.payments.clear()
        self.total = ZERO


PayableKey = tuple[str, str, str]  # payable account, currency, payee


@dataclass
class _ExemptPayables:
    """What exempt transactions (contract, payroll) booked on payables, per payee, and is not yet
    paid."""

    owed: dict[PayableKey, Decimal] = field(default_factory=dict)

    def book(self, books: Books, legs: list[Leg], payee: str) -> None:
        """An exempt transaction: what it credits to payables is owed under the exemption, and
        what it pays on them settles that first."""
        for _, account, _, root, number, currency in legs:
            if root != books.account_types.liabilities:
                continue
            key = (account, currency, payee)
            if number > 0:
                self.settle(key, number)
            else:
                self.owed[key] = self.owed.get(key, ZERO) - number

    def settle(self, key: PayableKey, debit: Decimal) -> Decimal:
        """The part of a debit to a payable that pays an exempt booking for the same payee."""
        owed = self.owed.get(key, ZERO)
        settled = min(owed, debit)
        if settled >= owed and key in self.owed:
            del self.owed[key]  # paid in full: forgotten, so the table holds what is owed
        elif settled > 0:
            self.owed[key] = owed - settled
        return settled


def _payments(books: Books, legs: list[Leg], currency: str, payee: str,
              exempt: _ExemptPayables) -> list[tuple[str, Decimal]]:
    """(fund, amount) paid out of each fund's Assets for costs or payables that are not exempt;
    negative for money coming back into them as a refund of costs."""
    assets, liabilities, _, _, expenses = books.account_types
    costs = payables = ZERO
    out: dict[str, Decimal] = {}
    back: dict[str, Decimal] = {}
    for _, account, fund, root, number, in_currency in legs:
        if in_currency != currency:
            continue
        if root == liabilities:
            if number > 0:
                number -= exempt.settle((account, currency, payee), number)
            payables += number
        elif root == expenses:
            costs += number
        elif fund is not None and root == assets:
            sources = out if number < 0 else back
            sources[fund] = sources.get(fund, ZERO) + abs(number)
    spent = costs + payables
    if spent > 0:
        return _share(out, spent, 1)
    return _share(back, min(-spent, max(-costs, ZERO)), -1)


def _share(sources: dict[str, Decimal], total: Decimal, sign: int) -> list[tuple[str, Decimal]]:
    """Spread ``total`` over the funds' amounts in order, signed."""
    shared = []
    for fund, amount in sources.items():
        taken = amount if amount < total else total
        if taken > 0:
            total -= taken
            shared.append((fund, taken if sign > 0 else -taken))
    return shared


def _described(payment: Payment, currency: str) -> str:
    date, amount, transaction = payment
    voucher = transaction.meta.get("voucher")
    named = f" {voucher}" if voucher else ""
    return f"{date}{named} {amount} {currency}（{source_of(transaction)}）"


def _paid_account(books: Books, transaction: data.Transaction) -> str | None:
    """The first cost or payable account the transaction debits."""
    types = books.account_types
    return next(iter(books.debited(transaction, types.expenses, types.liabilities)), None)


def _finding(books: Books, group: _Group, key: GroupKey, threshold: Decimal,
             window_days: int) -> Finding:
    fund, payee, currency = key
    *earlier, (_, _, crossing) = group.payments
    listed = "；".join(_described(payment, currency) for payment in earlier)
    count, total = len(group.payments), group.total
    return finding_at(
        "split-payment", crossing,
        f"专项 {fund} 在 {window_days} 天内向 {payee} 分 {count} 笔支付共 {total} {currency}，"
        f"每笔均低于当日拆分限额，合计达到限额 {threshold} {currency}；此前各笔：{listed} / "
        f"fund {fund} paid {payee} {total} {currency} in {count} payments within "
        f"{window_days} days, each below the threshold of its day, together at or above "
        f"{threshold} {currency}; earlier payments as listed",
        fund=fund, account=_paid_account(books, crossing), amount=total,
        currency=currency)


def _days_before(date: datetime.date, days: int) -> datetime.date:
    """``days`` days before ``date``, or the calendar's first day if that is earlier."""
    if (date - datetime.date.min).days <= days:
        return datetime.date.min
    return date - datetime.timedelta(days=days)


class SplitPayments(RuleCheck):
    """Split payments, with one open group per fund and payee."""

    def __init__(self, books: Books) -> None:
        super().__init__(books)
        self.groups: dict[GroupKey, _Group] = {}
        self.paid: deque[tuple[datetime.date, GroupKey]] = deque()  # each payment's group, in order
        self.exempt = _ExemptPayables()
        self.day: datetime.date | None = None
        self.threshold = Money(ZERO, "")
        self.window_days = 0
        self.first_day = datetime.date.min  # of the window ending on ``day``

    def visit(self, voucher: Voucher) -> None:
        transaction = voucher.transaction
        payee = "".join(transaction.payee.split()) if transaction.payee else ""
        if voucher.carries_any(EXEMPT_KEYS):
            self.exempt.book(self.books, voucher.legs, payee)
            return
        if transaction.date != self.day:  # the policy in force, looked up once a day
            policy, self.day = self.books.model.policy, transaction.date
            self.threshold = policy.amount("split-threshold", transaction.date)
            self.window_days = policy.days("split-window-days", transaction.date)
            self.first_day = _days_before(transaction.date, self.window_days)
            self._forget_groups_before(self.first_day)
        threshold = self.threshold
        payments = _payments(self.books, voucher.legs, threshold.currency, payee, self.exempt)
        if payee and payments:
            for fund, amount in payments:
                self._pay(transaction, (fund, payee, threshold.currency), amount)

    def _pay(self, transaction: data.Transaction, key: GroupKey, amount: Decimal) -> None:
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = _Group()
        else:
            group.drop_before(self.first_day)
        threshold = self.threshold.number
        if amount < 0:
            group.take_back(-amount)
        elif amount < threshold:
            group.payments.append((transaction.date, amount, transaction))
            group.total += amount
            self.paid.append((transaction.date, key))
            if group.total >= threshold:
                self.found.append(_finding(self.books, group, key, threshold, self.window_days))
                group.close()

    def _forget_groups_before(self, first_day: datetime.date) -> None:
        """Drop the groups whose payments all lie before the window: the next payment to that
        payee starts afresh anyway, and the open groups stay as few as the window holds."""
        paid, groups = self.paid, self.groups
        while paid and paid[0][0] < first_day:
            _, key = paid.popleft()
            group = groups.get(key)
            if group is not None and (not group.payments or group.payments[-1][0] < first_day):
                del groups[key]
