"""Writing the printed 明细账 and 科目余额表: the PDF and an Excel workbook beside it.

The workbook holds one sheet (明细账: every account's rows one under another, with its 总账科目,
明细科目 and 币种 on each row; 科目余额表: the table as printed), so that an auditor filters or
sums it by account; books of a city's centres have thousands of accounts, more than sheets a
workbook can sensibly hold. Its print layout is the one :func:`reports.workbook.write_workbook`
gives every workbook.

Both files are made in full before either is put in place, each atomically (a temporary file in
the target folder, then a rename); other files in the folder are left alone.
"""

from __future__ import annotations

import errno
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

from ledger.files import replace_file, umask
from reports.printed.account_ledger import Ledgers
from reports.printed.ledger_pdf import ledger_document
from reports.printed.trial_balance import BalanceRow, TrialBalance, credit_side, debit_side
from reports.printed.trial_balance_pdf import row_cells, trial_balance_document
from reports.printed.voucher_pdf import missing_characters
from reports.sheets import CellValue, Sheet, money

LEDGER_COLUMNS = ["总账科目", "明细科目", "币种", "月", "日", "凭证字号", "摘要", "借方", "贷方",
                  "借或贷", "余额"]
LEDGER_NOTE = ("本年已结账：12 月 31 日“结转本年收入”“结转本年费用”行为打印时生成，"
               "账簿中无此分录")
BALANCE_COLUMNS = ["科目", "币种", "期初借方", "期初贷方", "本期借方发生额", "本期贷方发生额",
                   "期末借方", "期末贷方"]


@dataclass(frozen=True)
class Written:
    """The files written, the PDF's page count and the characters it prints blank (its font
    has no glyph for them)."""

    pdf: Path
    workbook: Path
    pages: int
    missing: str = ""


def ledger_name(year: int, suffix: str) -> str:
    return f"明细账-{year}{suffix}"


def balance_name(period: str, suffix: str) -> str:
    return f"科目余额表-{period}{suffix}"


def ledger_sheet(ledgers: Ledgers) -> Sheet:
    """The 明细账 as one sheet, each row under its account's names."""
    sheet = Sheet("明细账", LEDGER_COLUMNS,
                  cover=[["单位", ledgers.unit], ["年度", f"{ledgers.year} 年"],
                         *([["说明", LEDGER_NOTE]] if ledgers.closed else [])])
    for ledger in ledgers.accounts:
        general, detail = ledger.general, ledger.detail
        for row in ledger.rows:
            sheet.add(general, detail, ledger.currency, row.month, row.day,
                      row.voucher, row.summary,
                      None if row.debit is None else money(row.debit),
                      None if row.credit is None else money(row.credit), row.side,
                      money(row.amount))
    return sheet


def balance_sheet(balance: TrialBalance) -> Sheet:
    """The 科目余额表 as one sheet, as printed (amounts as numbers)."""
    sheet = Sheet("科目余额表", BALANCE_COLUMNS,
                  cover=[["单位", balance.unit], ["期间", balance.label],
                         *([["说明", balance.note]] if balance.note else [])])
    for part in balance.currencies:
        for row in part.rows:
            sheet.add(row_cells(row)[0], part.currency, *_amounts(row))
        totals = part.totals
        sheet.add("合计", part.currency, *(money(value) for value in (
            totals.opening_debit, totals.opening_credit, totals.debit, totals.credit,
            totals.closing_debit, totals.closing_credit)))
    return sheet


def _amounts(row: BalanceRow) -> list[CellValue]:
    """The six amounts of a row as printed: a balance on the other side, or a 明细科目's
    movement of nothing, left empty."""
    moved = [row.debit, row.credit] if row.general else [row.debit or None, row.credit or None]
    values = [debit_side(row.opening), credit_side(row.opening), *moved,
              debit_side(row.closing), credit_side(row.closing)]
    return [None if value is None else money(value) for value in values]


def write_ledger(ledgers: Ledgers, out: Path) -> Written:
    """``out/YEAR/明细账-YEAR.pdf`` and ``.xlsx``."""
    folder = out / str(ledgers.year)
    return _write(ledger_document(ledgers), ledger_sheet(ledgers),
                  folder / ledger_name(ledgers.year, ".pdf"),
                  folder / ledger_name(ledgers.year, ".xlsx"))


def write_balance(balance: TrialBalance, out: Path) -> Written:
    """``out/PERIOD/科目余额表-PERIOD.pdf`` and ``.xlsx``."""
    folder = out / balance.period
    return _write(trial_balance_document(balance), balance_sheet(balance),
                  folder / balance_name(balance.period, ".pdf"),
                  folder / balance_name(balance.period, ".xlsx"))


def _write(document: FPDF, sheet: Sheet, pdf: Path, workbook: Path) -> Written:
    from reports.workbook import write_workbook  # pandas loads only when a workbook is written

    data = bytes(document.output())
    pdf.parent.mkdir(parents=True, exist_ok=True)
    for target in (pdf, workbook):  # one that cannot be replaced stops both, before either
        if target.is_dir():
            raise IsADirectoryError(errno.EISDIR, "是文件夹 / is a folder", str(target))
    handle, name = tempfile.mkstemp(dir=pdf.parent, prefix=f".{workbook.name}.",
                                    suffix=".xlsx")
    os.close(handle)
    temporary = Path(name)
    try:
        write_workbook(temporary, [sheet])
        temporary.chmod(0o666 & ~umask())
        replace_file(pdf, data)
        temporary.replace(workbook)
    finally:
        temporary.unlink(missing_ok=True)
    return Written(pdf, workbook, document.pages_count, missing_characters(document))
