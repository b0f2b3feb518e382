"""The 科目余额表 (trial balance) of a year or a month.

For each account, in the chart's order and per currency: 期初余额 (the balance at the period's
start), 本期发生额 (the period's debits and credits; a transaction's postings to one account
merged per side, as the 明细账 shows them) and 期末余额, each balance on its side (借 or 贷).
Each first-level account (总账科目) has a subtotal row above its sub-accounts (明细科目), and the
合计 row adds the first-level rows, so its 借 and 贷 agree in each of the three column pairs:
the books balance.

Income and expense accounts open each year at 平 and the result of the years before is carried
in the previous-earnings account, as in the 明细账 (:mod:`reports.printed.account_ledger`); a
month's 期初 of an income or expense account is what the year has brought it before the month.
The table of a finished year is closed as its 明细账 is: the year-end 结转 is in 本期发生额
(an income account shows its year's credits and the debit that closes them), income and expense
end at 平 and the year's result is in the previous-earnings account's 期末, so a year's 期末 is
the next year's 期初 on every account; a month, or a year not over, is as the books stand.
One pass over the transactions.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from beancount.core import data
from beancount.parser import options

from ledger.model.chart import code_of
from ledger.model.postings import weight
from reports.printed.account_ledger import (
    ZERO,
    Key,
    account_order,
    closing_transfers,
    first_level,
    opening_balances,
    previous_earnings,
    split_account,
    year_finished,
)
from reports.printed.layout import DETAIL_SEPARATOR


class Unbalanced(ValueError):
    """The totals' debits and credits differ: the books do not balance (a bug, or a tolerance
    Beancount accepted)."""


def debit_side(balance: Decimal) -> Decimal | None:
    """The balance in the 借 column, or None when it is not a debit."""
    return balance if balance > 0 else None


def credit_side(balance: Decimal) -> Decimal | None:
    """The balance in the 贷 column (positive), or None when it is not a credit."""
    return -balance if balance < 0 else None


@dataclass
class BalanceRow:
    """One account's figures; ``opening`` and ``closing`` signed, debit positive."""

    account: str
    general: bool  # a 总账科目 (first-level) row
    opening: Decimal = ZERO
    debit: Decimal = ZERO
    credit: Decimal = ZERO

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit

    @property
    def code_and_name(self) -> str:
        """科目: the 总账科目 (``1002 银行存款``) on a first-level row, the 明细科目 under it."""
        general, detail = split_account(self.account)
        return general if self.general else detail or general

    def add(self, other: BalanceRow) -> None:
        self.opening += other.opening
        self.debit += other.debit
        self.credit += other.credit


@dataclass(frozen=True)
class Totals:
    """合计: the six columns, added over the first-level rows."""

    opening_debit: Decimal
    opening_credit: Decimal
    debit: Decimal
    credit: Decimal
    closing_debit: Decimal
    closing_credit: Decimal


@dataclass(frozen=True)
class CurrencyBalance:
    """The rows of one currency and their totals."""

    currency: str
    rows: list[BalanceRow]
    totals: Totals
    accounts: int  # the accounts in the rows (a first-level row adds its sub-accounts)


@dataclass(frozen=True)
class TrialBalance:
    """The 科目余额表 of a period (``label``: 2012年 or 2012年10月)."""

    unit: str
    period: str
    label: str
    first: datetime.date
    last: datetime.date
    currencies: list[CurrencyBalance] = field(default_factory=list)
    closed_into: str = ""  # a finished year closed in the print: where its result went

    @property
    def accounts(self) -> int:
        """How many accounts the table shows (its currencies' together)."""
        return sum(each.accounts for each in self.currencies)

    @property
    def note(self) -> str:
        """What the table says of the year-end 结转 it shows ("" for none)."""
        if not self.closed_into:
            return ""
        return (f"注：本年已结账，收入、费用科目年末余额于 12 月 31 日结转至 "
                f"{printed_name(self.closed_into)}，结转额计入本期发生额，期末余额为结账后余额；"
                "结转为打印时生成，账簿中无此分录。")


def printed_name(account: str) -> str:
    """An account as the printed books name it in a sentence: ``3102 限定性净资产``,
    ``1002 银行存款—建设经费专户``; an account off the chart by its full name."""
    general, detail = split_account(account)
    if not detail:
        return general
    return f"{general}{DETAIL_SEPARATOR}{detail}" if code_of(account) else account


