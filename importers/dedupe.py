"""What an import would add that the books (or the inbox) already hold.

A statement line is already booked when a transaction on the same bank account carries the same
``bank-ref:``; failing that, when a transaction without a ``bank-ref:`` on that account has the
same date, amount and counterparty (its ``counterparty:``, else its payee; a line without a
counterparty matches on date and amount). Each booked transaction answers for one line only,
so two equal bank fees on one day are two lines. A ``balance`` on the same account and date is
already there; a payroll month is booked when a transaction with its ``payroll:`` charges the
gross salary account.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data

DUPLICATE = "__duplicate__"  # the metadata key beangulp marks duplicates with

LineKey = tuple[str, datetime.date, Decimal]


def counterparty_of(entry: data.Transaction) -> str:
    """Who is on the other side, spaces ignored."""
    return "".join(str(entry.meta.get("counterparty") or entry.payee or "").split())


@dataclass
class BookedLines:
    """The bank lines the books already hold, for one import."""

    refs: dict[tuple[str, str], data.Transaction] = field(default_factory=dict)
    unreferenced: dict[LineKey, list[data.Transaction]] = field(
        default_factory=lambda: defaultdict(list))
    balances: dict[tuple[str, datetime.date], data.Balance] = field(default_factory=dict)

    def add(self, entry: data.Directive, accounts: set[str]) -> None:
        if isinstance(entry, data.Balance) and entry.account in accounts:
            self.balances[entry.account, entry.date] = entry
        if not isinstance(entry, data.Transaction):
            return
        ref = entry.meta.get("bank-ref")
        for account, amount in _bank_amounts(entry, accounts).items():
            if ref:
                self.refs[account, str(ref)] = entry
            else:
                self.unreferenced[account, entry.date, amount].append(entry)

    def take(self, entry: data.Directive) -> data.Directive | None:
        """The booked entry an imported one repeats, used up so it answers for no other."""
        if isinstance(entry, data.Balance):
            return self.balances.get((entry.account, entry.date))
        if not isinstance(entry, data.Transaction) or not entry.postings:
            return None
        bank = entry.postings[0]
        ref = entry.meta.get("bank-ref")
        if ref and (bank.account, str(ref)) in self.refs:
            return self.refs[bank.account, str(ref)]
        assert bank.units is not None and bank.units.number is not None
        candidates = self.unreferenced.get((bank.account, entry.date, bank.units.number), [])
        wanted = counterparty_of(entry)
        found = next((booked for booked in candidates
                      if not wanted or counterparty_of(booked) == wanted), None)
        if found is not None:
            candidates.remove(found)
        return found


def _bank_amounts(entry: data.Transaction, accounts: set[str]) -> dict[str, Decimal]:
    amounts: dict[str, Decimal] = {}
    for posting in entry.postings:
        if posting.account in accounts and posting.units is not None:
            number = posting.units.number or Decimal(0)
            amounts[posting.account] = amounts.get(posting.account, Decimal(0)) + number
    return amounts


def mark_bank_duplicates(entries: data.Entries, existing: data.Entries) -> None:
    """Mark each imported statement entry the books already hold, as beangulp does."""
    accounts = {entry.postings[0].account for entry in entries
                if isinstance(entry, data.Transaction) and entry.postings}
    accounts |= {entry.account for entry in entries if isinstance(entry, data.Balance)}
    booked = BookedLines()
    for entry in existing:
        booked.add(entry, accounts)
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
