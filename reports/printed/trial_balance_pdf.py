"""The 科目余额表 printed: A4 landscape, the title block (单位, 期间, 币种) and two heading rows
(期初余额, 本期发生额, 期末余额, each over 借方 and 贷方) on every page, each 总账科目 row
followed by its 明细科目 rows (indented), the 合计 row last; every cell ruled, amounts
right-aligned with two decimals and grouped digits, names wrapped, 第 N 页 共 M 页 at each page's
foot. One part per currency."""

from __future__ import annotations

from decimal import Decimal

from fpdf import FPDF

from reports.printed.pdf import money, new_document
from reports.printed.ruled import Band, Column, RuledPages
from reports.printed.trial_balance import (
    BalanceRow,
    CurrencyBalance,
    TrialBalance,
    credit_side,
    debit_side,
)

TITLE = "科目余额表"
AMOUNT_WIDTH = 33.0
COLUMNS = (Column("科目", 83),
           *(Column(side, AMOUNT_WIDTH, "R", fit=True)
             for _ in range(3) for side in ("借方", "贷方")))
BANDS = (Band("", 1), Band("期初余额", 2), Band("本期发生额", 2), Band("期末余额", 2))
INDENT = "　　"


def _amount(value: Decimal | None) -> str:
    return "" if value is None else money(value)


def row_cells(row: BalanceRow) -> list[str]:
    """A row's seven cells: 科目 (a 明细科目 indented under its 总账科目), then the six amounts;
    a zero 期初 or 期末 is left blank, a zero 发生额 shows 0.00 only on a 总账 row."""
    name = row.code_and_name if row.general else INDENT + row.code_and_name
    movement = [money(row.debit), money(row.credit)] if row.general else [
        _amount(row.debit or None), _amount(row.credit or None)]
    return [name, _amount(debit_side(row.opening)), _amount(credit_side(row.opening)),
            *movement, _amount(debit_side(row.closing)), _amount(credit_side(row.closing))]


def totals_cells(part: CurrencyBalance) -> list[str]:
    totals = part.totals
    return ["合计", *(money(value) for value in (
        totals.opening_debit, totals.opening_credit, totals.debit, totals.credit,
        totals.closing_debit, totals.closing_credit))]


def trial_balance_document(balance: TrialBalance) -> FPDF:
    """The 科目余额表 as one document (``FontMissing`` without a Chinese font)."""
    document = new_document(landscape=True, title=f"{balance.unit} {TITLE} {balance.period}")
    pages = RuledPages(document, COLUMNS, bands=BANDS)
    made = f"{balance.first:%Y-%m-%d} 至 {balance.last:%Y-%m-%d}"
    for part in balance.currencies:
        unit = "　　金额单位：元" if part.currency == "CNY" else ""
        lines = [f"单位：{balance.unit}　　期间：{balance.label}（{made}）　　"
                 f"币种：{part.currency}{unit}", *([balance.note] if balance.note else [])]
        pages.start(TITLE, lines)
        totals = totals_cells(part)
        for index, row in enumerate(part.rows, start=1):  # 合计 keeps the last row with it
            pages.row(row_cells(row),
                      keep=pages.height(totals) if index == len(part.rows) else 0.0)
        pages.row(totals)
    if not balance.currencies:
        pages.start(TITLE, [f"单位：{balance.unit}　　期间：{balance.label}（{made}）",
                            "本期没有余额或发生额 / no balance and no posting"])
    pages.finish()
    return document
