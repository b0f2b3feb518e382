"""Outstanding items carried from last month's export: what the bank or the book still owed.

A reconciliation's outstanding items stay outstanding until they clear, so this month's
reconciliation starts from those on the sheet 银行存款余额调节表 of last month's export in the same
folder (its CSV), as an accountant starts from last month's statement of reconciliation.
"""

from __future__ import annotations

import csv
import datetime
from decimal import Decimal
from pathlib import Path

from reports.month import Month
from reports.reconcile import BANK_PAID, BOOK_PAID, ITEM_KINDS, Item

RECONCILIATION_CSV = "3-银行存款余额调节表.csv"


def previous_month(month: Month) -> Month:
    return Month(month.year - 1, 12) if month.month == 1 else Month(month.year, month.month - 1)


def carried_items(out: Path, month: Month) -> dict[str, list[Item]] | None:
    """Each account's outstanding items at the end of last month, from its export in ``out``;
    None when there is no such export."""
    path = out / str(previous_month(month)) / RECONCILIATION_CSV
    if not path.is_file():
        return None
    items: dict[str, list[Item]] = {}
    with path.open(encoding="utf-8-sig", newline="") as file:
        for row in csv.DictReader(file):
            kind = (row.get("项目") or "").strip("　 ")
            if (row.get("项目") or "").startswith("　") and kind in ITEM_KINDS:
                items.setdefault(row["银行账户"], []).append(Item(
                    kind, datetime.date.fromisoformat(row["日期"]), row["摘要"],
                    Decimal(row["金额"])))
    return items


def signed(item: Item) -> Decimal:
    """An item's amount as it moves the account: money paid out is negative."""
    return -item.amount if item.kind in (BANK_PAID, BOOK_PAID) else item.amount
