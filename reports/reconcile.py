"""银行存款余额调节表: each dedicated bank account's statement against its book.

The bank side is the month's statement (read as the importers read it) or, without one, the
``balance`` assertion for the first day of the next month, or the ``bank-balance`` figure
``funds import`` recorded for that day with the book items the statement had not shown
(:mod:`importers.outstanding`). An account at rest (a zero book balance, no movement in the
month, nothing carried: a fund's account after the fund ended) needs none: its bank side is
zero, "无发生额，余额为零". Statement lines dated in the month are
matched to the book's movements on the account from the start of the previous month to the end
of this one as the import matches them (:mod:`importers.clearing`): by ``bank-ref:`` with the
same amount first, then the earliest of the amount within ``MATCH_DAYS`` (or carried). What is
left are the outstanding items:

- 银行已收企业未收 / 银行已付企业未付: statement lines of the month with no book movement;
- 企业已收银行未收 / 企业已付银行未付: book movements of the month with no statement line.

企业账面余额 + 银行已收企业未收 − 银行已付企业未付 must equal
银行对账单余额 + 企业已收银行未收 − 企业已付银行未付.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from importers.clearing import Pool, around, take_clearing
from importers.outstanding import (
    BookMovement,
    listed_movements,
    movements_of,
    record_account,
    record_amount,
    recorded_items,
)
from importers.statement import StatementLine
from ledger.model.books import Books
from reports.month import Month

ZERO = Decimal("0.00")
BANK_RECEIVED = "银行已收企业未收"
BANK_PAID = "银行已付企业未付"
BOOK_RECEIVED = "企业已收银行未收"
BOOK_PAID = "企业已付银行未付"
ITEM_KINDS = (BANK_RECEIVED, BANK_PAID, BOOK_RECEIVED, BOOK_PAID)


Movement = BookMovement  # a book transaction's net amount on the bank account, as imports see it


@dataclass(frozen=True)
class Item:
    """One outstanding item; ``amount`` is positive."""

    kind: str
    date: datetime.date
    narration: str
    amount: Decimal


@dataclass
class Reconciliation:
    """One bank account's reconciliation at the month's end."""

    account: str
    fund: str
    book_balance: Decimal
    bank_balance: Decimal | None  # None: neither a statement nor a balance assertion
    source: str
    items: list[Item] = field(default_factory=list)

    def total(self, kind: str) -> Decimal:
        return sum((item.amount for item in self.items if item.kind == kind), ZERO)

    @property
    def adjusted_book(self) -> Decimal:
        return self.book_balance + self.total(BANK_RECEIVED) - self.total(BANK_PAID)

    @property
    def adjusted_bank(self) -> Decimal | None:
        if self.bank_balance is None:
            return None
        return self.bank_balance + self.total(BOOK_RECEIVED) - self.total(BOOK_PAID)

    @property
    def reconciled(self) -> bool:
        return self.adjusted_bank is not None and self.adjusted_bank == self.adjusted_book


def bank_accounts(books: Books) -> list[str]:
    """The dedicated bank accounts: a fund's Assets accounts that are not cash."""
    return sorted(account for account, fund in books.model.account_fund.items()
                  if fund in books.model.funds and books.is_assets(account)
                  and not books.is_cash(account))


def book_movements(books: Books, accounts: list[str], since: datetime.date,
                   until: datetime.date) -> dict[str, list[Movement]]:
    """Each account's net movement per transaction between two dates."""
    wanted = set(accounts)
    movements: dict[str, list[Movement]] = defaultdict(list)
    for transaction in books.transactions:
        if transaction.date > until:
            break
        if transaction.date >= since:
            for account, movement in movements_of(transaction, wanted):
                movements[account].append(movement)
    return movements


@dataclass
class Outstanding:
    """What may clear this month: the book's movements, and the items carried from last month."""

    book: list[Movement]  # the month's book movements on the account
    carried_book: list[Movement] = field(default_factory=list)  # booked, not yet at the bank
    carried_bank: list[Movement] = field(default_factory=list)  # at the bank, not yet booked
    earlier_book: list[Movement] = field(default_factory=list)  # last month's movements


