"""Input dated before the books' accounts open: a typo in the year (2003 for 2013, 0001).

Beancount refuses a posting to an account before its ``open``, so an import dated before the
accounts it posts to would break the books; it is refused instead, naming the likely year.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from beancount.core import data


def opening_dates(entries: Iterable[data.Directive]) -> dict[str, datetime.date]:
    """The day each account of the entries opens."""
    return {entry.account: entry.date for entry in entries if isinstance(entry, data.Open)}


def not_yet_open(opened: dict[str, datetime.date], accounts: Iterable[str],
                 date: datetime.date) -> tuple[str, datetime.date] | None:
    """The first of the accounts (of those the books open) that opens after the date, and
    when."""
    return next(((account, opened[account]) for account in accounts
                 if account in opened and date < opened[account]), None)


def likely_year(year: int, years: set[int]) -> int | None:
    """The year a mistyped one was meant to be: two neighbouring digits swapped giving one of
    ``years``, else one digit changed, else the latest of them."""
    text = f"{year:04d}"
    swapped = {int(text[:i] + text[i + 1] + text[i] + text[i + 2:]) for i in range(3)}
    changed = {int(text[:i] + digit + text[i + 1:]) for i in range(4) for digit in "0123456789"}
    return max(swapped & years, default=max(changed & years, default=max(years, default=None)))


def book_years(entries: Iterable[data.Directive], since: datetime.date) -> set[int]:
    """The years of the transactions dated from ``since`` on."""
    return {entry.date.year for entry in entries
            if isinstance(entry, data.Transaction) and entry.date >= since}


def year_hint(likely: int | None) -> str:
    """The words naming the likely year of a mistyped date, if there is one."""
    return "" if likely is None else f"；年份可能应为 {likely} / the year is likely {likely}"
