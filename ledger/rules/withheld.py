"""截留 (withheld) and 拨款未到位 (allocation-late): money meant for a fund that lands elsewhere,
and allocations the funder has not paid by their due date.

``withheld``: money due to fund F (a credit to its Income, or a refund credited to its costs)
that, in the same transaction, ends up with another owner instead of on F's own accounts:
received into the district's or another fund's bank account, or spent straight on a cost that is
not F's. See :mod:`ledger.model.flows` for how a voucher's legs are matched.

``allocation-late``: at an allocation's due date, F's cumulative receipts (net credits to its
Income accounts, per transaction, up to that date) fall short of its cumulative allocations due
by then. The funder's lateness, not the centre's: the finding is dated the due date, sits on the
allocation and names the funder and the shortfall. An allocation with ``source:`` is met only by
the receipts on that Income account (or below it; the longest source of the fund that holds an
account wins); the fund's allocations without one pool the receipts no source takes. Due dates
the books do not cover yet (see ``Books.horizon``), or still to come (after the day of the check,
``dates.today``), are not judged.
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
from ledger.rules import dates
from ledger.rules.rule import RuleCheck

Receipt = tuple[datetime.date, Decimal]
ReceiptKey = tuple[str, str | None, str]  # fund, source (None: pooled), currency
ZERO = Decimal("0.00")


def _held_elsewhere(transaction: data.Transaction, transfer: Transfer) -> Finding:
    """Money due to a fund that ended up with another owner."""
    fund, account = transfer.source, transfer.account
    money = f"{transfer.amount} {transfer.currency}"
    return finding_at(
        "withheld", transaction,
        f"应属专项 {fund} 的资金（收入或退款）{money} 未进入本专项，记入 {account} / "
        f"{money} due to fund {fund} (income or a refund) did not reach it: it went to {account}",
        fund=fund, account=account, amount=transfer.amount, currency=transfer.currency)


def _short_at_due_dates(allocations: list[Allocation], receipts: list[Receipt],
                        last_date: datetime.date) -> list[Finding]:
    """Late allocations of one fund, source and currency: a merge of due dates with receipts
    in date order.

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
    source = allocation.source
    funder = (f"来源 {source} " if source else "未指明来源（各来源合计）",
              f"from {source}" if source else "of no named source (all funders together)")
    return finding_at(
        "allocation-late", allocation.entry,
        f"至 {due} {funder[0]}应到位拨款累计 {allocated} {currency}，实收 {received} {currency}，"
        f"短缺 {shortfall} {currency} / by {due} allocations {funder[1]} due {allocated} "
        f"{currency}, received {received} {currency}, short {shortfall} {currency}",
        fund=allocation.fund, account=source, amount=shortfall, currency=currency, date=due)


class Withholdings(RuleCheck):
    """Money due held elsewhere as the transactions pass; late allocations once the receipts
    are known."""

    def __init__(self, books: Books) -> None:
        super().__init__(books)
        self.receipts: dict[ReceiptKey, list[Receipt]] = defaultdict(list)
        self.sources: dict[str, list[str]] = defaultdict(list)  # longest first
        for allocation in books.model.allocations:
            if allocation.source and allocation.source not in self.sources[allocation.fund]:
                self.sources[allocation.fund].append(allocation.source)
        for named in self.sources.values():
            named.sort(key=len, reverse=True)

    def visit(self, voucher: Voucher) -> None:
        flows, transaction = voucher.flows, voucher.transaction
        if flows is None:
            return
        for (fund, currency), received in flows.receipts.items():
            sources = self.sources.get(fund)
            if sources is None:
                self.receipts[fund, None, currency].append((transaction.date, received))
            else:
                self._receive_by_source(voucher, fund, currency, sources)
        if flows.transfers:
            self.found.extend(_held_elsewhere(transaction, transfer)
                              for transfer in flows.transfers if transfer.kind == "due")

    def _receive_by_source(self, voucher: Voucher, fund: str, currency: str,
                           sources: list[str]) -> None:
        """The fund's net credits to its Income in the transaction, per source (None: on no
        source of its allocations)."""
        income = self.books.account_types.income
        nets: dict[str | None, Decimal] = {}
        for _, account, owner, root, number, leg_currency in voucher.legs:
            if owner == fund and root == income and leg_currency == currency:
                source = next((source for source in sources if account == source
                               or account.startswith(f"{source}:")), None)
                nets[source] = nets.get(source, ZERO) - number
        for source, received in nets.items():
            if received > 0:
                self.receipts[fund, source, currency].append(
                    (voucher.transaction.date, received))

    def findings(self) -> list[Finding]:
        horizon = self.books.horizon
        if horizon is None:
            return self.found
        horizon = min(horizon, dates.today())  # a due date still to come is not judged
        due_by_source: dict[ReceiptKey, list[Allocation]] = defaultdict(list)
        for allocation in self.books.model.allocations:
            due_by_source[allocation.fund, allocation.source, allocation.currency].append(
                allocation)
        late = [finding for key, allocations in due_by_source.items()
                for finding in _short_at_due_dates(allocations, self.receipts.get(key, []),
                                                   horizon)]
        return self.found + late
