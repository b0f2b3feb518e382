"""What an import would add that the books (or the inbox) already hold.

Statement lines are matched to the books' transactions on the same bank account, each booked
transaction answering for one line only (two equal bank fees on one day are two lines):

1. the same date and amount and the same ``bank-ref:`` (banks that number by day reuse
   references); else, without a ``bank-ref:``, the same date, amount and counterparty (its
   ``counterparty:``, else its payee; a line without a counterparty matches on date and amount);
2. then, for the lines left: the only transaction left of the same date and amount, whatever its
   payee (a hand-entered payee is not the bank's 对方户名); else the net pay of a payroll month
   booked from the payroll sheet (a ``payroll:`` transaction charging the gross salary account,
   same account and amount, dated within 20 days of the line; the nearest);
3. then a book item the bank had not yet shown and this line clears, as the monthly
   reconciliation matches them (:mod:`importers.clearing`: ``bank-ref:`` first, else the earliest
   of the amount within 31 days, or of any age if carried). The previous closing (the latest
   ``balance`` or ``bank-balance`` dated by the day after the statement's end) splits the
   movements: a line dated before it, of a statement overlapping the previous one, clears only
   a movement that statement cleared too; a line from it on clears an item it left outstanding
   (listed by its ``bank-balance`` record, see :mod:`importers.outstanding`: carried, whatever
   its age), a movement of the statement's period, or one booked since that closing without a
   ``bank-ref:``.

The items still outstanding ride on the closing ``balance`` for :mod:`importers.outstanding`. A
``balance`` or ``bank-balance`` on the same account and date is already there; a payroll month is
booked when a transaction with its ``payroll:`` charges the gross salary account.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data

from importers.clearing import Pool, take_clearing
from importers.outstanding import (
    OUTSTANDING,
    PREVIOUS_CLOSING,
    STATEMENT_START,
    BookMovement,
    listed_movements,
    movement,
    record_account,
    recorded_items,
)
from ledger.model.postings import net_per_account

DUPLICATE = "__duplicate__"  # the metadata key beangulp marks duplicates with

LineKey = tuple[str, datetime.date, Decimal]
PAYROLL_WINDOW = datetime.timedelta(days=20)  # pay day to the payroll month's last day


def counterparty_of(entry: data.Transaction) -> str:
    """Who is on the other side, spaces ignored."""
    return "".join(str(entry.meta.get("counterparty") or entry.payee or "").split())


@dataclass
class BookedLines:
    """The bank lines the books already hold, for one import."""

    refs: dict[tuple[str, str, datetime.date, Decimal], data.Transaction] = field(
        default_factory=dict)
    unreferenced: dict[LineKey, list[data.Transaction]] = field(
        default_factory=lambda: defaultdict(list))
    payrolls: dict[tuple[str, Decimal], list[data.Transaction]] = field(
        default_factory=lambda: defaultdict(list))
    closings: dict[tuple[str, datetime.date], data.Directive] = field(default_factory=dict)
    taken: set[int] = field(default_factory=set)
    history: dict[str, list[data.Directive]] = field(
        default_factory=lambda: defaultdict(list))  # each account's closings, in book order
    movements: dict[str, list[tuple[data.Transaction, BookMovement]]] = field(
        default_factory=lambda: defaultdict(list))  # each account's book movements

    def add(self, entry: data.Directive, accounts: set[str], gross_accounts: set[str]) -> None:
        closing_account = entry.account if isinstance(entry, data.Balance) else (
            record_account(entry))
        if closing_account in accounts:
            self.closings[closing_account, entry.date] = entry
            self.history[closing_account].append(entry)
        if not isinstance(entry, data.Transaction):
            return
        ref = entry.meta.get("bank-ref")
        pays_wages = bool(entry.meta.get("payroll")) and any(
            posting.account in gross_accounts for posting in entry.postings)
        for account, amount in net_per_account(entry, accounts).items():
            if amount:
                self.movements[account].append((entry, movement(entry, amount)))
            if ref:
                self.refs[account, str(ref), entry.date, amount] = entry
            elif pays_wages:
                self.payrolls[account, amount].append(entry)
            else:
                self.unreferenced[account, entry.date, amount].append(entry)

    def take_same(self, entry: data.Directive) -> data.Directive | None:
        """The booked entry an imported one repeats exactly, used up so it answers for no
        other."""
        if isinstance(entry, data.Balance):
            return self.closings.get((entry.account, entry.date))
        line = _line_key(entry)
        if line is None:
            return None
        account, amount = line
        assert isinstance(entry, data.Transaction)
        ref = entry.meta.get("bank-ref")
        key = (account, str(ref), entry.date, amount)
        if ref and key in self.refs and id(self.refs[key]) not in self.taken:
            return self._taken(self.refs[key])
        wanted = counterparty_of(entry)
        candidates = self.unreferenced.get((account, entry.date, amount), [])
        found = next((booked for booked in candidates
                      if not wanted or counterparty_of(booked) == wanted), None)
        return self._taken(found, candidates)

    def take_alike(self, entry: data.Directive) -> data.Directive | None:
        """For a line left: the only booked transaction of its date and amount, else the
        nearest payroll of its amount."""
        line = _line_key(entry)
        if line is None:
            return None
        account, amount = line
        candidates = self.unreferenced.get((account, entry.date, amount), [])
        if len(candidates) == 1:
            return self._taken(candidates[0], candidates)
        payrolls = self.payrolls.get((account, amount), [])
        near = [booked for booked in payrolls if abs(booked.date - entry.date) <= PAYROLL_WINDOW]
        nearest = min(near, key=lambda booked: abs(booked.date - entry.date), default=None)
        return self._taken(nearest, payrolls)

    def _taken(self, found: data.Transaction | None,
               pool: list[data.Transaction] | None = None) -> data.Transaction | None:
        if found is not None:
            self.taken.add(id(found))
            if pool is not None:
                pool.remove(found)
        return found


def _line_key(entry: data.Directive) -> tuple[str, Decimal] | None:
    if not isinstance(entry, data.Transaction) or not entry.postings:
        return None
    bank = entry.postings[0]
    assert bank.units is not None and bank.units.number is not None
    return bank.account, bank.units.number


def _period(entries: data.Entries) -> tuple[datetime.date, datetime.date] | None:
    """The days the statement covers: from its closing ``balance``, else its lines."""
    closing = next((entry for entry in entries if isinstance(entry, data.Balance)
                    and STATEMENT_START in entry.meta), None)
    if closing is not None:
        return closing.meta[STATEMENT_START], closing.date - datetime.timedelta(days=1)
    dates = [entry.date for entry in entries if isinstance(entry, data.Transaction)]
    return (min(dates), max(dates)) if dates else None


def previous_closing(closings: list[data.Directive],
                     end: datetime.date) -> data.Directive | None:
    """The closing an import of a statement ending on ``end`` follows: of an account's
    ``balance`` and ``bank-balance`` entries, the latest dated by the day after ``end`` (one
    inside the statement's period is of an earlier, overlapping statement; on a day, the
    record, which lists the outstanding items)."""
    last = end + datetime.timedelta(days=1) if end < datetime.date.max else end
    return max((entry for entry in closings if entry.date <= last),
               key=lambda entry: (entry.date, isinstance(entry, data.Custom)), default=None)


@dataclass
class _Pools:
    """An account's book movements a statement's lines may clear, split at the previous
    closing: before it, those its statement cleared (only a line of before it, from an
    overlapping statement, meets one again); from it on, the items it listed as outstanding
    (carried, of any age) and the movements since, or since the statement's start."""

    since: datetime.date | None
    before: Pool[BookMovement]
    carried: Pool[BookMovement]
    recent: Pool[BookMovement]

    def take(self, ref: str, amount: Decimal, date: datetime.date) -> BookMovement | None:
        if self.since is not None and date < self.since:
            return take_clearing(self.before, ref, amount, date)
        return take_clearing(self.recent, ref, amount, date, self.carried)

    def outstanding(self) -> list[BookMovement]:
        return sorted((*self.carried.left(), *self.recent.left()), key=lambda move: move.date)


