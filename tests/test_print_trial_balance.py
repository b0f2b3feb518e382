"""``funds print trial-balance YEAR|YYYY-MM``: the 科目余额表 read back from the PDF
(pdftotext), each account and each 总账科目 against sums of the entries made here, the totals
balanced; refusals that write nothing."""

from __future__ import annotations

import csv
import datetime
import re
import shutil
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from beancount import loader
from beancount.core import data
from click.testing import CliRunner, Result

from ledger.check import DEMO_BOOKS
from ledger.cli.main import funds
from ledger.rules import dates
from reports.printed.account_ledger import Ledgers
from reports.printed.ledger_pdf import ledger_document
from reports.printed.pdf import write_pdf
from reports.printed.trial_balance import BalanceRow, TrialBalance, Unbalanced, _totals
from reports.printed.trial_balance_pdf import trial_balance_document
from tests.pdf_tools import pdf_pages, pdf_text
from tests.test_print_ledger import (
    AMOUNT,
    NOTHING_WRITTEN,
    Row,
    amount,
    names,
    printed_ledgers,
    two_year_books,
)
from tests.workbook_tables import without_sign_off

Six = tuple[Decimal | None, ...]
SIDES = ("借方", "贷方")


def print_balance(out: Path, period: str, *args: str) -> Result:
    return CliRunner().invoke(funds, ["print", "trial-balance", period, "--out", str(out),
                                      *args])


def printed_balance(pdf: Path) -> list[tuple[str, Six]]:
    """Each printed row: its 科目 text and six amounts (None for an empty cell), an amount put
    in the column whose heading is the last centred left of the amount's end."""
    rows = []
    for page in pdf_pages(pdf):
        lines = page.splitlines()
        heading = next(index for index, line in enumerate(lines)
                       if line.count("借方") == 3 and line.count("贷方") == 3)
        centres = [match.start() + 1 for match in re.finditer("借方|贷方", lines[heading])]
        for line in lines[heading + 1:]:
            found = list(AMOUNT.finditer(line))
            if not found:
                continue
            cells: list[Decimal | None] = [None] * 6
            for match in found:
                column = max(index for index, centre in enumerate(centres)
                             if centre < match.end())
                cells[column] = amount(match.group())
            rows.append((line[:found[0].start()].strip(), tuple(cells)))
    return rows


def expected_balance(path: Path, first: datetime.date, last: datetime.date, *,
                     closed: bool = False) -> tuple[dict[str, list[Decimal]], str]:
    """Each account's [opening, debits, credits] summed here, income and expense opening the
    year at zero (their earlier years in 3102), and the previous-earnings account; with
    ``closed`` (a finished year), income and expense closed into it at the year's end."""
    entries, errors, options_map = loader.load_file(str(path))
    assert not errors
    carried = f"Equity:{options_map['account_previous_earnings']}"
    figures: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 3)
    for entry in entries:
        if not isinstance(entry, data.Transaction) or entry.date > last:
            continue
        merged: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
        for posting in entry.postings:
            assert posting.units is not None and posting.units.number is not None
            number = posting.units.number
            account = posting.account
            if entry.date.year < first.year and account.split(":")[0] in ("Income", "Expenses"):
                account = carried
            merged[account][0 if number > 0 else 1] += abs(number)
        for account, (debit, credit) in merged.items():
            if entry.date < first:
                figures[account][0] += debit - credit
            else:
                figures[account][1] += debit
                figures[account][2] += credit
    if closed:
        for root in ("Income", "Expenses"):
            result = Decimal(0)
            for account, (opening, debit, credit) in list(figures.items()):
                if account.split(":")[0] == root:
                    balance = opening + debit - credit
                    figures[account][1 if balance < 0 else 2] += abs(balance)
                    result += balance
            figures[carried][1 if result > 0 else 2] += abs(result)
    return {account: values for account, values in figures.items() if any(values)}, carried


def six(values: list[Decimal], general: bool) -> Six:
    opening, debit, credit = values
    closing = opening + debit - credit

    def shown(value: Decimal, zero: bool = False) -> Decimal | None:
        return value if value or zero else None

    return (shown(max(opening, Decimal(0))), shown(max(-opening, Decimal(0))),
            shown(debit, general), shown(credit, general),
            shown(max(closing, Decimal(0))), shown(max(-closing, Decimal(0))))


