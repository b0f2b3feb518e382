"""期外列支 (out-of-period): spending charged to a fund outside its life.

A transaction spends on fund F when its postings on F's Expenses accounts net to a debit. Dated
before F's declaration (the date of its ``custom "fund"``) or after its ``end:``, it is reported,
once per fund and currency. The day of declaration and the day the fund ends are within its life;
a refund or a reclassification between F's own costs after the end is no spending.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books
from ledger.model.findings import Finding, finding_at
from ledger.model.funds import Fund
from ledger.model.voucher import Voucher
from ledger.rules.rule import RuleCheck


def _finding(books: Books, transaction: data.Transaction, fund: Fund, amount: Decimal,
             currency: str) -> Finding:
    account = next((posting.account for posting in transaction.postings
                    if books.kinds[posting.account] == (fund.code, books.account_types.expenses)),
                   None)
    if transaction.date < fund.declared:
        why = f"早于专项声明日 {fund.declared}", f"before the fund was declared on {fund.declared}"
    else:
        why = f"晚于专项终止日 {fund.end}", f"after the fund ended on {fund.end}"
    return finding_at(
        "out-of-period", transaction,
        f"专项 {fund.code} 列支 {amount} {currency}，{why[0]} / {amount} {currency} charged to "
        f"fund {fund.code} {why[1]}",
        fund=fund.code, account=account, amount=amount, currency=currency)


class OutOfPeriod(RuleCheck):
    """Spending outside a fund's life."""

    def __init__(self, books: Books) -> None:
        super().__init__(books)
        self.lives = {code: (fund.declared, fund.end or datetime.date.max)
                      for code, fund in books.model.funds.items()}
        self.expenses = books.account_types.expenses

    def visit(self, voucher: Voucher) -> None:
        date = voucher.transaction.date
        for _, _, code, root, _, _ in voucher.legs:
            if root == self.expenses and self._outside_life(code, date):
                self.found.extend(self._outside(voucher))
                return

    def _outside_life(self, code: str | None, date: datetime.date) -> bool:
        """Whether ``date`` is outside the life of the declared fund ``code``."""
        life = self.lives.get(code) if code is not None else None
        return life is not None and not life[0] <= date <= life[1]

    def _outside(self, voucher: Voucher) -> list[Finding]:
        """The transaction's spending on each fund whose life it falls outside."""
        transaction, funds = voucher.transaction, self.books.model.funds
        return [_finding(self.books, transaction, funds[code], net, currency)
                for (code, root, currency), net in voucher.nets().items()
                if code is not None and root == self.expenses and net > 0
                and self._outside_life(code, transaction.date)]
