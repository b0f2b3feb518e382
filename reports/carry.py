"""Outstanding items carried from last month's export: what the bank or the book still owed.

A reconciliation's outstanding items stay outstanding until they clear, so this month's
reconciliation starts from those on the sheet 银行存款余额调节表 of last month's export in the same
folder (its CSV), as an accountant starts from last month's statement of reconciliation.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from importers.errors import InputError
from importers.tables import Cell, decode
from importers.values import parse_amount, parse_date
from reports.month import Month
from reports.reconcile import BANK_PAID, BOOK_PAID, ITEM_KINDS, Item

RECONCILIATION_CSV = "3-银行存款余额调节表.csv"


def previous_month(month: Month) -> Month:
    return Month(month.year - 1, 12) if month.month == 1 else Month(month.year, month.month - 1)


def carried_items(out: Path, month: Month) -> dict[str, list[Item]] | None:
    """Each account's outstanding items at the end of last month, from its export in ``out``;
    None when there is no such export. The file may have been opened and saved again in a
    spreadsheet: any usual encoding, date or amount form is read; what cannot be read is a
    ``ValueError`` naming the file and row."""
    path = out / str(previous_month(month)) / RECONCILIATION_CSV
    if not path.is_file():
        return None
    try:
        text = decode(path, path.read_bytes())
    except InputError as error:
        raise ValueError(str(error)) from None
    items: dict[str, list[Item]] = {}
    for row_number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        label = row.get("项目") or ""
        kind = label.strip("　 ")
        if not label.startswith("　") or kind not in ITEM_KINDS:
            continue
        try:
            date = parse_date(Cell(row.get("日期") or ""))
            amount = parse_amount(Cell(row.get("金额") or ""))
        except ValueError as error:
            raise ValueError(f"{path}，第 {row_number} 行 / row {row_number}：{error}") from None
        if amount is None:
            raise ValueError(f"{path}，第 {row_number} 行 / row {row_number}：金额为空 / no amount")
        items.setdefault(row.get("银行账户") or "", []).append(
            Item(kind, date, row.get("摘要") or "", abs(amount)))
    return items


def signed(item: Item) -> Decimal:
    """An item's amount as it moves the account: money paid out is negative."""
    return -item.amount if item.kind in (BANK_PAID, BOOK_PAID) else item.amount
