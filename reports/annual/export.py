"""``funds export annual YEAR``: the four annual statements as one workbook and four CSV files.

``DIR/YEAR/年度会计报表-YEAR.xlsx`` has a sheet per statement (资产负债表, 业务活动表, 现金流量表,
专项资金收支情况表), each under a cover naming the unit, the year, the preparer and the day it
was made, then the columns 行次, 项目 and the statement's own; ``N-TITLE.csv`` holds the same
(UTF-8 with a BOM). The folder is written whole or not at all, as the monthly export's is.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from ledger.check import CheckedBooks
from ledger.model.books import Books
from ledger.model.findings import source_of
from reports.annual.activities import activities
from reports.annual.balance_sheet import balance_sheet
from reports.annual.cash_flow import cash_flow
from reports.annual.fund_note import fund_note
from reports.annual.mapping import account_codes, unmapped, why_unmapped
from reports.annual.rows import Statement
from reports.monthly import books_period
from reports.sheets import CellValue, Sheet, money

_YEAR = re.compile(r"\d{4}")
LINE, ITEM = "行次", "项目"


@dataclass(frozen=True)
class AnnualExport:
    """The year's statements and who made them, for when."""

    year: int
    unit: str
    preparer: str
    made: datetime.date
    statements: list[Statement]


def parse_year(text: str) -> int:
    """The year ``text`` names (four digits); ``ValueError`` otherwise."""
    if not _YEAR.fullmatch(text.strip()):
        raise ValueError(f"年度“{text}”格式不对，应为四位数字，如 2012 / the year {text!r} is "
                         "malformed: four digits, as 2012")
    return int(text.strip())


def check_year_in_books(books: Books, year: int) -> None:
    """``ValueError`` for a year the books do not cover (their first to their last day)."""
    period = books_period(books)
    if period is None:
        raise ValueError("账簿中没有任何交易 / the books hold no transaction")
    first, last = period
    if not first.year <= year <= last.year:
        raise ValueError(f"{year} 年不在账簿期间 {first:%Y-%m} 至 {last:%Y-%m} 内 / {year} is "
                         f"outside the books, {first:%Y-%m} to {last:%Y-%m}")


def check_mapped(books: Books) -> None:
    """``ValueError`` naming every account the chart does not place, and why."""
    missing = unmapped(books)
    if missing:
        named = "\n".join(f"  {account}：{why_unmapped(account, books)}" for account in missing)
        raise ValueError(f"{len(missing)} 个科目无法归入会计报表（请在科目名首段写上会计科目代码，"
                         "或在 open 上注明 statement-line:） / accounts the statements cannot "
                         f"place (put a chart code at the head of the name, or statement-line: "
                         f"on the open):\n{named}")


NET_ASSET_CODES = ("3101", "3102")
LISTED_ENTRIES = 10


def check_no_net_asset_entries(books: Books, year: int) -> None:
    """``ValueError`` naming the year's transactions posted straight to net assets (3101 /
    3102: an opening entry dated in the year, an adjustment): the statements compute net assets
    as the cumulative result, so such a posting would make 业务活动表 line 45 differ from 11 − 35
    + 40. Date an opening entry on the last day of the year before the books' first year; a
    year that holds only that entry has no statements (they start the year after)."""
    codes = account_codes(books)
    of_year = [transaction for transaction in books.transactions
               if transaction.date.year == year]
    found = [transaction for transaction in of_year if any(
        codes.get(posting.account) in NET_ASSET_CODES for posting in transaction.postings)]
    if not found:
        return
    named = "\n".join(f"  {source_of(transaction)} {transaction.date} "
                      f"{transaction.narration}" for transaction in found[:LISTED_ENTRIES])
    more = len(found) - LISTED_ENTRIES
    named += f"\n  ……另有 {more} 笔 / and {more} more" if more > 0 else ""
    last_day = datetime.date(year, 12, 31)
    if len(found) == len(of_year) and all(each.date == last_day for each in found):
        raise ValueError(
            f"{year} 年只有期初建账分录（{last_day}，即 {year + 1} 年报表的年初数），{year} 年"
            f"没有年度报表；年度报表从 {year + 1} 年开始："
            f"funds export annual {year + 1} / {year} holds only the opening entry (期初建账, "
            f"on {last_day}: the opening figures of {year + 1}); the statements start with "
            f"{year + 1}:\n{named}")
    raise ValueError(
        f"{year} 年有 {len(found)} 笔分录直接记入净资产（3101/3102），年度报表按收支结果计算"
        "净资产，无法与之相符；期初建账分录请记在上年最后一天 / entries of the year posted "
        "straight to net assets: the statements compute net assets from the result; date an "
        f"opening entry on the last day of the year before:\n{named}")


def build_annual_export(checked: CheckedBooks, year: int, preparer: str,
                        made: datetime.date) -> AnnualExport:
    """The year's four statements; ``ValueError`` for a year outside the books or books with
    accounts the chart does not place."""
    books = checked.books
    check_year_in_books(books, year)
    check_mapped(books)
    check_no_net_asset_entries(books, year)
    unit = str(checked.options_map.get("title") or "专项资金账簿")
    statements = [balance_sheet(books, year), activities(books, year), cash_flow(books, year),
                  fund_note(books, year)]
    return AnnualExport(year, unit, preparer, made, statements)


def workbook_name(year: int) -> str:
    return f"年度会计报表-{year}.xlsx"


def statement_sheet(export: AnnualExport, statement: Statement) -> Sheet:
    """One statement as a sheet: its cover, then 行次, 项目 and its columns, amounts to the fen."""
    cover = [["报表", f"{statement.title}（{statement.code}）"], ["编制单位", export.unit],
             ["会计年度", f"{export.year} 年"], ["金额单位", "元"], ["编制人", export.preparer],
             ["编制日期", export.made.isoformat()]]
    sheet = Sheet(statement.title, [LINE, ITEM, *statement.columns], cover=cover)
    for row in statement.rows:
        cells: list[CellValue] = [row.line, row.label]
        cells += [None if value is None else money(value) for value in row.values]
        sheet.add(*cells)
    return sheet


def annual_sheets(export: AnnualExport) -> list[Sheet]:
    return [statement_sheet(export, statement) for statement in export.statements]


def write_annual(export: AnnualExport, out: Path, name: str | None = None) -> Path:
    """Write ``out/YEAR/`` (or ``out/NAME/``), replacing an older export there whole."""
    from reports.workbook import write_sheets  # pandas loads only when an export is written

    final = out / (name or str(export.year))
    write_sheets(final, workbook_name(export.year), annual_sheets(export))
    return final

