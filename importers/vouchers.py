"""Voucher numbers (凭证号) for imported transactions, continuing each month's 记字 sequence.

A month's vouchers in the books (and the inbox, and the lines numbered before in this import)
are read as a head, a number and a tail: ``记-201301-012`` is ``记-201301-`` 12 ``""``. The
form most used that month (head and tail; the higher numbers on a tie) is continued from its
highest number, at least as wide as its narrowest number (zero-padding kept): books numbering
``记字第9号`` go on with ``记字第10号``, ``记-201301-999`` with ``记-201301-1000``. A month with no
voucher yet starts at ``记-YYYYMM-001`` (a four-digit year), the demo books' form. A
transaction that already carries a ``voucher:`` keeps it.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from beancount.core import data

_NUMBERED = re.compile(r"(.*?)(\d+)(\D*)")
Form = tuple[str, str]  # head, tail


class VoucherNumber(NamedTuple):
    """A voucher number read apart: ``记-201301-012`` is head ``记-201301-``, number 12 written
    3 digits wide, tail ``""``; ``记字第9号`` is ``记字第``, 9 (1 digit), ``号``."""

    head: str
    number: int
    width: int
    tail: str

    @property
    def form(self) -> Form:
        return self.head, self.tail


def parse_voucher(voucher: str) -> VoucherNumber | None:
    """The voucher number read apart at its last run of digits; None if it has no digits."""
    match = _NUMBERED.fullmatch(voucher.strip())
    if match is None:
        return None
    head, number, tail = match.groups()
    return VoucherNumber(head, int(number), len(number), tail)


def number_runs(numbers: Sequence[int]) -> Iterator[tuple[int, int]]:
    """Sorted voucher numbers as runs of consecutive numbers, each its first and last:
    3, 4, 5, 7 are (3, 5) and (7, 7)."""
    if not numbers:
        return
    start = previous = numbers[0]
    for number in numbers[1:]:
        if number != previous + 1:
            yield start, previous
            start = number
        previous = number
    yield start, previous


def _month(date: datetime.date) -> tuple[int, int]:
    return date.year, date.month


class VoucherBook:
    """The vouchers used in each month, and the next number of each month's form."""

    def __init__(self, entries: Iterable[data.Directive]) -> None:
        self.used: dict[tuple[int, int], Counter[Form]] = defaultdict(Counter)
        self.highest: dict[tuple[tuple[int, int], Form], int] = {}
        self.width: dict[tuple[tuple[int, int], Form], int] = {}
        for entry in entries:
            voucher = entry.meta.get("voucher") if isinstance(entry, data.Transaction) else None
            if isinstance(voucher, str):
                self._note(entry.date, voucher)

    def _note(self, date: datetime.date, voucher: str) -> None:
        parsed = parse_voucher(voucher)
        if parsed is None:
            return
        form, width = parsed.form, parsed.width
        month = _month(date)
        self.used[month][form] += 1
        self.highest[month, form] = max(self.highest.get((month, form), 0), parsed.number)
        self.width[month, form] = min(self.width.get((month, form), width), width)

    def next_for(self, date: datetime.date) -> str:
        """The next voucher number of the date's month, noted as used."""
        month = _month(date)
        forms = self.used[month]
        if forms:
            form = max(forms, key=lambda form: (forms[form], self.highest[month, form]))
        else:
            form = (f"记-{date.year:04d}{date.month:02d}-", "")
        head, tail = form
        width = self.width.get((month, form), 3)
        voucher = f"{head}{self.highest.get((month, form), 0) + 1:0{width}d}{tail}"
        self._note(date, voucher)
        return voucher


def number_vouchers(entries: data.Entries, vouchers: VoucherBook) -> None:
    """Give each transaction without a ``voucher:`` the next number of its month, in date
    order (the file's order within a day)."""
    unnumbered = [entry for entry in entries if isinstance(entry, data.Transaction)
                  and not entry.meta.get("voucher")]
    for entry in sorted(unnumbered, key=lambda entry: entry.date):
        entry.meta["voucher"] = vouchers.next_for(entry.date)
