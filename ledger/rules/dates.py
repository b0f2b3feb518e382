"""日期晚于今日 (future-date): a transaction or an allocation dated after the day of the check.

A voucher dated 2031 instead of 2013 is accepted by Beancount and moves the year the fund
figures are for, the allocations' horizon and every period after it. Entries that record what
happened (transactions, pads' included, and allocations, dated the day the money was
announced) cannot be dated after the day of the check (:func:`today`): each such entry is a
warning, on its own date.

Quiet: entries dated today or before, and entries that may state the future: a ``balance``
assertion (dated the day after a statement), budget lines, policy, a fund's declaration, an
allocation's ``due:`` date.
"""

from __future__ import annotations

import datetime

from beancount.core import data

from ledger.model.books import Books
from ledger.model.findings import Finding, finding_at
from ledger.model.funds import Allocation
from ledger.model.voucher import Voucher
from ledger.rules.rule import RuleCheck


def today() -> datetime.date:
    """The day of the check: the machine's date (tests replace this function)."""
    return datetime.date.today()


def _future(entry: data.Directive, what: tuple[str, str], day: datetime.date,
            fund: str | None = None, allocation: Allocation | None = None) -> Finding:
    return finding_at(
        "future-date", entry,
        f"{what[0]}日期 {entry.date} 晚于检查当日 {day}：是否年份写错？ / the {what[1]} is dated "
        f"{entry.date}, after the day of the check, {day}: a typo in the year?",
        fund=fund, amount=allocation.amount if allocation else None,
        currency=allocation.currency if allocation else None)


class FutureDates(RuleCheck):
    """Transactions (as they pass) and allocations (at the end) dated after the check's day."""

    def __init__(self, books: Books) -> None:
        super().__init__(books)
        self.day = today()

    def visit(self, voucher: Voucher) -> None:
        transaction = voucher.transaction
        if transaction.date > self.day:
            leg = voucher.fund_leg()
            self.found.append(_future(transaction, ("交易", "transaction"), self.day,
                                      leg and leg[2]))

    def findings(self) -> list[Finding]:
        return self.found + [
            _future(allocation.entry, ("拨款", "allocation"), self.day, allocation.fund,
                    allocation)
            for allocation in self.books.model.allocations if allocation.date > self.day]