def _pools(closings: list[data.Directive], start: datetime.date, end: datetime.date,
           movements: list[BookMovement]) -> _Pools:
    """The movements a statement of ``start`` to ``end`` may clear on the account: after the
    previous closing, those it listed, those of the statement's period, and those booked since
    it without a ``bank-ref:`` (one with it came from the bank); before it, those it did not
    list."""
    closing = previous_closing(closings, end)
    if closing is None:
        return _Pools(None, Pool([]), Pool([]), Pool(move for move in movements
                                                     if move.date >= start))
    items = recorded_items(closing) if isinstance(closing, data.Custom) else []
    listed = {id(move) for move in listed_movements(items, movements) if move is not None}
    before, carried, recent = [], [], []
    for move in movements:
        if id(move) in listed:
            carried.append(move)
        elif move.date < closing.date:
            before.append(move)
        elif move.date >= start or not move.ref:
            recent.append(move)
    return _Pools(closing.date, Pool(before), Pool(carried), Pool(recent))


def _clear_outstanding(entries: data.Entries, booked: BookedLines, accounts: set[str]) -> None:
    """Match the lines left to book items the bank had not shown; the items still outstanding,
    and the date of the previous closing, go onto the closing ``balance``."""
    period = _period(entries)
    if period is None:
        return
    start, end = period
    moves = {account: [(entry, move) for entry, move in booked.movements.get(account, [])
                       if id(entry) not in booked.taken and move.date <= end]
             for account in accounts}
    owner = {id(move): entry for pairs in moves.values() for entry, move in pairs}
    pools = {account: _pools(booked.history.get(account, []), start, end,
                             sorted((move for _, move in moves[account]),
                                    key=lambda move: move.date))
             for account in accounts}
    lines = sorted(((entry, key) for entry in entries if DUPLICATE not in entry.meta
                    and (key := _line_key(entry)) is not None), key=lambda line: line[0].date)
    for line, (account, amount) in lines:  # every line's account is among ``accounts``
        found = pools[account].take(str(line.meta.get("bank-ref") or ""), amount, line.date)
        if found is not None:
            line.meta[DUPLICATE] = owner[id(found)]
    for closing in entries:
        if isinstance(closing, data.Balance) and DUPLICATE not in closing.meta:
            closing.meta[OUTSTANDING] = pools[closing.account].outstanding()
            closing.meta[PREVIOUS_CLOSING] = pools[closing.account].since