def expected_rows(figures: dict[str, list[Decimal]]) -> list[tuple[str, Six, bool]]:
    """The rows in the chart's order: each 总账科目 (its accounts added), then its accounts;
    whether the row is a 总账科目's."""
    by_general: dict[str, list[str]] = defaultdict(list)
    for account in figures:
        by_general[":".join(account.split(":")[:2])].append(account)
    roots = ["Assets", "Liabilities", "Equity", "Income", "Expenses"]
    rows = []
    for general in sorted(by_general, key=lambda name: (roots.index(name.split(":")[0]),
                                                        name.split(":")[1])):
        added = [sum((figures[account][index] for account in by_general[general]), Decimal(0))
                 for index in range(3)]
        rows.append((names(general)[0], six(added, general=True), True))
        rows += [(names(account)[1], six(figures[account], general=False), False)
                 for account in sorted(by_general[general]) if account != general]
    return rows


def check_printed(pdf: Path, books: Path, first: datetime.date, last: datetime.date, *,
                  closed: bool = False) -> None:
    figures, _ = expected_balance(books, first, last, closed=closed)
    printed = printed_balance(pdf)
    rows, (total_name, totals) = printed[:-1], printed[-1]
    expected = expected_rows(figures)
    assert rows == [(name, cells) for name, cells, _ in expected]
    generals = [cells for _, cells, general in expected if general]
    added = tuple(sum((cells[index] or Decimal(0) for cells in generals), Decimal(0))
                  for index in range(6))
    assert (total_name, totals) == ("合计", added)
    assert totals[0] == totals[1] and totals[2] == totals[3] and totals[4] == totals[5]


@pytest.fixture(scope="module")
def demo_books(tmp_path_factory: pytest.TempPathFactory) -> Path:
    books = tmp_path_factory.mktemp("books") / "books"
    shutil.copytree(DEMO_BOOKS.parent, books)
    return books / "main.beancount"


@pytest.mark.parametrize(("period", "first", "last", "label", "closed"), [
    ("2012", datetime.date(2012, 1, 1), datetime.date(2012, 12, 31), "2012年", True),
    ("2012-10", datetime.date(2012, 10, 1), datetime.date(2012, 10, 31), "2012年10月", False),
    # a month is never closed, December neither
    ("2012-12", datetime.date(2012, 12, 1), datetime.date(2012, 12, 31), "2012年12月", False),
])
def test_the_demo_books_balance_account_by_account(
        tmp_path: Path, demo_books: Path, period: str, first: datetime.date,
        last: datetime.date, label: str, closed: bool) -> None:
    result = print_balance(tmp_path, period, "--ledger", str(demo_books))
    assert result.exit_code == 0, result.output
    pdf = tmp_path / period / f"科目余额表-{period}.pdf"
    check_printed(pdf, demo_books, first, last, closed=closed)
    assert ("本年已结账" in pdf_text(pdf)) == closed
    pages = pdf_pages(pdf)
    for number, page in enumerate(pages, start=1):
        assert "科目余额表" in page and f"期间：{label}" in page
        assert re.search(r"期初余额\s+本期发生额\s+期末余额", page)
        assert re.search(rf"第\s*{number}\s*页\s*共\s*{len(pages)}\s*页", page)
    figures, _ = expected_balance(demo_books, first, last, closed=closed)
    assert f"科目余额表：{len(figures)} 个科目，共 {len(pages)} 页" in result.output


def test_two_years_open_income_level_and_carry_the_result(tmp_path: Path) -> None:
    books = two_year_books(tmp_path / "books")
    for period, first, last, closed in (
            ("2012", datetime.date(2012, 1, 1), datetime.date(2012, 12, 31), True),
            ("2012-02", datetime.date(2012, 2, 1), datetime.date(2012, 2, 29), False),
            ("2011-03", datetime.date(2011, 3, 1), datetime.date(2011, 3, 31), False)):
        result = print_balance(tmp_path / "out", period, "--ledger", str(books))
        assert result.exit_code == 0, result.output
        check_printed(tmp_path / "out" / period / f"科目余额表-{period}.pdf", books, first, last,
                      closed=closed)
    printed = dict(printed_balance(tmp_path / "out" / "2012" / "科目余额表-2012.pdf"))
    # 2011's result opens 3102; 2012's expenses (50,000.00 + 100.00) are closed into it
    assert printed["3102 限定性净资产"] == (None, Decimal("69700.00"), Decimal("50100.00"),
                                       Decimal("0.00"), None, Decimal("19600.00"))
    # opens the year at 平, its 120.00 debit and the 20.00 and 100.00 credits, 平
    assert printed["5201 管理费用"] == (None, None, Decimal("120.00"), Decimal("120.00"), None,
                                    None)
    february = dict(printed_balance(tmp_path / "out" / "2012-02" / "科目余额表-2012-02.pdf"))
    # a month opens with what the year brought before it
    assert february["5201 管理费用"][0] == Decimal("100.00")


