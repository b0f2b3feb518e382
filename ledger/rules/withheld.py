"""截留 (withheld): money meant for a fund that is held back or lands elsewhere.

Two forms:

(a) money due to fund F (a credit to its Income, or a refund credited to its costs) that, in the
    same transaction, ends up with another owner instead of on F's own accounts: received into
    the district's or another fund's bank account, or spent straight on a cost that is not F's.
    See :mod:`ledger.model.flows` for how a voucher's legs are matched;
(b) at an allocation's due date, F's cumulative receipts (net credits to its Income accounts,
    per transaction, up to that date) fall short of its cumulative allocations due by then. The
    finding is dated the due date, sits on the allocation and states the shortfall. Due dates
    the books do not cover yet (see ``Books.horizon``) are not judged.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books
from ledger.model.findings import Finding, finding_at
from ledger.model.flows import Transfer
from ledger.model.funds import Allocation
from ledger.model.voucher import Voucher
from ledger.rules.rule import RuleCheck

Receipt = tuple[datetime.date, Decimal]
ZERO = Decimal("0.00")


def _held_elsewhere(transaction: data.Transaction, transfer: Transfer) -> Finding:
    """Form (a): money due to a fund that ended up with another owner."""
    fund, account = transfer.source, transfer.account
    money = f"{transfer.amount} {transfer.currency}"
    return finding_at(
        "withheld", transaction,
        f"应属专项 {fund} 的资金（收入或退款）{money} 未进入本专项，记入 {account} / "
        f"{money} due to fund {fund} (income or a refund) did not reach it: it went to {account}",
        fund=fund, account=account, amount=transfer.amount, currency=transfer.currency)


def _short_at_due_dates(allocations: list[Allocation], receipts: list[Receipt],
                        last_date: datetime.date) -> list[Finding]:
    """Form (b) for one fund and currency: a merge of due dates with receipts in date order.

    Allocations due on the same day are judged together: one finding for that day.
    """
    findings = []
    received = allocated = ZERO
    index = 0
    ordered = sorted(allocations, key=lambda allocation: allocation.due)
    for position, allocation in enumerate(ordered):
        if allocation.due > last_date:
            break
        allocated += allocation.amount
        following = ordered[position + 1] if position + 1 < len(ordered) else None
        if following is not None and following.due == allocation.due:
            continue
        while index < len(receipts) and receipts[index][0] <= allocation.due:
            received += receipts[index][1]
            index += 1
        if received < allocated:
            findings.append(_shortfall(allocation, allocated, received))
    return findings


def _shortfall(allocation: Allocation, allocated: Decimal, received: Decimal) -> Finding:
    shortfall, currency, due = allocated - received, allocation.currency, allocation.due
    return finding_at(
        "withheld", allocation.entry,
        f"至 {due} 应到位拨款累计 {allocated} {currency}，实收 {received} {currency}，"
        f"短缺 {shortfall} {currency} / by {due} allocations due {allocated} {currency}, "
        f"received {received} {currency}, short {shortfall} {currency}",
        fund=allocation.fund, amount=shortfall, currency=currency, date=due)


class Withholdings(RuleCheck):
    """Both forms of withholding: (a) as the transactions pass, (b) over the allocations once
    the receipts are known."""

    def __init__(self, books: Books) -> None:
        super().__init__(books)
        self.receipts: dict[tuple[str, str], list[Receipt]] = defaultdict(list)

    def visit(self, voucher: Voucher) -> None:
        flows, transaction = voucher.flows, voucher.transaction
        if flows is None:
            return
        for key, received in flows.receipts.items():
            self.receipts[key].append((transaction.date, received))
        if flows.transfers:
            self.found.extend(_held_elsewhere(transaction, transfer)
                              for transfer in flows.transfers if transfer.kind == "due")

    def findings(self) -> list[Finding]:
        horizon = self.books.horizon
        if horizon is None:
            return self.found
        due_by_fund: dict[tuple[str, str], list[Allocation]] = defaultdict(list)
        for allocation in self.books.model.allocations:
            due_by_fund[allocation.fund, allocation.currency].append(allocation)
        shortfalls = [finding for key, allocations in due_by_fund.items()
                      for finding in _short_at_due_dates(allocations, self.receipts[key],
                                                         horizon)]
        return self.found + shortfalls
