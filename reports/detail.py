"""收支明细: every transaction of the month that touches a fund, once per fund it touches.

收入 and 支出 are the net change of the fund's Assets in the transaction (as in the fund
report), so the details of a fund add up to its month's receipts and payments. 科目 lists the
transaction's other accounts: where the money came from or went. A movement between the fund's
own Assets (提取备用金: bank to cash) has no other account and neither receipt nor payment; its
科目 names both sides as a voucher does: 借：the accounts that grew；贷：those that shrank.
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


def _counter_accounts(books: Books, transaction: data.Transaction, fund: str) -> str:
    """The accounts a reader of ``fund``'s row expects: the transaction's accounts other than
    the fund's own Assets, or, for a movement between those, 借：…；贷：…."""
    own: list[data.Posting] = []
    others: list[data.Posting] = []
    for posting in transaction.postings:
        owned = books.kinds[posting.account][0] == fund and books.is_assets(posting.account)
        (own if owned else others).append(posting)
    if others:
        return _names(others)
    debit = [posting for posting in own if _number(posting) >= 0]
    credit = [posting for posting in own if _number(posting) < 0]
    return f"借：{_names(debit)}；贷：{_names(credit)}" if debit and credit else _names(own)


def _names(postings: list[data.Posting]) -> str:
    return "、".join(dict.fromkeys(posting.account for posting in postings))


def _number(posting: data.Posting) -> Decimal:
    units = posting.units
    return ZERO if units is None or units.number is None else units.number


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
        others = _counter_accounts(books, transaction, fund)
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