def test_the_workbook_holds_the_table(tmp_path: Path) -> None:
    books = two_year_books(tmp_path / "books")
    assert print_balance(tmp_path / "out", "2012", "--ledger", str(books)).exit_code == 0
    sheet = openpyxl.load_workbook(tmp_path / "out" / "2012" / "科目余额表-2012.xlsx").active
    assert sheet is not None
    rows = without_sign_off(list(sheet.iter_rows(values_only=True)))
    heading = next(index for index, row in enumerate(rows) if row[0] == "科目")
    table = [(str(row[0]).strip("\u3000"),
              tuple(None if cell is None else Decimal(str(cell)) for cell in row[2:]))
             for row in rows[heading + 1:]]
    assert table == printed_balance(tmp_path / "out" / "2012" / "科目余额表-2012.pdf")


def test_totals_that_do_not_balance_are_refused() -> None:
    rows = [BalanceRow("Assets:1002-银行存款", True, debit=Decimal("10.00")),
            BalanceRow("Income:4401-政府补助收入", True, credit=Decimal("9.99"))]
    with pytest.raises(Unbalanced, match="借贷不平"):
        _totals(rows, "CNY", "2012年")


def test_totals_that_balance_pass() -> None:
    rows = [BalanceRow("Assets:1002-银行存款", True, opening=Decimal("5.00"),
                       debit=Decimal("10.00")),
            BalanceRow("Equity:3101-非限定性净资产", True, opening=Decimal("-5.00")),
            BalanceRow("Income:4401-政府补助收入", True, credit=Decimal("10.00"))]
    totals = _totals(rows, "CNY", "2012年")
    assert (totals.opening_debit, totals.closing_debit, totals.closing_credit) == (
        Decimal("5.00"), Decimal("15.00"), Decimal("15.00"))


@pytest.mark.parametrize(("period", "said"), [
    ("2012-13", "月份应为 YYYY-MM"),
    ("12", "期间应为年度 YYYY 或月份 YYYY-MM"),
    ("2030", "不在账簿期间"),
    ("2013-01", "不在账簿期间"),
])
def test_refusals_write_nothing(tmp_path: Path, period: str, said: str) -> None:
    books = two_year_books(tmp_path / "books")
    (tmp_path / "out").mkdir()
    result = print_balance(tmp_path / "out", period, "--ledger", str(books))
    assert result.exit_code == 2
    assert said in result.output and NOTHING_WRITTEN in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert not list((tmp_path / "out").iterdir())


def test_no_chinese_font_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    books = two_year_books(tmp_path / "books")
    monkeypatch.setenv("EARMARK_CJK_FONT", str(tmp_path / "missing.ttc"))
    result = print_balance(tmp_path / "out", "2012", "--ledger", str(books))
    assert result.exit_code == 2 and NOTHING_WRITTEN in result.output
    assert not list(tmp_path.glob("out/**/*.*"))


TWO_CURRENCIES = """\
option "title" "外币测试单位"
option "operating_currency" "CNY"
2012-01-01 open Assets:1002-银行存款:美元户 USD
2012-01-01 open Assets:1002-银行存款:基本户 CNY
2012-01-01 open Equity:3101-非限定性净资产
2012-02-01 * "海外校友" "美元捐赠"
  Assets:1002-银行存款:美元户                 100.00 USD
  Equity:3101-非限定性净资产                 -100.00 USD
2012-02-02 * "开户" "人民币开户资金"
  Assets:1002-银行存款:基本户                 500.00 CNY
  Equity:3101-非限定性净资产                 -500.00 CNY
"""


def test_each_currency_prints_its_own_ledgers_and_balances(tmp_path: Path) -> None:
    books = tmp_path / "main.beancount"
    books.write_text(TWO_CURRENCIES, encoding="utf-8")
    ledger = CliRunner().invoke(funds, ["print", "ledger", "2012", "--ledger", str(books),
                                        "--out", str(tmp_path / "out")])
    assert ledger.exit_code == 0, ledger.output
    pages = pdf_pages(tmp_path / "out" / "2012" / "明细账-2012.pdf")
    currencies = [re.search(r"币种：(\w+)", page) for page in pages]
    assert [(match.group(1) if match else None, "金额单位：元" in page)
            for match, page in zip(currencies, pages, strict=True)] == [
        ("CNY", True), ("USD", False), ("CNY", True), ("USD", False)]
    result = print_balance(tmp_path / "out", "2012", "--ledger", str(books))
    assert result.exit_code == 0, result.output
    rows = printed_balance(tmp_path / "out" / "2012" / "科目余额表-2012.pdf")
    hundred, five_hundred, zero = Decimal("100.00"), Decimal("500.00"), Decimal("0.00")
    assert [row for row in rows if row[0] == "合计"] == [
        ("合计", (zero, zero, five_hundred, five_hundred, five_hundred, five_hundred)),
        ("合计", (zero, zero, hundred, hundred, hundred, hundred))]


