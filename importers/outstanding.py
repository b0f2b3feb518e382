"""The statement's closing balance against the books: outstanding items (未达账项) or a refusal.

After an import, the bank account as the books would stand (books, inbox and the new lines) is
compared with the statement's closing balance. The difference is allowed only where book
movements the statement did not show explain it exactly: 企业已付银行未付 and 企业已收银行未收,
the movements of the statement's period, or left outstanding by the previous import, that no
statement line cleared (:mod:`importers.dedupe` matches lines to them as the monthly
reconciliation does, :mod:`importers.clearing`).

- No difference: the closing ``balance`` assertion is written, as it holds.
- Explained: no ``balance`` (it would fail); the bank's figure is kept instead as

      2013-02-01 custom "bank-balance" Assets:1002-银行存款:社工薪酬专户 38500.00 CNY
        statement: "对账单-2013-01.csv"
        outstanding: "2013-01-30 -1500.00 记-201301-012"

  dated like the ``balance`` would be, listing the outstanding book items (date, signed amount
  on the account, voucher; several separated by ``; ``). The monthly reconciliation takes it as
  the bank side, and the next import knows which book items may still clear.
- Unexplained: refused, naming the statement lines and book items that may be involved.
"""

from __future__ import annotations

import datetime
from collections import defaultdict, deque
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from beancount.core import account as account_type
from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser.grammar import ValueType

from ledger.model.findings import custom_values
from ledger.model.postings import net_per_account

BANK_BALANCE = "bank-balance"
OUTSTANDING = "__outstanding__"  # on a closing balance: the book items no line cleared
STATEMENT_START = "__statement_start__"  # on a closing balance: the first day it covers
PREVIOUS_CLOSING = "__previous_closing__"  # on a closing balance: the date of the one before
SPLIT_WINDOW = datetime.timedelta(days=31)
_SHOWN = 10  # candidates named in a refusal, per kind


@dataclass(frozen=True, eq=False)
class BookMovement:
    """A book transaction's net amount on a bank account (each one itself: equal fields are
    two movements)."""

    date: datetime.date
    amount: Decimal
    narration: str
    ref: str
    voucher: str
    where: str = field(default="", compare=False)

    @property
    def kind(self) -> str:
        return "企业已收银行未收" if self.amount > 0 else "企业已付银行未付"

    def describe(self) -> str:
        """``2013-01-30 记-201301-012 1,500.00 揭阳市社工协会 督导费``: the amount unsigned, as
        the 调节表 lists it under its kind."""
        voucher = f" {self.voucher}" if self.voucher else ""
        return f"{self.date}{voucher} {abs(self.amount):,.2f} {self.narration}".rstrip()


def movement(entry: data.Transaction, amount: Decimal) -> BookMovement:
    meta = entry.meta
    narration = " ".join(filter(None, (entry.payee, entry.narration)))
    where = f"{meta.get('filename')}:{meta.get('lineno')}"
    return BookMovement(entry.date, amount, narration, str(meta.get("bank-ref") or ""),
                        str(meta.get("voucher") or ""), where)


def movements_of(entry: data.Transaction, accounts: set[str]) -> list[tuple[str, BookMovement]]:
    """The transaction's net movement on each of these accounts it moves money on."""
    return [(account, movement(entry, amount))
            for account, amount in net_per_account(entry, accounts).items() if amount]


def listed_movements(items: list[tuple[datetime.date, Decimal, str]],
                     movements: list[BookMovement]) -> list[BookMovement | None]:
    """For each item a ``bank-balance`` record lists, the book movement of its date and
    amount (the first of them in ``movements``), each movement answering for one item."""
    waiting: dict[tuple[datetime.date, Decimal], deque[BookMovement]] = defaultdict(deque)
    for move in movements:
        waiting[move.date, move.amount].append(move)
    return [pool.popleft() if (pool := waiting.get((date, amount))) else None
            for date, amount, _ in items]


def recorded_items(record: data.Custom) -> list[tuple[datetime.date, Decimal, str]]:
    """The outstanding items a ``bank-balance`` record lists: date, amount, voucher."""
    items = []
    for text in str(record.meta.get("outstanding") or "").split(";"):
        parts = text.split(maxsplit=2)
        if len(parts) < 2:
            continue
        try:
            items.append((datetime.date.fromisoformat(parts[0]), Decimal(parts[1]),
                          parts[2] if len(parts) > 2 else ""))
        except (ArithmeticError, ValueError):
            continue
    return items


def record_account(entry: data.Directive) -> str | None:
    """The account of a ``bank-balance`` record, None for any other entry."""
    if (isinstance(entry, data.Custom) and entry.type == BANK_BALANCE and entry.values
            and entry.values[0].dtype is account_type.TYPE):
        return str(entry.values[0].value)
    return None


def record_amount(entry: data.Custom) -> Amount | None:
    """The bank's figure a ``bank-balance`` record keeps, None if it has none."""
    values = custom_values(entry)
    value = values[1] if len(values) > 1 else None
    return value if isinstance(value, Amount) else None


@dataclass
class Settled:
    """A statement's closing: the entries to write, the outstanding items, or a refusal."""

    entries: data.Entries
    outstanding: list[BookMovement] = field(default_factory=list)
    problem: str | None = None


