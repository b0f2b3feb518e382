"""The beangulp importer for the centre's monthly payroll sheet (xlsx or CSV).

Columns: 姓名, 岗位, 应发工资, 个人社保, 住房公积金, 个人所得税, 实发工资. The month comes from the
sheet's title (``2013年1月工资表``) or, failing that, the file name (``2013-01``). The month
becomes one transaction on its last day: the gross to the salary expense, each withholding to its
liability account, the net from the salary fund's bank account, with ``payroll: "YYYY-MM"``.
Every row must add up (应发 − 个人社保 − 住房公积金 − 个人所得税 = 实发), and a total row (合计),
if the sheet has one, must equal the sum of the rows; otherwise nothing is imported from the file.
Signature rows under the table (制表：, 审核：, 复核, 负责人, 经办人, 日期：…) are no people: a row
that names such a role and holds no amount is skipped. A month after the current one is a typo
(2031 for 2013) and refused.

The bank statement shows the same net pay as one line. Imported before the sheet, that line
(booked to the suspense account, or where a rule put it) is settled by the payroll's net leg;
imported after, it is recognised as the payroll's (see :mod:`importers.dedupe`). Either way the
pay leaves the bank once.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import beangulp
from beancount.core import data, flags
from beancount.core.amount import Amount

from importers.config import ImportConfig, PayrollAccounts
from importers.dedupe import PAYROLL_WINDOW, mark_payroll_duplicates
from importers.errors import InputError
from importers.opening import book_years, likely_year, not_yet_open, opening_dates
from importers.tables import Cell, Table, column_letter, read_table
from importers.values import is_signature, parse_amount, reads_as_amount

SUFFIXES = (".csv", ".txt", ".xlsx")
COLUMNS = {
    "name": ("姓名",),
    "post": ("岗位", "职务"),
    "gross": ("应发工资", "应发合计", "应发"),
    "social-security": ("个人社保", "社保个人部分", "个人社会保险"),
    "housing-fund": ("住房公积金", "个人公积金", "公积金"),
    "income-tax": ("个人所得税", "代扣个税", "个税"),
    "net": ("实发工资", "实发合计", "实发"),
}
AMOUNTS = ("gross", "social-security", "housing-fund", "income-tax", "net")
_TITLE_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
_NAME_MONTH = re.compile(r"(\d{4})[-_.年]?(\d{2})(?!\d)")
_TOTAL = re.compile(r"合\s*计|总\s*计")
_SUBTOTAL = re.compile(r"小\s*计")


@dataclass(frozen=True)
class PayrollSheet:
    """A month's payroll: how many people, and the column totals."""

    month: tuple[int, int]
    people: int
    totals: dict[str, Decimal]
    title_row: int | None = None  # the row of the title naming the month; None: the file name

    @property
    def label(self) -> str:
        return f"{self.month[0]:04d}-{self.month[1]:02d}"

    @property
    def pay_date(self) -> datetime.date:
        year, month = self.month
        return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _header(table: Table) -> tuple[int, dict[str, int]] | None:
    """The header row and each column's index, if a row names 姓名 and a salary column."""
    for index, cells in enumerate(table.rows[:30]):
        names = [cell.text.replace(" ", "") for cell in cells]
        columns = {field: names.index(name) for field, accepted in COLUMNS.items()
                   for name in accepted if name in names}
        if "name" in columns and ("gross" in columns or "net" in columns):
            return index, columns
    return None