def mark_bank_duplicates(entries: data.Entries, existing: data.Entries,
                         gross_accounts: set[str]) -> None:
    """Mark each imported statement entry the books already hold, as beangulp does, and put
    the book items still outstanding on the closing ``balance``; ``gross_accounts`` are the
    salary expenses a payroll month charges."""
    accounts = {entry.postings[0].account for entry in entries
                if isinstance(entry, data.Transaction) and entry.postings}
    accounts |= {entry.account for entry in entries if isinstance(entry, data.Balance)}
    booked = BookedLines()
    for entry in existing:
        booked.add(entry, accounts, gross_accounts)
    for take in (booked.take_same, booked.take_alike):
        for entry in entries:
            if DUPLICATE not in entry.meta:
                found = take(entry)
                if found is not None:
                    entry.meta[DUPLICATE] = found
    _clear_outstanding(entries, booked, accounts)


def mark_payroll_duplicates(entries: data.Entries, existing: data.Entries) -> None:
    """Mark an imported payroll month the books already book on its gross salary account."""
    booked = {(str(entry.meta.get("payroll")), posting.account): entry
              for entry in existing if isinstance(entry, data.Transaction)
              and entry.meta.get("payroll") for posting in entry.postings}
    for entry in entries:
        if isinstance(entry, data.Transaction) and entry.postings:
            key = (str(entry.meta.get("payroll")), entry.postings[0].account)
            if key in booked:
                entry.meta[DUPLICATE] = booked[key]