def settle_closing(path: Path, new: data.Entries, existing: data.Entries,
                   suspense: str) -> Settled:
    """The new entries of one statement with its closing settled against the books: the
    ``balance`` kept where it holds, a ``bank-balance`` record where outstanding items explain
    the difference, else a refusal naming what may be involved. ``existing`` holds the books
    and the inbox, not yet these entries; ``suspense`` is where unclassified lines went."""
    closing = next((entry for entry in new if isinstance(entry, data.Balance)), None)
    if closing is None:
        return Settled(new)
    account, currency = closing.account, closing.amount.currency
    stated = closing.amount.number or Decimal(0)
    booked = Decimal(0)
    for entry in (*existing, *new):
        if isinstance(entry, data.Transaction) and entry.date < closing.date:
            booked += _net(entry, account, currency)
    items: list[BookMovement] = list(closing.meta.pop(OUTSTANDING, None) or [])
    previous = closing.meta.pop(PREVIOUS_CLOSING, None)
    explained = sum((item.amount for item in items), Decimal(0))
    lines = [entry for entry in new if isinstance(entry, data.Transaction)]
    split = _split_items(items, lines, account, currency, suspense)
    if booked - stated == explained and not split:
        if not items:
            return Settled(new)
        return Settled([_record(path, closing, items) if entry is closing else entry
                        for entry in new], items)
    problem = _refusal(path, closing, booked, explained, items, lines, split)
    return Settled(new, items, _missing(path, closing, previous) + problem)


def _missing(path: Path, closing: data.Balance, previous: datetime.date | None) -> str:
    """The sentence for a statement that starts after the day after the previous closing: the
    statements between are missing (their lines would clear the items it names)."""
    start = closing.meta.get(STATEMENT_START)
    if (previous is None or not isinstance(start, datetime.date)
            or start <= previous + datetime.timedelta(days=1)):
        return ""
    before = start - datetime.timedelta(days=1)
    return (f"{path}：上次对账的余额记于 {previous}，本对账单自 {start} 起：{previous} 至 {before} "
            f"的对账单尚未导入，请先按时间顺序导入 / the previous closing is dated {previous} and "
            f"this statement starts on {start}: the statements of {previous} to {before} are "
            "missing; import them first, in date order\n")


def _net(entry: data.Transaction, account: str, currency: str) -> Decimal:
    return sum((posting.units.number or Decimal(0) for posting in entry.postings
                if posting.account == account and posting.units is not None
                and posting.units.currency == currency), Decimal(0))


def _record(path: Path, closing: data.Balance, items: list[BookMovement]) -> data.Custom:
    meta = data.new_metadata(str(path), closing.meta.get("lineno", 0), {
        "statement": path.name,
        "outstanding": "; ".join(f"{item.date} {item.amount} {item.voucher}".rstrip()
                                 for item in items)})
    return data.Custom(meta, closing.date, BANK_BALANCE,
                       [ValueType(closing.account, account_type.TYPE),  # type: ignore[arg-type]
                        ValueType(closing.amount, Amount)])


def _split_items(items: list[BookMovement], lines: list[data.Transaction], account: str,
                 currency: str, suspense: str) -> list[tuple[BookMovement, list[data.Transaction]]]:
    """Outstanding items that unclassified new lines of one day add up to: the same money in
    pieces (pay per person against a payroll booked in one sum), which the books would count
    twice."""
    by_day: dict[tuple[datetime.date, bool], list[data.Transaction]] = defaultdict(list)
    for line in lines:
        if line.postings[-1].account == suspense:
            by_day[line.date, _net(line, account, currency) > 0].append(line)
    split = []
    for item in items:
        for (day, into), pieces in by_day.items():
            if (len(pieces) > 1 and into == (item.amount > 0)
                    and abs(day - item.date) <= SPLIT_WINDOW
                    and sum(_net(line, account, currency) for line in pieces) == item.amount):
                split.append((item, pieces))
                break
    return split


def _refusal(path: Path, closing: data.Balance, booked: Decimal, explained: Decimal,
             items: list[BookMovement], lines: list[data.Transaction],
             split: list[tuple[BookMovement, list[data.Transaction]]]) -> str:
    account, currency = closing.account, closing.amount.currency
    stated = closing.amount.number or Decimal(0)
    difference = booked - stated
    unexplained = difference - explained
    text = [f"{path}：导入后 {account} 于 {closing.date} 的账面余额 {booked}，对账单为 {stated}，"
            f"相差 {difference} {currency}"]
    if items:
        text[0] += f"，其中未达账项合计 {explained}，余 {unexplained} 无法解释"
    text[0] += (f"（流水重复或遗漏，或账簿中有银行未入账的款项） / after the import the books hold "
                f"{booked} on {account} at {closing.date}, the statement says {stated}; "
                f"{unexplained} is not explained by outstanding book items")
    for item, pieces in split:
        text.append(f"  对账单 {len(pieces)} 笔未分类流水合计 {abs(item.amount):,.2f}，与账簿条目 "
                    f"{item.where} {item.describe()}（{item.kind}）相同：同一笔款会记两次 / "
                    f"{len(pieces)} unclassified lines add up to this book item: the money "
                    "would count twice")
    exact = [line for line in lines if abs(_net(line, account, currency)) == abs(unexplained)]
    close = [item for item in items if abs(item.amount) == abs(unexplained)]
    for line in (exact or lines)[:_SHOWN]:
        text.append(f"  可能有关的对账单流水 / statement line: 第 {line.meta.get('lineno')} 行 "
                    f"{line.date} {line.payee or ''} {line.narration} "
                    f"{_net(line, account, currency):,.2f}（将新增 / to be added）")
    for item in (close or items)[:_SHOWN]:
        text.append(f"  可能有关的账簿条目 / book item: {item.where} {item.describe()}"
                    f"（{item.kind}，对账单未见 / not on the statement）")
    return "\n".join(text)