def _month(table: Table, header_row: int,
           today: datetime.date) -> tuple[tuple[int, int], int | None]:
    """The month of the sheet's title (the first rows), else of its file name, and the title's
    row; not after ``today``'s month."""
    titles = ((row, found) for row, cells in enumerate(table.rows[:header_row], 1)
              for cell in cells if (found := _TITLE_MONTH.search(cell.text)))
    row, match = next(titles, (None, None))
    match = match or _TITLE_MONTH.search(table.path.stem) or _NAME_MONTH.search(table.path.stem)
    if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1:
        raise InputError(table.path, "无法确定工资表月份：标题应含“YYYY年M月”，或文件名含 "
                                     "YYYY-MM / cannot tell the payroll month: give the title "
                                     "YYYY年M月 or the file name YYYY-MM")
    year, month = int(match.group(1)), int(match.group(2))
    if (year, month) > (today.year, today.month):
        where = "标题" if row else "文件名"
        raise InputError(table.path, f"工资表月份 {year:04d}-{month:02d} 晚于本月（"
                                     f"{today:%Y-%m}），应是{where}中的年份或月份输错"
                                     f"{_likely(year, month, today)}"
                                     f"；未导入 / the payroll month {year:04d}-{month:02d} is "
                                     f"after this month ({today:%Y-%m}): a typo in the year or "
                                     "the month; nothing imported", row=row)
    return (year, month), row


def _likely(year: int, month: int, today: datetime.date) -> str:
    """The month meant, when the year's last two digits were typed the wrong way round."""
    meant = year - year % 100 + year % 10 * 10 + year // 10 % 10
    if meant != year and (meant, month) <= (today.year, today.month):
        return _month_hint(meant, month)
    return ""


def _month_hint(year: int, month: int) -> str:
    return f"（是否为 {year}年{month}月？ / {year:04d}-{month:02d}?）"


def read_payroll(table: Table, today: datetime.date) -> PayrollSheet:
    """The payroll sheet in a table; an ``InputError`` naming row and column for what is wrong.
    A month after ``today``'s is refused as a typo."""
    found = _header(table)
    if found is None:
        raise InputError(table.path, "找不到工资表表头（姓名、应发工资、实发工资） / no payroll "
                                     "header found (姓名, 应发工资, 实发工资)")
    header_row, columns = found
    missing = [COLUMNS[field][0] for field in COLUMNS if field not in columns]
    if missing:
        raise InputError(table.path, f"缺少列：{'、'.join(missing)} / missing columns",
                         row=header_row + 1)
    month, title_row = _month(table, header_row, today)
    people, totals = _add_up_people(table, columns, header_row)
    return PayrollSheet(month, people, totals, title_row)


def _add_up_people(table: Table, columns: dict[str, int],
                   header_row: int) -> tuple[int, dict[str, Decimal]]:
    """How many people the sheet pays and its column totals, each row and the 合计 checked."""
    totals = dict.fromkeys(AMOUNTS, Decimal(0))
    people, stated = 0, None
    amount_columns = {columns[field] for field in AMOUNTS}
    for row, cells in enumerate(table.rows[header_row + 1:], header_row + 2):
        if not any(_at(cells, index).text for index in amount_columns):
            continue  # a blank row, a note or the signatures (制表人、审核)
        if _is_signature_row(cells, columns):
            continue  # signatures reaching into the amount columns (审核：…, 日期：…)
        labels = [cell.text for index, cell in enumerate(cells) if index not in amount_columns]
        if any(_SUBTOTAL.search(label) for label in labels):
            continue  # a group's subtotal (督导小计): its people are rows of their own
        amounts = _amounts(table, columns, cells, row)
        if any(_TOTAL.search(label) for label in labels):
            stated = (row, amounts)
            continue
        _check_row(table, columns, cells, row, amounts)
        people += 1
        for field in AMOUNTS:
            totals[field] += amounts[field]
    if people == 0:
        raise InputError(table.path, "工资表没有人员行 / the payroll sheet lists nobody")
    if stated is not None:
        _check_totals(table, columns, *stated, totals)
    return people, totals


def _is_signature_row(cells: list[Cell], columns: dict[str, int]) -> bool:
    """A row naming a role that signs the sheet (``审核：陈主任``; a bare ``经办人`` outside the
    姓名 and 岗位 columns, where it could be a person's post), with no amount in the amount
    columns."""
    personal = (columns["name"], columns["post"])
    if not any(is_signature(cell.text, bare=index not in personal)
               for index, cell in enumerate(cells)):
        return False
    return not any(reads_as_amount(_at(cells, columns[field])) for field in AMOUNTS)


def _at(cells: list[Cell], index: int) -> Cell:
    return cells[index] if index < len(cells) else Cell("")