def period_figures(transactions: Sequence[data.Transaction], first: datetime.date,
                   last: datetime.date, options_map: dict[str, Any]) -> dict[Key, BalanceRow]:
    """Each account's opening at ``first`` and debits and credits from ``first`` to ``last``."""
    year_start = datetime.date(first.year, 1, 1)
    rows: dict[Key, BalanceRow] = {
        key: BalanceRow(key[0], False, opening=amount)
        for key, amount in opening_balances(transactions, year_start, options_map).items()}
    for transaction in transactions:
        if transaction.date < year_start:
            continue
        if transaction.date > last:
            break
        merged: dict[Key, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
        for posting in transaction.postings:
            weighed = weight(posting)
            if weighed is None:
                continue
            number, currency = weighed
            merged[posting.account, currency][0 if number >= 0 else 1] += abs(number)
        for key, (debit, credit) in merged.items():
            row = rows.setdefault(key, BalanceRow(key[0], False))
            if transaction.date < first:
                row.opening += debit - credit
            else:
                row.debit += debit
                row.credit += credit
    return rows


def add_closing(figures: dict[Key, BalanceRow], options_map: dict[str, Any]) -> None:
    """Add the year-end 结转 (:func:`reports.printed.account_ledger.closing_transfers`) of the
    year's figures to their 本期发生额."""
    year_end: Mapping[Key, Decimal] = {key: row.closing for key, row in figures.items()}
    for transfer in closing_transfers(year_end, options_map):
        row = figures.setdefault((transfer.account, transfer.currency),
                                 BalanceRow(transfer.account, False))
        if transfer.amount > 0:
            row.debit += transfer.amount
        else:
            row.credit -= transfer.amount


def _totals(rows: Sequence[BalanceRow], currency: str, label: str) -> Totals:
    generals = [row for row in rows if row.general]

    def added(values: list[Decimal | None]) -> Decimal:
        return sum((value for value in values if value is not None), ZERO)

    totals = Totals(added([debit_side(row.opening) for row in generals]),
                    added([credit_side(row.opening) for row in generals]),
                    added([row.debit for row in generals]),
                    added([row.credit for row in generals]),
                    added([debit_side(row.closing) for row in generals]),
                    added([credit_side(row.closing) for row in generals]))
    for name, debit, credit in (("期初余额", totals.opening_debit, totals.opening_credit),
                                ("本期发生额", totals.debit, totals.credit),
                                ("期末余额", totals.closing_debit, totals.closing_credit)):
        if debit != credit:
            raise Unbalanced(f"{label} 科目余额表{name}借贷不平（{currency}）：借方 {debit}，"
                             f"贷方 {credit} / the trial balance's {name} does not balance in "
                             f"{currency}: debits {debit}, credits {credit}")
    return totals


def _leaves(figures: dict[Key, BalanceRow], currency: str,
            order: Callable[[str], tuple[int, bool, str, str]]) -> list[BalanceRow]:
    """The rows of the accounts with a balance or a posting in ``currency``, in the chart's
    order of their 总账科目 (so that each one's accounts come together), then their own."""
    return sorted((row for (account, each), row in figures.items() if each == currency
                     and (row.opening or row.debit or row.credit)),
                  key=lambda row: (order(first_level(row.account)), order(row.account)))


def _grouped(leaves: list[BalanceRow]) -> list[BalanceRow]:
    """The first-level rows, each followed by its sub-accounts' rows."""
    rows: list[BalanceRow] = []
    general: BalanceRow | None = None
    for leaf in leaves:
        top = first_level(leaf.account)
        if general is None or general.account != top:
            general = BalanceRow(top, True)
            rows.append(general)
        general.add(leaf)
        if leaf.account != top:
            rows.append(leaf)
    return rows


def trial_balance(entries: Sequence[data.Directive], options_map: dict[str, Any],
                  first: datetime.date, last: datetime.date, period: str,
                  label: str, *, today: datetime.date) -> TrialBalance:
    """The 科目余额表 from ``first`` to ``last`` (within one year), closed at the year's end if
    it is a whole year finished on ``today``; :class:`Unbalanced` if its totals do not
    balance."""
    transactions = [entry for entry in entries if isinstance(entry, data.Transaction)]
    figures = period_figures(transactions, first, last, options_map)
    whole_year = (first, last) == (datetime.date(first.year, 1, 1),
                                   datetime.date(first.year, 12, 31))
    closed_into = ""
    if whole_year and year_finished(transactions, first.year, today):
        add_closing(figures, options_map)
        closed_into = previous_earnings(options_map)
    order = account_order(options.get_account_types(options_map))  # type: ignore[no-untyped-call]
    currencies = []
    for currency in sorted({currency for _, currency in figures}):
        leaves = _leaves(figures, currency, order)
        if leaves:
            rows = _grouped(leaves)
            currencies.append(CurrencyBalance(currency, rows, _totals(rows, currency, label),
                                              len(leaves)))
    return TrialBalance(str(options_map.get("title") or ""), period, label, first, last,
                        currencies, closed_into)
