"""截留 (withheld): money meant for a fund that is held back or lands elsewhere.

Two forms:

(a) a credit to fund F's Income received, in the same transaction, into an Assets account that
    does not belong to F (F's own Assets debits are matched first, so one voucher that books two
    funds' interest, each on its own account, is quiet);
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
ZERO = Decimal("0.00")


def _landed_elsewhere(books: Books, transaction: data.Transaction,
                      receipts: dict[tuple[str, str], list[Receipt]]) -> list[Finding]:
    """Form (a) for one transaction; also records the fund receipts it carries.

    Per owner (a fund, or None for no fund) the Assets postings are netted, and a fund's own
    income credits explain its own Assets debits. Income that its fund's Assets did not take in
    was received elsewhere, where some other owner's Assets gained more than its own income.
    """
    credits: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    assets: dict[tuple[str | None, str], Decimal] = defaultdict(Decimal)
    debited: dict[tuple[str | None, str], str] = {}
    for posting in transaction.postings:
        weighed = weight(posting)
        if weighed is None:
            continue
        number, currency = weighed
        fund = books.model.fund_of(posting.account)
        if number < 0 and fund is not None and books.is_income(posting.account):
            credits[fund, currency] -= number
        elif books.is_assets(posting.account):
            assets[fund, currency] += number
            if number > 0:
                debited.setdefault((fund, currency), posting.account)
    findings = []
    for (fund, currency), credit in credits.items():
        receipts[fund, currency].append((transaction.date, credit))
        missing = credit - max(assets[fund, currency], ZERO)
        unexplained = _gains_outside(fund, currency, assets, credits, debited)
        if missing > 0 and unexplained:
            amount = min(missing, sum((gain for gain, _ in unexplained), ZERO))
            account = unexplained[0][1]
            findings.append(finding_at(
                "withheld", transaction,
                f"专项 {fund} 的收入 {amount} {currency} 存入专项以外的账户 {account} / "
                f"{amount} {currency} of fund {fund}'s income received into {account}, "
                f"outside the fund", fund=fund, account=account, amount=amount,
                currency=currency))
    return findings


def _gains_outside(fund: str, currency: str, assets: dict[tuple[str | None, str], Decimal],
                   credits: dict[tuple[str, str], Decimal],
                   debited: dict[tuple[str | None, str], str]) -> list[tuple[Decimal, str]]:
    """What other owners' Assets gained beyond their own income, with an account that gained."""
    gains = []
    for (owner, owner_currency), gained in assets.items():
        if owner == fund or owner_currency != currency:
            continue
        own_income = credits.get((owner, currency), ZERO) if owner is not None else ZERO
        if gained - own_income > 0:
            gains.append((gained - own_income, debited[owner, currency]))
    return gains


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
