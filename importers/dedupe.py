"""What an import would add that the books (or the inbox) already hold.

A statement line is already booked when a transaction on the same bank account with the same
date and amount carries the same ``bank-ref:`` (banks that number by day reuse references);
failing that, when a transaction without a ``bank-ref:`` on that account has the same date,
amount and counterparty (its ``counterparty:``, else its payee; a line without a counterparty
matches on date and amount); failing that, when it is the net pay of a payroll month booked from
the payroll sheet (a ``payroll:`` transaction charging the gross salary account, with the same
account and amount, dated within 20 days of the line; the nearest). Each booked
transaction answers for one line only, so two equal bank fees on one day are two lines. A
``balance`` on the same account and date is already there; a payroll month is booked when a
transaction with its ``payroll:`` charges the gross salary account.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data

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
    balances: dict[tuple[str, datetime.date], data.Balance] = field(default_factory=dict)

    def add(self, entry: data.Directive, accounts: set[str], gross_accounts: set[str]) -> None:
        if isinstance(entry, data.Balance) and entry.account in accounts:
            self.balances[entry.account, entry.date] = entry
        if not isinstance(entry, data.Transaction):
            return
        ref = entry.meta.get("bank-ref")
        pays_wages = bool(entry.meta.get("payroll")) and any(
            posting.account in gross_accounts for posting in entry.postings)
        for account, amount in net_per_account(entry, accounts).items():
            if ref:
                self.refs[account, str(ref), entry.date, amount] = entry
            elif pays_wages:
                self.payrolls[account, amount].append(entry)
            else:
                self.unreferenced[account, entry.date, amount].append(entry)

    def take(self, entry: data.Directive) -> data.Directive | None:
        """The booked entry an imported one repeats, used up so it answers for no other."""
        if isinstance(entry, data.Balance):
            return self.balances.get((entry.account, entry.date))
        if not isinstance(entry, data.Transaction) or not entry.postings:
            return None
        bank = entry.postings[0]
        assert bank.units is not None and bank.units.number is not None
        account, amount = bank.account, bank.units.number
        ref = entry.meta.get("bank-ref")
        if ref and (account, str(ref), entry.date, amount) in self.refs:
            return self.refs[account, str(ref), entry.date, amount]
        wanted = counterparty_of(entry)
        return (_take(self.unreferenced.get((account, entry.date, amount), []),
                      lambda booked: not wanted or counterparty_of(booked) == wanted)
                or _take_nearest(self.payrolls.get((account, amount), []), entry.date))


def _take_nearest(candidates: list[data.Transaction],
                  date: datetime.date) -> data.Transaction | None:
    """The candidate dated nearest ``date`` within the payroll window, removed from the list."""
    near = [booked for booked in candidates if abs(booked.date - date) <= PAYROLL_WINDOW]
    found = min(near, key=lambda booked: abs(booked.date - date), default=None)
    if found is not None:
        candidates.remove(found)
    return found


def _take(candidates: list[data.Transaction],
          fits: Callable[[data.Transaction], bool]) -> data.Transaction | None:
    """The first candidate that fits, removed from the list."""
    found = next((booked for booked in candidates if fits(booked)), None)
    if found is not None:
        candidates.remove(found)
    return found


def mark_bank_duplicates(entries: data.Entries, existing: data.Entries,
                         gross_accounts: set[str]) -> None:
    """Mark each imported statement entry the books already hold, as beangulp does;
    ``gross_accounts`` are the salary expenses a payroll month charges."""
    accounts = {entry.postings[0].account for entry in entries
                if isinstance(entry, data.Transaction) and entry.postings}
    accounts |= {entry.account for entry in entries if isinstance(entry, data.Balance)}
    booked = BookedLines()
    for entry in existing:
        booked.add(entry, accounts, gross_accounts)
    for entry in entries:
        found = booked.take(entry)
        if found is not None:
            entry.meta[DUPLICATE] = found


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