def _where(columns: dict[str, int], field: str) -> str:
    return f"{column_letter(columns[field])}（{COLUMNS[field][0]}）"


def _amounts(table: Table, columns: dict[str, int], cells: list[Cell],
             row: int) -> dict[str, Decimal]:
    amounts = {}
    for field in AMOUNTS:
        try:
            amount = parse_amount(_at(cells, columns[field]))
        except ValueError as error:
            raise InputError(table.path, str(error), row=row,
                             column=_where(columns, field)) from None
        if amount is None and field in ("gross", "net"):
            raise InputError(table.path, "金额为空 / the amount is blank", row=row,
                             column=_where(columns, field))
        if amount is not None and amount < 0:
            raise InputError(table.path, f"金额 {amount} 为负 / the amount {amount} is negative",
                             row=row, column=_where(columns, field))
        amounts[field] = amount or Decimal(0)
    return amounts


def _check_row(table: Table, columns: dict[str, int], cells: list[Cell], row: int,
               amounts: dict[str, Decimal]) -> None:
    name = _at(cells, columns["name"]).text
    if not name:
        raise InputError(table.path, "姓名为空 / the name is blank", row=row,
                         column=_where(columns, "name"))
    expected = (amounts["gross"] - amounts["social-security"] - amounts["housing-fund"]
                - amounts["income-tax"])
    if expected != amounts["net"]:
        raise InputError(
            table.path, f"{name}：应发 {amounts['gross']} − 个人社保 {amounts['social-security']} "
                        f"− 住房公积金 {amounts['housing-fund']} − 个人所得税 "
                        f"{amounts['income-tax']} = {expected}，实发为 {amounts['net']} / "
                        f"{name}: gross minus deductions is {expected}, net is {amounts['net']}",
            row=row, column=_where(columns, "net"))


def _check_totals(table: Table, columns: dict[str, int], row: int, stated: dict[str, Decimal],
                  totals: dict[str, Decimal]) -> None:
    for field in AMOUNTS:
        if stated[field] != totals[field]:
            raise InputError(table.path, f"合计 {stated[field]} 与各行之和 {totals[field]} 不符 / "
                                         f"the total {stated[field]} is not the sum of the rows, "
                                         f"{totals[field]}", row=row, column=_where(columns, field))


def _booked_pay_line(existing: data.Entries, accounts: PayrollAccounts,
                     sheet: PayrollSheet) -> tuple[str, str] | None:
    """The statement line already imported for this month's net pay, if any: the account its
    other leg went to (often the suspense account) and where it is. The payroll's net leg then
    settles that account instead of taking the pay out of the bank a second time. The line must
    be within ``PAYROLL_WINDOW`` of the pay date (the nearest wins) and not settled already."""
    settled = {str(entry.meta["bank-line"]) for entry in existing
               if isinstance(entry, data.Transaction) and "bank-line" in entry.meta}
    found: list[tuple[datetime.timedelta, str, str]] = []
    for entry in existing:
        if (not isinstance(entry, data.Transaction) or entry.meta.get("payroll")
                or abs(entry.date - sheet.pay_date) > PAYROLL_WINDOW):
            continue
        other = _single_other_leg(entry, accounts.bank, -sheet.totals["net"])
        where = f"{entry.date} {entry.meta.get('bank-ref', '')}".strip()
        if other is not None and where not in settled:
            found.append((abs(entry.date - sheet.pay_date), other, where))
    return min(found)[1:] if found else None


def _single_other_leg(entry: data.Transaction, bank: str, amount: Decimal) -> str | None:
    """The other account of a two-legged transaction moving ``amount`` on ``bank``."""
    on_bank = [posting for posting in entry.postings if posting.account == bank]
    others = [posting.account for posting in entry.postings if posting.account != bank]
    if (len(on_bank) == 1 and len(others) == 1 and on_bank[0].units is not None
            and on_bank[0].units.number == amount):
        return others[0]
    return None


