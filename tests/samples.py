"""Realistic bank statements and payroll sheets, written the way Chinese banks and offices do."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl
from beancount import loader
from beancount.core import data

from ledger.check import DEMO_BOOKS

LAYOUTS = {
    "收支两栏": ["交易日期", "交易时间", "摘要", "对方户名", "对方账号", "收入金额", "支出金额",
                 "余额", "流水号"],
    "借贷两栏": ["交易日期", "摘要", "对方户名", "对方账号", "借方发生额", "贷方发生额", "余额",
                 "流水号"],
    "单栏发生额": ["交易日期", "交易时间", "摘要", "对方户名", "对方账号", "发生额", "余额",
                   "流水号"],
}
SALARY_BANK = "Assets:1002-银行存款:社工薪酬专户"
DEMO_SUSPENSE = "Equity:Suspense:待查明款项"  # the demo books' suspense account
SALARY_NUMBER = "8002 0101 0000 1202"


@dataclass(frozen=True)
class Line:
    """One statement line; ``amount`` is positive for money in."""

    date: datetime.date
    narration: str
    payee: str
    amount: Decimal
    balance: Decimal
    ref: str
    counterparty_account: str = ""


def demo_lines(account: str, since: datetime.date, until: datetime.date) -> list[Line]:
    """The demo books' movements on a bank account between two dates, as the bank lists them."""
    entries = loader.load_file(str(DEMO_BOOKS))[0]
    balance = Decimal(0)
    lines: list[Line] = []
    for entry in entries:
        if not isinstance(entry, data.Transaction) or entry.date > until:
            continue
        for posting in entry.postings:
            if posting.account != account or posting.units is None:
                continue
            amount = posting.units.number or Decimal(0)
            balance += amount
            if entry.date >= since:
                lines.append(Line(entry.date, entry.narration or "", entry.payee or "", amount,
                                  balance, f"{entry.date:%Y%m%d}{len(lines) + 1:04d}"))
    return lines


def following(lines: list[Line], *moves: tuple[str, str, str, str]) -> list[Line]:
    """``lines`` continued by (date, narration, payee, amount) moves with running balances."""
    balance = lines[-1].balance if lines else Decimal(0)
    extended = list(lines)
    for date, narration, payee, amount in moves:
        balance += Decimal(amount)
        day = datetime.date.fromisoformat(date)
        extended.append(Line(day, narration, payee, Decimal(amount), balance,
                             f"{day:%Y%m%d}{len(extended) + 1:04d}", "6228 4800 1234"))
    return extended


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _row(layout: str, line: Line) -> list[object]:
    received = line.amount if line.amount > 0 else None
    paid = -line.amount if line.amount < 0 else None
    fields: dict[str, object] = {
        "交易日期": line.date, "交易时间": "09:30:00", "摘要": line.narration,
        "对方户名": line.payee, "对方账号": line.counterparty_account,
        "收入金额": received, "支出金额": paid,
        "借方发生额": paid, "贷方发生额": received, "发生额": line.amount, "余额": line.balance,
        "流水号": line.ref,
    }
    return [fields[name] for name in LAYOUTS[layout]]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"¥{_money(value)}" if value > 1000 else str(value)
    if isinstance(value, datetime.date):
        return f"{value:%Y/%m/%d}"
    return str(value)


def preamble(account_number: str | None) -> list[list[str]]:
    rows = [["揭阳农村商业银行 账户交易明细"]]
    if account_number:
        rows.append([f"账号：{account_number}", "户名：东山区社区社工综合服务中心"])
    return rows


def statement_csv(path: Path, lines: list[Line], *, layout: str = "收支两栏",
                  encoding: str = "gb18030", account_number: str | None = SALARY_NUMBER,
                  newest_first: bool = False) -> Path:
    """Write a CSV statement the way the bank's online banking exports it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(preamble(account_number))
    writer.writerow(LAYOUTS[layout])
    ordered = list(reversed(lines)) if newest_first else lines
    writer.writerows([_text(value) for value in _row(layout, line)] for line in ordered)
    writer.writerow(["合计", "", "", "", "", "", "", ""])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def statement_xlsx(path: Path, lines: list[Line], *, layout: str = "借贷两栏",
                   account_number: str | None = SALARY_NUMBER) -> Path:
    """Write an xlsx statement: real dates and numbers in the cells, as Excel keeps them."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in preamble(account_number):
        sheet.append(row)
    sheet.append(LAYOUTS[layout])
    for line in lines:
        sheet.append(_row(layout, line))
    book.save(path)
    return path


PAYROLL_HEADER = ["序号", "姓名", "岗位", "应发工资", "个人社保", "住房公积金", "个人所得税",
                  "实发工资"]
# December 2012 of the demo books: gross 22000.00, withheld 2310.00 + 1760.00 + 5.03.
PAYROLL_PEOPLE = [
    ["1", "林晓燕", "督导社工", "4500.00", "472.50", "360.00", "5.03", "3662.47"],
    *([str(number), name, "一线社工", "3500.00", "367.50", "280.00", "0.00", "2852.50"]
      for number, name in enumerate(("陈佳敏", "黄志强", "郑丽娟", "吴俊杰", "蔡雅琪"), start=2)),
]


def payroll_rows(people: list[list[str]] | None = None, total: bool = True) -> list[list[str]]:
    """A payroll sheet's rows (fresh lists, free to change): header, people, and a total row."""
    people = PAYROLL_PEOPLE if people is None else people
    rows = [list(PAYROLL_HEADER), *(list(row) for row in people)]
    if total:
        sums = [sum((Decimal(row[column]) for row in people), Decimal(0)) for column in
                range(3, 8)]
        rows.append(["", "合计", "", *(f"{amount:.2f}" for amount in sums)])
    return rows


def payroll_csv(path: Path, rows: list[list[str]], *, title: str = "2013年1月工资表",
                encoding: str = "utf-8-sig") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([[title], *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def payroll_xlsx(path: Path, rows: list[list[str]], *, title: str = "2013年1月工资表") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([title])
    for row in rows:
        sheet.append([Decimal(cell) if cell.replace(".", "").isdigit() and "." in cell else cell
                      for cell in row])
    book.save(path)
    return path
