"""截留 (withheld): money meant for a fund that is held back or lands elsewhere.

Two forms:

(a) a credit to fund F's Income that, in the same transaction, lands on an account of another
    owner (another fund, or no fund) instead of F's own: received into the district's or another
    fund's bank account, or spent straight on a cost that is not F's. F's own debits are matched
    first, so one bank slip booking two funds' interest, each on its own account, is quiet;
(b) at an allocation's due date, F's cumulative receipts (credits to its Income accounts up to
    that date) fall short of its cumulative allocations due by then. The finding is dated the due
    date, sits on the allocation and states the shortfall. Due dates after the books' last
    transaction are not judged yet.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books
from ledger.model.findings import Finding, finding_at
from ledger.model.flows import Flows
from ledger.model.funds import Allocation

Receipt = tuple[datetime.date, Decimal]
ZERO = Decimal("0.00")


def _received_elsewhere(flows: Flows, transaction: data.Transaction) -> list[Finding]:
    """Form (a): income of a fund that its own accounts did not take in, but another owner's did.

    A fund's own debits in the voucher (its bank account, or its own cost paid directly by the
    funder) explain its income first; what is left went to owners whose postings net to a debit.
    """
    findings = []
    for (fund, currency), credit in flows.income.items():
        missing = credit - flows.taken_in.get((fund, currency), ZERO)
        outside = [(owner, net) for (owner, net_currency), net in flows.net.items()
                   if net_currency == currency and owner != fund and net > 0]
        if fund is None or missing <= 0 or not outside:
            continue
        amount = min(missing, sum((net for _, net in outside), ZERO))
        account = flows.debited[outside[0][0], currency]
        findings.append(finding_at(
            "withheld", transaction,
            f"专项 {fund} 的收入 {amount} {currency} 未进入本专项，记入 {account} / "
            f"{amount} {currency} of fund {fund}'s income did not reach the fund: it went to "
            f"{account}", fund=fund, account=account, amount=amount, currency=currency))
    return findings


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


def check(books: Books) -> list[Finding]:
    """Both forms of withholding, in one pass over transactions and one over allocations."""
    findings: list[Finding] = []
    receipts: dict[tuple[str, str], list[Receipt]] = defaultdict(list)
    for transaction, flows in zip(books.transactions, books.flows, strict=True):
        if flows is None:
            continue
        for (fund, currency), credit in flows.income.items():
            if fund is not None:
                receipts[fund, currency].append((transaction.date, credit))
        findings.extend(_received_elsewhere(flows, transaction))
    if books.last_transaction_date is None:
        return findings
    due_by_fund: dict[tuple[str, str], list[Allocation]] = defaultdict(list)
    for allocation in books.model.allocations:
        due_by_fund[allocation.fund, allocation.currency].append(allocation)
    for key, allocations in due_by_fund.items():
        findings.extend(_short_at_due_dates(allocations, receipts[key],
                                            books.last_transaction_date))
    return findings
