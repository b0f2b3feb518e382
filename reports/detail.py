"""收支明细: every transaction of the month that touches a fund, once per fund it touches.

收入 and 支出 are the net change of the fund's Assets in the transaction (as in the fund
report), so the details of a fund add up to its month's receipts and payments. 科目 lists the
transaction's other accounts: where the money came from or went.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books
from reports.month import Month

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class DetailRow:
    """One transaction as one fund sees it."""

    date: datetime.date
    voucher: str
    narration: str
    payee: str
    accounts: str
    fund: str
    currency: str
    receipt: Decimal
    payment: Decimal
    filename: str
    lineno: int


def _fund_rows(books: Books, transaction: data.Transaction) -> list[DetailRow]:
    touched: dict[str, dict[str, Decimal]] = {}
    for posting in transaction.postings:
        fund, _ = books.kinds[posting.account]
        if fund is None:
            continue
        changes = touched.setdefault(fund, {})
        units = posting.units
        if units is not None and units.number is not None and books.is_assets(posting.account):
            changes[units.currency] = changes.get(units.currency, ZERO) + units.number
    meta = transaction.meta
    rows = []
    for fund, changes in touched.items():
        others = "、".join(dict.fromkeys(
            posting.account for posting in transaction.postings
            if not (books.kinds[posting.account][0] == fund and books.is_assets(posting.account))))
        for currency, change in (changes or {"CNY": ZERO}).items():
            rows.append(DetailRow(
                transaction.date, str(meta.get("voucher", "")), transaction.narration or "",
                transaction.payee or "", others, fund, currency, max(change, ZERO),
                max(-change, ZERO), str(meta.get("filename", "")), int(meta.get("lineno", 0))))
    return rows


def detail_rows(books: Books, month: Month) -> list[DetailRow]:
    """The month's transactions touching a fund, in date and file order."""
    return [row for transaction in books.transactions
            if month.first <= transaction.date <= month.last
            for row in _fund_rows(books, transaction)]