def _refuse_before_open(filepath: str, sheet: PayrollSheet, accounts: list[str],
                        existing: data.Entries, today: datetime.date) -> None:
    """An ``InputError`` for a month paid before an account it posts to opens: a typo in the
    year (2003 for 2013), with the likely year."""
    found = not_yet_open(opening_dates(existing), accounts, sheet.pay_date)
    if found is None:
        return
    account, opening = found
    year, month = sheet.month
    likely = likely_year(year, _possible_years(sheet, book_years(existing, opening), opening,
                                               today))
    hint = "" if likely is None else _month_hint(likely, month)
    where = "标题" if sheet.title_row else "文件名"
    raise InputError(filepath, f"工资表月份 {sheet.label} 早于科目 {account} 的开设日期 {opening}，"
                               f"应是{where}中的年份输错{hint}；未导入 / the payroll month "
                               f"{sheet.label} is before {account} opens ({opening}): a typo "
                               "in the year; nothing imported", row=sheet.title_row)


def _possible_years(sheet: PayrollSheet, years: set[int], opening: datetime.date,
                    today: datetime.date) -> set[int]:
    """The years of the books in which the sheet's month is paid after the opening and by
    ``today``'s month; none: the year after the books' last."""
    month = sheet.month[1]
    possible = {year for year in years
                if (opening.year, opening.month) <= (year, month) <= (today.year, today.month)}
    return possible or {max(years, default=opening.year) + 1}


class PayrollImporter(beangulp.Importer):  # type: ignore[misc]
    """Payroll sheets of the bank account(s) the books configure with ``import-payroll``."""

    def __init__(self, config: ImportConfig, account: str | None = None) -> None:
        self.config = config
        self.default_account = account
        self.today = datetime.date.today()  # one day for the whole import

    @property
    def name(self) -> str:
        return "earmark.payroll"

    def identify(self, filepath: str) -> bool:
        path = Path(filepath)
        return path.suffix.lower() in SUFFIXES and _header(read_table(path)) is not None

    def accounts(self, filepath: str) -> PayrollAccounts:
        configured = self.config.payroll
        chosen = [payroll for payroll in configured
                  if self.default_account in (None, payroll.bank)]
        if len(chosen) == 1:
            return chosen[0]
        banks = "、".join(payroll.bank for payroll in configured) or "-"
        raise InputError(filepath, f"账簿中没有唯一的工资发放配置（import-payroll：{banks}），"
                                   "请用 --account 指定银行科目 / no single payroll "
                                   f"configuration in the books ({banks}): use --account")

    def account(self, filepath: str) -> str:
        return self.accounts(filepath).bank

    def date(self, filepath: str) -> datetime.date | None:
        return read_payroll(read_table(Path(filepath)), self.today).pay_date

    def extract(self, filepath: str, existing: data.Entries) -> data.Entries:
        sheet = read_payroll(read_table(Path(filepath)), self.today)
        accounts = self.accounts(filepath)
        currency = self.config.currencies.get(accounts.bank, "CNY")
        paid = _booked_pay_line(existing, accounts, sheet)
        legs = ((accounts.gross, sheet.totals["gross"]),
                (accounts.social_security, -sheet.totals["social-security"]),
                (accounts.housing_fund, -sheet.totals["housing-fund"]),
                (accounts.income_tax, -sheet.totals["income-tax"]),
                (paid[0] if paid else accounts.bank, -sheet.totals["net"]))
        postings = [data.Posting(account, Amount(amount, currency), None, None, None, None)
                    for account, amount in legs if amount != 0]
        _refuse_before_open(filepath, sheet, [posting.account for posting in postings],
                            existing, self.today)
        meta = data.new_metadata(filepath, 0)
        meta["payroll"] = sheet.label
        if paid:
            meta["bank-line"] = paid[1]
        year, month = sheet.month
        return [data.Transaction(meta, sheet.pay_date, flags.FLAG_OKAY, None,
                                 f"发放{year}年{month}月工资（{sheet.people}人）", data.EMPTY_SET,
                                 data.EMPTY_SET, postings)]

    def deduplicate(self, entries: data.Entries, existing: data.Entries) -> None:
        mark_payroll_duplicates(entries, existing)
