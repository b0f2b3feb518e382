"""Helpers for the voucher tests (no tests here): reading printed 记账凭证 back, and what
the books say they must hold, worked out here from the entries on their own (not by the
printing code): each voucher's rows per account and side, its totals and attachments.

Pages are read twice with poppler: ``pdftotext -layout`` for the header and 合计 lines, and
``pdftotext -bbox`` for the table, each word put in the column its position falls in, so a
科目 wrapped over several lines reads back whole.
"""

from __future__ import annotations

import datetime
import html
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data

from reports.printed.voucher_pdf import MARGIN, TABLE

MM = 72 / 25.4
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"(.*?)</word>")
_AMOUNT = re.compile(r"-?\d{1,3}(,\d{3})*\.\d{2}")
_SEPARATORS = re.compile(r"[,;，；、]")
EVIDENCE = ("invoice", "contract", "payroll", "receipt", "approval")


@dataclass(frozen=True)
class Word:
    x: float
    y: float
    right: float
    text: str


def page_words(pdf: Path) -> list[list[Word]]:
    """Every page's words with their positions (pdftotext -bbox)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext is missing: install Debian's poppler-utils (bash .ci/run does)")
    out = subprocess.run([tool, "-bbox", str(pdf), "-"], capture_output=True, check=True)
    pages = out.stdout.decode("utf-8").split("<page ")[1:]
    return [[Word(float(m[1]), float(m[2]), float(m[3]), html.unescape(m[5]))
             for m in _WORD.finditer(page)] for page in pages]


def _column(x: float) -> int:
    """The table column a word starting at ``x`` (pt) is in."""
    left = MARGIN * MM
    for index, column in enumerate(TABLE.columns):
        left += column.width * MM
        if x < left:
            return index
    return len(TABLE.columns) - 1


def table_rows(words: list[Word]) -> list[list[str]]:
    """The table's rows on a voucher page, each its five cells' text without spaces."""
    heading = next(word for word in words if word.text == "摘要")
    end = min(word.y for word in words
              if word.y > heading.y and (word.text.startswith("合计") or word.text == "续下页"))
    inside = sorted((word for word in words if heading.y + 5 < word.y < end - 2),
                    key=lambda word: (word.y, word.x))
    lines: list[list[Word]] = []
    for word in inside:
        if lines and abs(lines[-1][0].y - word.y) < 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    rows: list[list[list[Word]]] = []
    for line in lines:
        if not rows or any(_column(word.x) >= 3 and _AMOUNT.fullmatch(word.text)
                           for word in line):
            rows.append([[] for _ in TABLE.columns])
        for word in sorted(line, key=lambda word: word.x):
            rows[-1][_column(word.x)].append(word)
    return [["".join(word.text for word in cell) for cell in row] for row in rows]


@dataclass
class Expected:
    """A voucher as the entries say it must print."""

    voucher: str | None
    transactions: list[data.Transaction] = field(default_factory=list)

    @property
    def date(self) -> datetime.date:
        return min(transaction.date for transaction in self.transactions)

    def rows(self) -> list[tuple[str, str, str, Decimal, Decimal]]:
        """(总账, 明细, currency, debit, credit) per account and side: debits, then credits."""
        debits: dict[tuple[str, str], Decimal] = {}
        credits: dict[tuple[str, str], Decimal] = {}
        for transaction in self.transactions:
            for posting in transaction.postings:
                assert posting.units is not None and posting.units.number is not None
                number, currency = posting.units.number, posting.units.currency
                if posting.price is not None:
                    assert posting.price.number is not None
                    number *= posting.price.number
                    currency = posting.price.currency
                if number:
                    side = debits if number > 0 else credits
                    key = (posting.account, currency)
                    side[key] = side.get(key, Decimal(0)) + abs(number)
        rows = [(*names(account), currency, amount, Decimal(0))
                for (account, currency), amount in debits.items()]
        rows += [(*names(account), currency, Decimal(0), amount)
                 for (account, currency), amount in credits.items()]
        return rows

    def total(self, currency: str = "CNY") -> tuple[Decimal, Decimal]:
        rows = [row for row in self.rows() if row[2] == currency]
        return sum((row[3] for row in rows), Decimal(0)), sum((row[4] for row in rows),
                                                               Decimal(0))

    def attachments(self) -> int:
        given = [t.meta["attachments"] for t in self.transactions if "attachments" in t.meta]
        numbers = {(key, number.strip())
                   for transaction in self.transactions if "attachments" not in transaction.meta
                   for meta in (transaction.meta, *(p.meta or {} for p in transaction.postings))
                   for key in EVIDENCE if meta.get(key)
                   for number in _SEPARATORS.split(str(meta[key])) if number.strip()}
        return int(sum(given, Decimal(0))) + len(numbers)


def names(account: str) -> tuple[str, str]:
    """总账科目 and 明细科目 as a bookkeeper writes them."""
    parts = account.split(":")
    coded = re.fullmatch(r"(\d{4})-(.+)", parts[1])
    if coded:
        return f"{coded[1]} {coded[2]}", "—".join(parts[2:])
    return ":".join(parts[:2]), ":".join(parts[2:])


def expected_vouchers(entries: Iterable[data.Directive], year: int,
                      month: int) -> list[Expected]:
    """The month's vouchers: numbered ones by their number, then the unnumbered by date."""
    numbered: dict[str, Expected] = {}
    unnumbered: list[Expected] = []
    for entry in entries:
        if (not isinstance(entry, data.Transaction) or entry.flag == "P"
                or (entry.date.year, entry.date.month) != (year, month)):
            continue
        voucher = entry.meta.get("voucher")
        if voucher:
            numbered.setdefault(voucher, Expected(voucher)).transactions.append(entry)
        else:
            unnumbered.append(Expected(None, [entry]))
    order = sorted(numbered.values(),
                   key=lambda e: (int(re.findall(r"\d+", e.voucher or "")[-1]), e.voucher))
    return order + sorted(unnumbered, key=lambda e: e.date)


def cell_amount(amount: Decimal, currency: str = "CNY") -> str:
    if not amount:
        return ""
    text = f"{amount:,.2f}"
    return text if currency == "CNY" else f"{text}{currency}"


def row_cells(row: tuple[str, str, str, Decimal, Decimal]) -> list[str]:
    """The cells (without spaces) an expected row prints, 摘要 left out."""
    general, detail, currency, debit, credit = row
    return [general.replace(" ", ""), detail.replace(" ", ""), cell_amount(debit, currency),
            cell_amount(credit, currency)]
