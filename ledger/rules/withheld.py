"""截留 (withheld): money meant for a fund that is held back or lands elsewhere.

Two forms:

(a) a credit to fund F's Income received, in the same transaction, into an Assets account that
    does not belong to F;
(b) at an allocation's due date, F's cumulative receipts (credits to its Income accounts up to
    that date) fall short of its cumulative allocations due by then. The finding is dated the due
    date, sits on the allocation and states the shortfall. Due dates after the last entry of the
    books are not judged yet.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books, weight
from ledger.model.findings import Finding, finding_at
from ledger.model.funds import Allocation

Receipt = tuple[datetime.date, Decimal]


def _landed_elsewhere(books: Books, transaction: data.Transaction,
                      receipts: dict[tuple[str, str], list[Receipt]]) -> list[Finding]:
    """Form (a) for one transaction; also records the fund receipts it carries."""
    credits: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    landed: list[tuple[str | None, str, Decimal, str]] = []
    for posting in transaction.postings:
        weighed = weight(posting)
        if weighed is None:
            continue
        number, currency = weighed
        fund = books.model.fund_of(posting.account)
        if number < 0 and fund is not None and books.is_income(posting.account):
            credits[fund, currency] -= number
        elif number > 0 and books.is_assets(posting.account):
            landed.append((fund, currency, number, posting.account))
    findings = []
    for (fund, currency), credit in credits.items():
        receipts[fund, currency].append((transaction.date, credit))
        outside = [(amount, account) for target, target_currency, amount, account in landed
                   if target != fund and target_currency == currency]
        if outside:
            amount = min(credit, sum((amount for amount, _ in outside), Decimal(0)))
            account = outside[0][1]
            findings.append(finding_at(
                "withheld", transaction,
                f"专项 {fund} 的收入 {amount} {currency} 存入专项以外的账户 {account} / "
                f"{amount} {currency} of fund {fund}'s income received into {account}, "
                f"outside the fund", fund=fund, account=account, amount=amount,
                currency=currency))
    return findings


def _short_at_due_dates(allocations: list[Allocation], receipts: list[Receipt],
                        last_date: datetime.date) -> list[Finding]:
    """Form (b) for one fund and currency: a merge of due dates with receipts in date order."""
    findings = []
    received = allocated = Decimal(0)
    index = 0
    for allocation in sorted(allocations, key=lambda allocation: allocation.due):
        if allocation.due > last_date:
            break
        allocated += allocation.amount
        while index < len(receipts) and receipts[index][0] <= allocation.due:
            received += receipts[index][1]
            index += 1
        if received < allocated:
            shortfall = allocated - received
            currency = allocation.currency
            findings.append(finding_at(
                "withheld", allocation.entry,
                f"至 {allocation.due} 应到位拨款累计 {allocated} {currency}，实收 {received} "
                f"{currency}，短缺 {shortfall} {currency} / by {allocation.due} allocations due "
                f"{allocated} {currency}, received {received} {currency}, short {shortfall} "
                f"{currency}", fund=allocation.fund, amount=shortfall, currency=currency,
                date=allocation.due))
    return findings


def check(books: Books) -> list[Finding]:
    """Both forms of withholding, in one pass over transactions and one over allocations."""
    findings: list[Finding] = []
    receipts: dict[tuple[str, str], list[Receipt]] = defaultdict(list)
    for transaction in books.transactions:
        findings.extend(_landed_elsewhere(books, transaction, receipts))
    if books.last_date is None:
        return findings
    due_by_fund: dict[tuple[str, str], list[Allocation]] = defaultdict(list)
    for allocation in books.model.allocations:
        due_by_fund[allocation.fund, allocation.currency].append(allocation)
    for key, allocations in due_by_fund.items():
        findings.extend(_short_at_due_dates(allocations, receipts[key], books.last_date))
    return findings
