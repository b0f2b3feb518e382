"""凭证号不连续 (voucher-sequence): a month's 记字 numbers skip, repeat or run against the dates.

《会计基础工作规范》 wants the vouchers of a month numbered in one unbroken sequence, in the order
they were made; a missing number is the first thing an auditor asks about (a voucher torn out),
a number used twice the second. Transactions are grouped by month (the month the voucher number
names, as in ``记-201210-007``, else the transaction's) and by the number's form (its text
around the number, read by :func:`importers.vouchers.parse_voucher`), and each group is judged
once every transaction has been seen:

- a gap: numbers missing between the month's smallest and highest (books may number the year
  through, ``记-2012-015``, or restart each month); ranges collapsed;
- a repeat: one number on two different transactions, both places named;
- backwards: a number dated earlier than a smaller number of the same month.

One finding per month, form and kind, at the first transaction concerned, naming the numbers.
Quiet: transactions without a ``voucher:`` (or one without digits, or not text: that is
``bad-evidence``), vouchers of one day in any order, numbers restarting each month.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from beancount.core import data

from importers.vouchers import Form, VoucherNumber, number_runs, parse_voucher
from ledger.model.books import Books
from ledger.model.findings import Finding, finding_at, source_of
from ledger.model.voucher import Voucher
from ledger.rules.rule import RuleCheck

_YEAR_MONTH = re.compile(r"(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])(?!\d)")
Month = tuple[int, int]


@dataclass
class _Sequence:
    """The numbered vouchers of one month and form, in date order."""

    month: Month
    form: Form
    width: int
    numbered: list[tuple[int, data.Transaction]] = field(default_factory=list)

    def shown(self, number: int) -> str:
        head, tail = self.form
        return f"{head}{number:0{self.width}d}{tail}"

    @property
    def label(self) -> str:
        return f"{self.month[0]:04d}-{self.month[1]:02d}"


def voucher_month(parsed: VoucherNumber, date: datetime.date) -> Month:
    """The month a voucher number names in its head (``记-201210-``), else the date's."""
    match = _YEAR_MONTH.search(parsed.head)
    return (int(match[1]), int(match[2])) if match else (date.year, date.month)


def _collapsed(sequence: _Sequence, numbers: list[int]) -> str:
    return "、".join(sequence.shown(first) if first == last
                    else f"{sequence.shown(first)}～{sequence.shown(last)}"
                    for first, last in number_runs(numbers))


def _gap(sequence: _Sequence, ordered: list[tuple[int, data.Transaction]]) -> Finding | None:
    present = {number for number, _ in ordered}
    missing = [number for number in range(ordered[0][0], ordered[-1][0]) if number not in present]
    if not missing:
        return None
    after = next(entry for number, entry in ordered if number > missing[0])
    shown = _collapsed(sequence, missing)
    return finding_at(
        "voucher-sequence", after,
        f"{sequence.label} 的记账凭证号不连续，缺 {shown} / the voucher numbers of "
        f"{sequence.label} skip: {shown} missing")


def _repeats(sequence: _Sequence,
             ordered: list[tuple[int, data.Transaction]]) -> Finding | None:
    places: dict[int, list[data.Transaction]] = defaultdict(list)
    for number, entry in ordered:
        places[number].append(entry)
    repeated = {number: entries for number, entries in places.items() if len(entries) > 1}
    if not repeated:
        return None
    named = "；".join(f"{sequence.shown(number)}（{'、'.join(map(source_of, entries))}）"
                     for number, entries in repeated.items())
    named_en = "; ".join(f"{sequence.shown(number)} ({', '.join(map(source_of, entries))})"
                         for number, entries in repeated.items())
    second = min((entries[1] for entries in repeated.values()), key=lambda e: e.date)
    return finding_at(
        "voucher-sequence", second,
        f"{sequence.label} 同一凭证号用于不同的交易：{named} / one voucher number on "
        f"different transactions in {sequence.label}: {named_en}")


def _backwards(sequence: _Sequence,
               ordered: list[tuple[int, data.Transaction]]) -> Finding | None:
    latest: tuple[int, data.Transaction] | None = None  # the latest-dated smaller number
    behind: list[tuple[int, data.Transaction, int, data.Transaction]] = []
    for index, (number, entry) in enumerate(ordered):
        if index and ordered[index - 1][0] == number:
            continue  # a repeated number: the repeat's finding, not a second one here
        if latest is not None and entry.date < latest[1].date:
            behind.append((number, entry, *latest))
        if latest is None or entry.date > latest[1].date:
            latest = (number, entry)
    if not behind:
        return None
    named = "；".join(f"{sequence.shown(number)}（{entry.date}）" f"在 {sequence.shown(before)}"
                     f"（{earlier.date}）之后" for number, entry, before, earlier in behind)
    named_en = "; ".join(f"{sequence.shown(number)} ({entry.date}) after "
                         f"{sequence.shown(before)} ({earlier.date})"
                         for number, entry, before, earlier in behind)
    first = min((entry for _, entry, _, _ in behind), key=lambda e: e.date)
    return finding_at(
        "voucher-sequence", first,
        f"{sequence.label} 的凭证号与日期顺序相反，编号在后的凭证日期反而更早：{named} / "
        f"voucher numbers of {sequence.label} run against the dates, a later number dated "
        f"earlier: {named_en}")


class VoucherSequence(RuleCheck):
    """Collect each month's numbered vouchers by form; judge each sequence at the end."""

    def __init__(self, books: Books) -> None:
        super().__init__(books)
        self.sequences: dict[tuple[Month, Form], _Sequence] = {}

    def visit(self, voucher: Voucher) -> None:
        transaction = voucher.transaction
        text = transaction.meta.get("voucher") if transaction.meta else None
        parsed = parse_voucher(text) if isinstance(text, str) else None
        if parsed is None:
            return
        month = voucher_month(parsed, transaction.date)
        key = (month, parsed.form)
        sequence = self.sequences.get(key)
        if sequence is None:
            sequence = self.sequences[key] = _Sequence(month, parsed.form, parsed.width)
        sequence.width = min(sequence.width, parsed.width)
        sequence.numbered.append((parsed.number, transaction))

    def findings(self) -> list[Finding]:
        for sequence in self.sequences.values():
            ordered = sorted(sequence.numbered, key=lambda pair: pair[0])  # stable: dates kept
            for judge in (_gap, _repeats, _backwards):
                found = judge(sequence, ordered)
                if found is not None:
                    self.found.append(found)
        return self.found