def test_the_totals_never_stand_alone_on_a_page(tmp_path: Path, demo_books: Path) -> None:
    result = print_balance(tmp_path, "2012", "--ledger", str(demo_books))
    assert result.exit_code == 0, result.output
    pages = pdf_pages(tmp_path / "2012" / "科目余额表-2012.pdf")
    last = pages[-1].splitlines()
    heading = next(index for index, line in enumerate(last) if line.count("借方") == 3)
    rows = [line for line in last[heading + 1:] if AMOUNT.search(line)]
    assert len(rows) >= 2 and rows[-1].lstrip().startswith("合计")


NAMES_ALIKE = """\
option "title" "相似科目名测试单位"
option "operating_currency" "CNY"
2012-01-01 open Assets:Bank CNY
2012-01-01 open Assets:Bank-2 CNY
2012-01-01 open Assets:Bank:Checking CNY
2012-01-01 open Equity:Opening CNY
2012-01-02 * "开户" "三户开户资金"
  Assets:Bank                 1.00 CNY
  Assets:Bank-2               2.00 CNY
  Assets:Bank:Checking        4.00 CNY
  Equity:Opening             -7.00 CNY
"""


def test_each_general_account_heads_all_its_sub_accounts_once(tmp_path: Path) -> None:
    books = tmp_path / "main.beancount"
    books.write_text(NAMES_ALIKE, encoding="utf-8")
    result = print_balance(tmp_path / "out", "2012", "--ledger", str(books))
    assert result.exit_code == 0, result.output
    rows = printed_balance(tmp_path / "out" / "2012" / "科目余额表-2012.pdf")
    two, four, five, seven, zero = (Decimal(text) for text in ("2.00", "4.00", "5.00",
                                                               "7.00", "0.00"))
    # Assets:Bank, posted itself, and Assets:Bank:Checking under one 总账 row; Assets:Bank-2
    # is a 总账科目 of its own, whose name sorts between the two
    assert [(name, cells[2]) for name, cells in rows] == [
        ("Assets:Bank", five), ("Checking", four), ("Assets:Bank-2", two),
        ("Equity:Opening", zero), ("合计", seven)]


def test_nothing_to_print_prints_a_page_that_says_so(tmp_path: Path) -> None:
    ledger = write_pdf(ledger_document(Ledgers("空账单位", 2012)), tmp_path / "l.pdf")
    (page,) = pdf_pages(ledger)
    assert "明细账" in page and "本年没有需要打印的科目" in page and "空账单位" in page
    balance = TrialBalance("空账单位", "2012-02", "2012年2月", datetime.date(2012, 2, 1),
                           datetime.date(2012, 2, 29))
    table = write_pdf(trial_balance_document(balance), tmp_path / "t.pdf")
    (page,) = pdf_pages(table)
    assert "科目余额表" in page and "本期没有余额或发生额" in page and "空账单位" in page


