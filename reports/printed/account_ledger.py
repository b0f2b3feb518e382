"""The 三栏式明细账 (three-column subsidiary ledger) of one year, as 《会计基础工作规范》 keeps it.

For each account with a posting in the year or a balance at its start, in the chart's order (by
code; accounts outside the chart after the coded ones of their root, by name), one ledger per
currency of its amounts (a posting's weight: at cost or price when it has one), with the rows
月 | 日 | 凭证字号 | 摘要 | 借方 | 贷方 | 借或贷 | 余额:

- 上年结转: the balance at the year's start;
- one row per transaction that posts to the account (its postings to the account merged per
  side: a transaction that debits it 100 and credits it 30 shows 借 100 and 贷 30), in the books'
  order, with the running balance after it;
- after each month with postings, 本月合计 (the month's debits, credits, the balance at its end)
  and 本年累计 (the year's so far);
- 结转下年: the balance at the year's end (an account closed to nothing shows it at 平, so
  that every ledger's 结转下年 is the next year's 上年结转).

The balance is Beancount's, debit positive: 借或贷 says 借 for a debit balance, 贷 for a credit
balance and 平 for zero, and 余额 is its absolute value.

The books hold no closing entries (结转分录), so income and expense accounts open each year at
平, as a 民非 accountant's books do after the year-end 结转: the result of the years before is
carried, as Beancount's ``clamp`` carries it, in the net-assets account the books name in
``option "account_previous_earnings"`` (``Equity:3102-限定性净资产`` in the demo books), whose
上年结转 includes it. Within a year they run on from month to month.

A finished year (:func:`year_finished`: its last day is before the books' last transaction or
before today) is closed in the print as the accountant closes it on 12-31
(:func:`closing_transfers`): each income and expense account with a balance gets a row
结转本年收入 or 结转本年费用 bringing it to 平, and the previous-earnings account the two rows
that take the year's income and expenses in (one per currency each), all marked
（打印时生成，账簿中无此分录）: the books are not written. December's 本月合计 and the year's
本年累计 include them, so the year's 结转下年 equals the next year's 上年结转 on every account.
An unfinished year is printed as the books stand. The trial balance
(:mod:`reports.printed.trial_balance`) opens and closes the years the same way, so its totals
balance.

The computation is one pass over the transactions, then one over each account's rows.
"""

from __future__ import annotations

import datetime
import enum
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from beancount.core import account_types as account_types_lib
from beancount.core import data, flags
from beancount.parser import options

from ledger.model.chart import code_of
from ledger.model.postings import weight
from reports.printed.layout import account_names

ZERO = Decimal("0.00")
PADDING = "余额补差（pad，无记账凭证）"
GENERATED = "（打印时生成，账簿中无此分录）"
INCOME_CLOSED = "结转本年收入" + GENERATED
EXPENSES_CLOSED = "结转本年费用" + GENERATED
Key = tuple[str, str]  # account, currency
_DATED_VOUCHER = re.compile(r"(\D+?)[-_ ]?(\d{4})(\d{2})[-_ ]?(\d+)")


class RowKind(enum.Enum):
    """What a row of the ledger is; its value is the 摘要 the row prints."""

    OPENING = "上年结转"
    POSTING = ""
    TRANSFER = "年末结转"  # the row's own 摘要 says which: 结转本年收入 or 结转本年费用
    MONTH = "本月合计"
    YEAR = "本年累计"
    CLOSING = "结转下年"


def side_of(balance: Decimal) -> str:
    """借或贷 of a balance (debit positive): 借, 贷, or 平 for zero."""
    return "借" if balance > 0 else "贷" if balance < 0 else "平"


@dataclass(frozen=True)
class LedgerRow:
    """One printed row; ``balance`` is signed, debit positive."""

    kind: RowKind
    month: int | None
    day: int | None
    voucher: str
    summary: str
    debit: Decimal | None
    credit: Decimal | None
    balance: Decimal

    @property
    def side(self) -> str:
        return side_of(self.balance)

    @property
    def amount(self) -> Decimal:
        """余额 as printed: the balance's absolute value."""
        return abs(self.balance)


def split_account(account: str) -> tuple[str, str]:
    """总账科目 and 明细科目 of an account, as the printed vouchers name them
    (:func:`reports.printed.layout.account_names`): ``Assets:1002-银行存款:建设经费专户`` is
    (``1002 银行存款``, ``建设经费专户``)."""
    names = account_names(account)
    return names.general, names.detail


def first_level(account: str) -> str:
    """The 总账 (first-level) account: the root and its first component."""
    return ":".join(account.split(":")[:2])


def account_order(account_types: account_types_lib.AccountTypes,
                  ) -> Callable[[str], tuple[int, bool, str, str]]:
    """A sort key putting accounts in the chart's order: by root (Assets, Liabilities, Equity,
    Income, Expenses), then the chart code (coded accounts first), then the name."""
    def key(account: str) -> tuple[int, bool, str, str]:
        code = code_of(account)
        root_index = account_types_lib.get_account_sort_key(
            account_types, account)[0]
        return int(root_index), code is None, code or "", account
    return key


