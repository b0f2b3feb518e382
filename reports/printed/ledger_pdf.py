"""The 明细账 printed: A4 portrait, each account from a new page under its title (总账科目,
明细科目, 单位, 年度, 币种), the eight columns of the 三栏式明细账 repeated on every page, every
cell ruled, amounts right-aligned with two decimals and grouped digits, a long 摘要 or account
name wrapped, and 第 N 页 共 M 页 at each page's foot."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fpdf import FPDF

from reports.printed.account_ledger import (
    ZERO,
    AccountLedger,
    LedgerRow,
    Ledgers,
    RowKind,
    side_of,
)
from reports.printed.pdf import money, new_document
from reports.printed.ruled import Band, Column, RuledPages

TITLE = "明细账"
COLUMNS = (Column("月", 9, "C", fit=True), Column("日", 9, "C", fit=True),
           Column("凭证字号", 16, "C"), Column("摘要", 60), Column("借方", 29, "R", fit=True),
           Column("贷方", 29, "R", fit=True), Column("借或贷", 13, "C", fit=True),
           Column("余额", 29, "R", fit=True))


def row_cells(row: LedgerRow) -> list[str]:
    """The row's eight cells as printed."""
    return [str(row.month or ""), str(row.day or ""), row.voucher, row.summary,
            "" if row.debit is None else money(row.debit),
            "" if row.credit is None else money(row.credit), row.side, money(row.amount)]


def red_lines(row: LedgerRow, year_end: bool) -> int:
    """The red rules under a row (《会计基础工作规范》第六十二条): one under each month's 本年累计,
    two under the year's last."""
    if row.kind is not RowKind.YEAR:
        return 0
    return 2 if year_end else 1


@dataclass
class Carried:
    """What a page carries to the next (过次页, 承前页): the year's debits and credits so far
    (自年初起至本页末止的累计数) and the balance, in the month of the last row."""

    balance: Decimal
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    month: int | None = None

    def add(self, row: LedgerRow) -> None:
        if row.kind in (RowKind.POSTING, RowKind.TRANSFER):
            self.debit += row.debit or ZERO
            self.credit += row.credit or ZERO
        self.balance = row.balance
        self.month = row.month

    def cells(self, label: str) -> list[str]:
        return [str(self.month or ""), "", "", label, money(self.debit), money(self.credit),
                side_of(self.balance), money(abs(self.balance))]


def title_lines(ledgers: Ledgers, ledger: AccountLedger) -> list[str]:
    """The lines under the title: the account (总账科目, 明细科目), the unit, year, currency."""
    unit = "　　金额单位：元" if ledger.currency == "CNY" else ""
    return [f"总账科目：{ledger.general}　　明细科目：{ledger.detail or '—'}",
            f"单位：{ledgers.unit}　　{ledgers.year} 年度　　币种：{ledger.currency}{unit}"]


def ledger_document(ledgers: Ledgers) -> FPDF:
    """The whole year's 明细账 as one document (``FontMissing`` without a Chinese font)."""
    document = new_document(title=f"{ledgers.unit} {TITLE} {ledgers.year}")
    pages = RuledPages(document, COLUMNS, bands=[Band(f"{ledgers.year} 年", 2)]
                       + [Band("", 1)] * (len(COLUMNS) - 2))
    for ledger in ledgers.accounts:
        carried = Carried(ledger.opening)
        pages.start(TITLE, title_lines(ledgers, ledger), carried.cells)
        year_end = max((index for index, row in enumerate(ledger.rows)
                        if row.kind is RowKind.YEAR), default=-1)
        for index, row in enumerate(ledger.rows):
            pages.row(row_cells(row), red_lines=red_lines(row, index == year_end),
                      last=index == len(ledger.rows) - 1)
            carried.add(row)
    if not ledgers.accounts:
        pages.start(TITLE, [f"单位：{ledgers.unit}　　{ledgers.year} 年度",
                            "本年没有需要打印的科目 / no account to print"])
    pages.finish()
    return document
