"""资金收支月报: each fund's money over a month, as the bank and the cash box see it.

A fund's money is what its Assets accounts hold (its dedicated bank account and its cash). In
each transaction, the net change of a fund's Assets is a receipt (收入) when it grows and a
payment (支出) when it shrinks; moving money between the fund's own accounts is neither. So for
every fund, 期初余额 + 本月收入 − 本月支出 = 期末余额 holds by construction, and the funds'
closing balances add up to their bank accounts' and cash accounts' book balances.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books
from reports.month import Month

ZERO = Decimal("0.00")
FundKey = tuple[str, str]  # fund, currency


@dataclass
class FundMonth:
    """One fund's month in one currency."""

    fund: str
    name: str
    currency: str
    opening: Decimal = ZERO
    receipts: Decimal = ZERO
    payments: Decimal = ZERO
    year_receipts: Decimal = ZERO
    year_payments: Decimal = ZERO

    @property
    def closing(self) -> Decimal:
        return self.opening + self.receipts - self.payments


@dataclass(frozen=True)
class AccountBalance:
    """A fund's Assets account at the month's end: a bank account, or cash."""

    account: str
    fund: str
    currency: str
    cash: bool
    balance: Decimal


def _assets_change(books: Books, transaction: data.Transaction,
                   held: dict[tuple[str, str], Decimal]) -> dict[FundKey, Decimal]:
    """The net change of each fund's Assets in one transaction; each account's balance in
    ``held`` follows."""
    changes: dict[FundKey, Decimal] = {}
    for posting in transaction.postings:
        fund, _ = books.kinds[posting.account]
        units = posting.units
        if (fund is not None and units is not None and units.number is not None
                and books.is_assets(posting.account)):
            key = (fund, units.currency)
            changes[key] = changes.get(key, ZERO) + units.number
            held[posting.account, units.currency] += units.number
    return changes


def month_flows(books: Books, month: Month) -> tuple[list[FundMonth], list[AccountBalance]]:
    """The funds' month and their accounts' closing balances, in one pass over the books."""
    funds = books.model.funds
    rows = {(code, "CNY"): FundMonth(code, fund.name, "CNY")
            for code, fund in funds.items() if fund.declared <= month.last}
    held: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for transaction in books.transactions:
        if transaction.date > month.last:
            break
        for key, change in _assets_change(books, transaction, held).items():
            if key not in rows and key[0] in funds:
                rows[key] = FundMonth(key[0], funds[key[0]].name, key[1])
            if key in rows and change != 0:
                _add_change(rows[key], transaction.date, month, change)
    balances = [AccountBalance(account, str(books.kinds[account][0]), currency,
                               books.is_cash(account), balance)
                for (account, currency), balance in held.items()]
    return ([rows[key] for key in sorted(rows)],
            sorted(balances, key=lambda item: (item.cash, item.fund, item.account)))


def _add_change(row: FundMonth, date: datetime.date, month: Month, change: Decimal) -> None:
    if date < month.first:
        row.opening += change
    elif change > 0:
        row.receipts += change
    else:
        row.payments -= change
    if date >= month.year_start:
        if change > 0:
            row.year_receipts += change
        else:
            row.year_payments -= change