@dataclass(frozen=True)
class AccountLedger:
    """One account's ledger in one currency."""

    account: str
    currency: str
    rows: list[LedgerRow]

    @property
    def general(self) -> str:
        return split_account(self.account)[0]

    @property
    def detail(self) -> str:
        return split_account(self.account)[1]

    @property
    def opening(self) -> Decimal:
        return self.rows[0].balance

    @property
    def closing(self) -> Decimal:
        return self.rows[-1].balance


@dataclass(frozen=True)
class Ledgers:
    """The year's 明细账 of a unit."""

    unit: str
    year: int
    accounts: list[AccountLedger] = field(default_factory=list)
    closed: bool = False  # the year is finished and closed in the print


@dataclass(frozen=True)
class _Line:
    """A transaction's postings to one account, merged per side."""

    date: datetime.date
    voucher: str
    summary: str
    debit: Decimal
    credit: Decimal
    transfer: bool = False  # a closing row the print adds


@dataclass(frozen=True)
class Transfer:
    """A year-end closing amount (结转) the print adds to an account: ``amount`` signed, debit
    positive (an income account's credit balance is closed by a debit)."""

    account: str
    currency: str
    amount: Decimal
    summary: str


def voucher_label(voucher: str, date: datetime.date) -> str:
    """凭证字号 as the auditor reads it beside 月 and 日: ``记-201204-001`` dated in April 2012
    is ``记 1`` (记字第 1 号 of that month's bound vouchers); any other number is shown whole."""
    match = _DATED_VOUCHER.fullmatch(voucher.strip())
    if match and (int(match.group(2)), int(match.group(3))) == (date.year, date.month):
        return f"{match.group(1)} {int(match.group(4))}"
    return voucher.strip()


def summary_of(transaction: data.Transaction) -> str:
    """摘要: the narration, or the payee when there is none; tabs and line breaks are
    spaces. A ``pad`` Beancount inserted (it has no voucher) says so in Chinese."""
    if transaction.flag == flags.FLAG_PADDING:
        return PADDING
    return " ".join((transaction.narration or transaction.payee or "").split())


def previous_earnings(options_map: dict[str, Any]) -> str:
    """The account that carries the result of the years before (Beancount's option)."""
    account: str = options.get_previous_accounts(options_map)[0]  # type: ignore[no-untyped-call]
    return account


def is_result(account: str, account_types: account_types_lib.AccountTypes) -> bool:
    """An income or expense account, which opens each year at 平."""
    return bool(account_types_lib.is_income_statement_account(
        account, account_types))


def year_finished(transactions: Sequence[data.Transaction], year: int,
                  today: datetime.date) -> bool:
    """Whether ``year`` is over: its last day is before ``today`` or before the books' last
    transaction (``transactions`` in the books' order)."""
    end = datetime.date(year, 12, 31)
    return end < today or (bool(transactions) and end < transactions[-1].date)


def closing_transfers(year_end: Mapping[Key, Decimal], options_map: dict[str, Any],
                      ) -> list[Transfer]:
    """The year-end 结转 of the balances ``year_end``: each income and expense account with a
    balance closed to 平, and the previous-earnings account taking, per currency, the
    income's total in one row and the expenses' in another (the two sides of a
    结转 voucher). The transfers of each currency add up to nothing."""
    account_types = options.get_account_types(options_map)  # type: ignore[no-untyped-call]
    transfers: list[Transfer] = []
    totals: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for (account, currency), balance in sorted(year_end.items()):
        if not balance or not is_result(account, account_types):
            continue
        income = account_types_lib.get_account_type(account) == account_types.income
        summary = INCOME_CLOSED if income else EXPENSES_CLOSED
        transfers.append(Transfer(account, currency, -balance, summary))
        totals[summary, currency] += balance
    carried = previous_earnings(options_map)
    for summary in (INCOME_CLOSED, EXPENSES_CLOSED):
        transfers += [Transfer(carried, currency, total, summary)
                      for (each, currency), total in sorted(totals.items())
                      if each == summary and total]
    return transfers


def opening_balances(transactions: Iterable[data.Transaction], start: datetime.date,
                     options_map: dict[str, Any]) -> dict[Key, Decimal]:
    """Each account's balance at ``start`` (a year's first day), income and expense closed
    into the previous-earnings account (see the module's docstring)."""
    account_types = options.get_account_types(options_map)  # type: ignore[no-untyped-call]
    carried = previous_earnings(options_map)
    balances: dict[Key, Decimal] = defaultdict(lambda: ZERO)
    for transaction in transactions:
        if transaction.date >= start:
            break
        for posting in transaction.postings:
            weighed = weight(posting)
            if weighed is None:
                continue
            number, currency = weighed
            account = carried if is_result(posting.account, account_types) else posting.account
            balances[account, currency] += number
    return dict(balances)