def test_the_year_end_agrees_with_the_balance_sheet_and_the_monthly_export(
        tmp_path: Path, demo_books: Path) -> None:
    """The 科目余额表's 期末 against `funds export annual`'s 资产负债表 and `funds export
    monthly`'s 资金收支月报: cash and payables line by line; net assets (3101, 3102, which
    takes the year's result when the year is closed, income and expense then at 平) against
    净资产合计, and 3102 against 限定性净资产 (all the demo's funds are restricted)."""
    assert print_balance(tmp_path / "tb", "2012", "--ledger", str(demo_books)).exit_code == 0
    printed = dict(printed_balance(tmp_path / "tb" / "2012" / "科目余额表-2012.pdf"))
    for args in (["annual", "2012"], ["monthly", "2012-12"]):
        exported = CliRunner().invoke(funds, ["export", *args, "--ledger", str(demo_books),
                                              "--out", str(tmp_path / "export")])
        assert exported.exit_code == 0, exported.output
    with (tmp_path / "export" / "2012" / "1-资产负债表.csv").open(encoding="utf-8-sig") as file:
        sheet = {row[1]: Decimal(row[3]) for row in csv.reader(file) if len(row) == 4
                 and row[0].isdigit()}

    def closing(name: str) -> Decimal:
        cells = printed.get(name, (None,) * 6)
        return (cells[4] or Decimal(0)) - (cells[5] or Decimal(0))

    assert closing("1001 现金") + closing("1002 银行存款") == sheet["货币资金"]
    assert -closing("2209 其他应付款") == sheet["应付款项"]
    assert -closing("2206 应交税金") == sheet["应交税金"]
    results = [name for name in printed if re.match(r"[45]\d{3} ", name)]
    assert results and not any(closing(name) for name in results)  # closed to 平
    assert -closing("3101 非限定性净资产") - closing("3102 限定性净资产") == sheet["净资产合计"]
    assert -closing("3102 限定性净资产") == sheet["限定性净资产"]
    with (tmp_path / "export" / "2012-12" / "1-资金收支月报.csv").open(
            encoding="utf-8-sig") as file:
        banks = {row[1].split()[-1]: Decimal(row[6]) for row in csv.reader(file)
                 if len(row) > 6 and row[1].startswith("其中")}
    assert len(banks) == 4  # three 专户 and the 备用金
    for account, balance in banks.items():
        assert closing(names(account)[1]) == balance, account


def closings_and_openings(pdf: Path) -> tuple[dict[str, Six], dict[str, Six]]:
    """Each printed row's 期末 (借, 贷) and 期初 (借, 贷), by 科目."""
    rows = dict(printed_balance(pdf))
    return ({name: cells[4:] for name, cells in rows.items()},
            {name: cells[:2] for name, cells in rows.items()})


def test_each_years_closing_is_the_next_years_opening(tmp_path: Path) -> None:
    """The auditor's first check, on every account of two-year books: the ledger's 结转下年
    of 2011 is its 上年结转 of 2012, and the trial balance's 期末 of 2011 its 期初 of 2012."""
    books = two_year_books(tmp_path / "books")
    for year in ("2011", "2012"):
        for command in ("ledger", "trial-balance"):
            result = CliRunner().invoke(funds, ["print", command, year, "--ledger", str(books),
                                                "--out", str(tmp_path / "out")])
            assert result.exit_code == 0, result.output
    first = printed_ledgers(tmp_path / "out" / "2011" / "明细账-2011.pdf")
    second = printed_ledgers(tmp_path / "out" / "2012" / "明细账-2012.pdf")
    level = (Row("上年结转", 1, 1, None, None, "平", Decimal("0.00")),
             Row("结转下年", 12, 31, None, None, "平", Decimal("0.00")))
    for key in first.keys() | second.keys():
        ended, opened = first.get(key, level)[-1], second.get(key, level)[0]
        assert (ended.kind, ended.side, ended.balance) == ("结转下年", opened.side,
                                                          opened.balance), key
        assert opened.kind == "上年结转"
    assert ("4401 政府补助收入", "限定性收入—区财政—建设经费") in first  # closed to 平
    closings, _ = closings_and_openings(tmp_path / "out" / "2011" / "科目余额表-2011.pdf")
    _, openings = closings_and_openings(tmp_path / "out" / "2012" / "科目余额表-2012.pdf")
    for name in closings.keys() | openings.keys():
        assert closings.get(name, (None, None)) == openings.get(name, (None, None)), name
    assert closings["4401 政府补助收入"] == (None, None)
    assert closings["3102 限定性净资产"] == (None, Decimal("69700.00"))


def test_a_year_not_over_and_a_month_are_not_closed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dates, "today", lambda: datetime.date(2012, 6, 30))
    books = two_year_books(tmp_path / "books")
    result = print_balance(tmp_path / "out", "2012", "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert "2012 年尚未结束：未做年末结转" in result.output
    pdf = tmp_path / "out" / "2012" / "科目余额表-2012.pdf"
    check_printed(pdf, books, datetime.date(2012, 1, 1), datetime.date(2012, 12, 31))
    assert "本年已结账" not in pdf_text(pdf)
    printed = dict(printed_balance(pdf))
    assert printed["5201 管理费用"][4:] == (Decimal("100.00"), None)
    # a month of a year that is over: as the books stand, and nothing said of closing
    month = print_balance(tmp_path / "out", "2011-12", "--ledger", str(books))
    assert month.exit_code == 0, month.output
    assert "结转" not in month.output
    december = dict(printed_balance(tmp_path / "out" / "2011-12" / "科目余额表-2011-12.pdf"))
    assert december["4401 政府补助收入"][5] == Decimal("100000.00")