def reconcile_with_statement(month: Month, reconciliation: Reconciliation,
                             pending: Outstanding, lines: list[StatementLine],
                             carried: bool) -> None:
    """Match the month's statement lines to the book; record what is outstanding.

    First, each carried bank item (the bank moved money the book had not) clears the earliest
    book movement of its amount dated from the item's date on: this month's, or last month's
    dated that very day (booked after last month's export). Then each statement line clears,
    in this order: a book movement of the month with its ``bank-ref:`` and amount within
    ``MATCH_DAYS``; else the earliest, of the month's book movements within ``MATCH_DAYS`` and
    the carried book items (a cheque written before the line), of its amount; else, only when
    nothing was carried from an export of last month, last month's movement of its amount.
    Lines dated before the month only clear carried book items (of a month exported without a
    statement). What is left on either side is outstanding.
    """
    book, carried_book = Pool(pending.book), Pool(pending.carried_book)
    earlier = Pool(pending.earlier_book)
    carried_bank = [item for item in pending.carried_bank
                    if not _clears_carried(item, book, earlier)]
    for line in sorted((line for line in lines if line.date < month.first),
                       key=lambda line: line.date):
        carried_book.take_earliest(line.amount)  # a gap month's item, now at the bank
    for line in sorted((line for line in lines if month.first <= line.date <= month.last),
                       key=lambda line: line.date):
        if not (take_clearing(book, line.ref, line.amount, line.date, carried_book)
                or (not carried and earlier.take_earliest(line.amount, *around(line.date)))):
            kind = BANK_RECEIVED if line.amount > 0 else BANK_PAID
            narration = " ".join(filter(None, (line.payee, line.narration)))
            reconciliation.items.append(Item(kind, line.date, narration, abs(line.amount)))
    for movement in (*book.left(), *carried_book.left()):
        _add_item(reconciliation, movement, BOOK_RECEIVED, BOOK_PAID)
    for movement in carried_bank:
        _add_item(reconciliation, movement, BANK_RECEIVED, BANK_PAID)
    reconciliation.items.sort(key=lambda item: (ITEM_KINDS.index(item.kind), item.date))


def carry_unchanged(reconciliation: Reconciliation, pending: Outstanding) -> None:
    """Without a statement nothing is known to clear: last month's items stay outstanding, and
    the month's own book movements join them, for the next statement to clear."""
    for movement in (*pending.carried_book, *pending.book):
        _add_item(reconciliation, movement, BOOK_RECEIVED, BOOK_PAID)
    for movement in pending.carried_bank:
        _add_item(reconciliation, movement, BANK_RECEIVED, BANK_PAID)


def _clears_carried(item: Movement, book: Pool[Movement], earlier: Pool[Movement]) -> bool:
    """Whether a book movement now answers a carried bank item (and is used up by it): the
    earliest of the month's dated from the item on, else last month's of that very day."""
    return bool(book.take_earliest(item.amount, since=item.date)
                or earlier.take_earliest(item.amount, item.date, item.date))


def _add_item(reconciliation: Reconciliation, movement: Movement, received: str,
              paid: str) -> None:
    kind = received if movement.amount > 0 else paid
    reconciliation.items.append(Item(kind, movement.date, movement.narration,
                                     abs(movement.amount)))


def statement_balance(month: Month, lines: list[StatementLine]) -> Decimal | None:
    """The bank's balance at the month's end: after the last line dated by then."""
    dated = [line for line in lines if line.date <= month.last and line.balance is not None]
    return dated[-1].balance if dated else None


def assertion_balances(entries: data.Directives, month: Month) -> dict[str, Decimal]:
    """The bank's balance on the first day after the month, per account, as a ``balance``
    asserts it (an import's ``custom "bank-balance"`` record is :func:`recorded_figures`)."""
    day = month.last + datetime.timedelta(days=1)
    return {entry.account: entry.amount.number for entry in entries
            if isinstance(entry, data.Balance) and entry.date == day
            and entry.amount.number is not None}


@dataclass(frozen=True)
class RecordedFigure:
    """The bank's figure an import kept for the first day after a month, with the book items
    the statement had not shown (date, signed amount, voucher)."""

    account: str
    balance: Decimal
    statement: str
    outstanding: list[tuple[datetime.date, Decimal, str]]


def recorded_figures(entries: data.Directives, month: Month) -> list[RecordedFigure]:
    """The ``bank-balance`` records dated the first day after the month."""
    day = month.last + datetime.timedelta(days=1)
    figures = []
    for entry in entries:
        account = record_account(entry) if entry.date == day else None
        if account is None:
            continue
        assert isinstance(entry, data.Custom)
        amount = record_amount(entry)
        if amount is not None and amount.number is not None:
            figures.append(RecordedFigure(account, amount.number,
                                          str(entry.meta.get("statement") or ""),
                                          recorded_items(entry)))
    return figures


def reconcile_with_figure(reconciliation: Reconciliation, pending: Outstanding,
                          figure: RecordedFigure) -> None:
    """Without a statement, the figure an import recorded is the bank side and its outstanding
    items are the book's: each named after the book movement of its date and amount (this
    month's or carried), else after its voucher."""
    reconciliation.bank_balance = figure.balance
    reconciliation.source = f"导入记录的银行余额（{figure.statement}）".replace("（）", "")
    movements = [*pending.book, *pending.carried_book, *pending.earlier_book]
    for (date, amount, voucher), found in zip(
            figure.outstanding, listed_movements(figure.outstanding, movements), strict=True):
        narration = found.narration if found is not None else voucher
        _add_item(reconciliation, Movement(date, amount, narration, "", voucher),
                  BOOK_RECEIVED, BOOK_PAID)
    reconciliation.items.sort(key=lambda item: (ITEM_KINDS.index(item.kind), item.date))


def describe_source(paths: list[Path]) -> str:
    return "对账单 " + "、".join(path.name for path in paths)