def year_lines(transactions: Iterable[data.Transaction], year: int) -> dict[Key, list[_Line]]:
    """The year's lines of each account, in the books' order."""
    lines: dict[Key, list[_Line]] = defaultdict(list)
    for transaction in transactions:
        if transaction.date.year != year:
            continue
        merged: dict[Key, list[Decimal]] = {}
        for posting in transaction.postings:
            weighed = weight(posting)
            if weighed is None:
                continue
            number, currency = weighed
            sides = merged.setdefault((posting.account, currency), [ZERO, ZERO])
            sides[0 if number >= 0 else 1] += abs(number)
        voucher = str(transaction.meta.get("voucher") or "")
        for key, (debit, credit) in merged.items():
            lines[key].append(_Line(transaction.date, voucher_label(voucher, transaction.date),
                                    summary_of(transaction), debit, credit))
    return lines


def ledger_rows(opening: Decimal, lines: Sequence[_Line], year: int) -> list[LedgerRow]:
    """The rows of one account's ledger (see the module's docstring)."""
    balance = opening
    rows = [LedgerRow(RowKind.OPENING, 1, 1, "", RowKind.OPENING.value, None, None, balance)]
    year_debit = year_credit = ZERO
    index = 0
    while index < len(lines):
        month = lines[index].date.month
        month_debit = month_credit = ZERO
        while index < len(lines) and lines[index].date.month == month:
            line = lines[index]
            balance += line.debit - line.credit
            month_debit += line.debit
            month_credit += line.credit
            kind = RowKind.TRANSFER if line.transfer else RowKind.POSTING
            rows.append(LedgerRow(kind, month, line.date.day, line.voucher,
                                  line.summary, line.debit or None, line.credit or None,
                                  balance))
            index += 1
        year_debit += month_debit
        year_credit += month_credit
        rows.append(LedgerRow(RowKind.MONTH, month, None, "", RowKind.MONTH.value, month_debit,
                              month_credit, balance))
        rows.append(LedgerRow(RowKind.YEAR, month, None, "", RowKind.YEAR.value, year_debit,
                              year_credit, balance))
    rows.append(LedgerRow(RowKind.CLOSING, 12, 31, "", RowKind.CLOSING.value, None, None,
                          balance))
    return rows


def matcher(patterns: Sequence[str]) -> re.Pattern[str] | None:
    """One regular expression for the ``--account`` patterns (each searched anywhere in the
    full account name, case-insensitive: plain text is a substring); None for no pattern.
    ``re.error`` for a malformed one."""
    if not patterns:
        return None
    for pattern in patterns:
        re.compile(pattern)
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE)


def add_closing(lines: dict[Key, list[_Line]], openings: Mapping[Key, Decimal], year: int,
                options_map: dict[str, Any]) -> None:
    """Append the year-end 结转 (:func:`closing_transfers`) to ``lines``, dated 12-31."""
    year_end = {key: openings.get(key, ZERO) + sum((line.debit - line.credit
                                                    for line in each), ZERO)
                for key, each in lines.items()}
    day = datetime.date(year, 12, 31)
    for transfer in closing_transfers(year_end, options_map):
        lines.setdefault((transfer.account, transfer.currency), []).append(
            _Line(day, "", transfer.summary, max(transfer.amount, ZERO),
                  max(-transfer.amount, ZERO), transfer=True))


def account_ledgers(entries: Sequence[data.Directive], options_map: dict[str, Any], year: int,
                    patterns: Sequence[str] = (), *, today: datetime.date) -> Ledgers:
    """The year's 明细账: each account with a posting in ``year`` or a balance at its start,
    whose full name matches one of ``patterns`` (all when none), in the chart's order; closed
    at the year's end if the year is finished on ``today`` (see the module's docstring)."""
    transactions = [entry for entry in entries if isinstance(entry, data.Transaction)]
    openings = opening_balances(transactions, datetime.date(year, 1, 1), options_map)
    lines = year_lines(transactions, year)
    closed = year_finished(transactions, year, today)
    if closed:
        add_closing(lines, openings, year, options_map)
    wanted = matcher(patterns)
    keys = {key for key, amount in openings.items() if amount} | set(lines)
    if wanted is not None:
        keys = {key for key in keys if wanted.search(key[0])}
    order = account_order(options.get_account_types(options_map))  # type: ignore[no-untyped-call]
    ledgers = [AccountLedger(account, currency,
                             ledger_rows(openings.get((account, currency), ZERO),
                                         lines.get((account, currency), []), year))
               for account, currency in sorted(keys, key=lambda key: (order(key[0]), key[1]))]
    unit = str(options_map.get("title") or "")
    return Ledgers(unit, year, ledgers, closed)
