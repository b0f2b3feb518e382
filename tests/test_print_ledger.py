"""``funds print ledger YEAR``: the 三栏式明细账 read back from the PDF (pdftotext) row by row
against balances summed here from the entries, on the demo books and on two-year books written
here; the workbook; refusals that write nothing; one page rendered to PNG; generated books."""

from __future__ import annotations

import datetime
import itertools
import re
import shutil
import textwrap
import warnings
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from beancount import loader
from beancount.core import data
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.check import DEMO_BOOKS
from ledger.cli.main import funds
from ledger.rules import dates
from reports.printed.account_ledger import account_ledgers, voucher_label, year_finished
from reports.printed.layout import CLOSING, OPENING
from reports.printed.ledger_pdf import ledger_document, red_lines
from reports.printed.pdf import new_document, write_pdf
from reports.printed.ruled import Column, RuledPages
from reports.printed.trial_balance import trial_balance
from tests.pdf_tools import pdf_pages, pdf_text, render_png
from tests.workbook_tables import without_sign_off

AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})*\.\d{2}")
TITLE = re.compile(r"总账科目：(.+?)\s+明细科目：(.+?)\s*$", re.MULTILINE)
ROW_END = re.compile(r"\s(借|贷|平)\s+(" + AMOUNT.pattern + r")\s*$")
LEADING = re.compile(r"\s*(\d{1,2})(?:\s+(\d{1,2}))?\s")
TOTALS = ("上年结转", "本月合计", "本年累计", "结转下年")
CLOSINGS = ("结转本年收入", "结转本年费用")  # the year-end 结转 of a finished year
MARKED = "（打印时生成，账簿中无此分录）"
CARRIES = ("过次页", "承前页")
NOTHING_WRITTEN = "未写入任何文件 / nothing was written"

TWO_YEARS = textwrap.dedent("""\
    option "title" "两年账簿测试单位"
    option "operating_currency" "CNY"
    option "account_previous_earnings" "3102-限定性净资产"
    2011-01-01 open Assets:1001-现金:备用金 CNY
    2011-01-01 open Assets:1002-银行存款:建设经费专户 CNY
    2011-01-01 open Assets:1501-固定资产:办公设备 CNY
    2011-01-01 open Liabilities:2209-其他应付款:社会保险费 CNY
    2011-01-01 open Equity:3101-非限定性净资产 CNY
    2011-01-01 open Equity:3102-限定性净资产 CNY
    2011-01-01 open Income:4401-政府补助收入:限定性收入:区财政:建设经费 CNY
    2011-01-01 open Expenses:5101-业务活动成本:建设经费:装修工程 CNY
    2011-01-01 open Expenses:5201-管理费用:办公费 CNY
    2011-01-01 open Assets:Bank:Dedicated:Construction CNY

    2011-01-01 * "开户" "期初资金"
      voucher: "记-201101-001"
      Assets:1002-银行存款:建设经费专户           5000.00 CNY
      Equity:3101-非限定性净资产                 -5000.00 CNY
    2011-03-10 * "区财政" "建设经费拨款"
      voucher: "记-201103-001"
      Assets:1002-银行存款:建设经费专户         100000.00 CNY
      Income:4401-政府补助收入:限定性收入:区财政:建设经费  -100000.00 CNY
    2011-03-20 * "装修公司" "装修工程首付款"
      voucher: "记-201103-002"
      Expenses:5101-业务活动成本:建设经费:装修工程   30000.00 CNY
      Assets:1002-银行存款:建设经费专户          -30000.00 CNY
    2011-06-01 * "电脑城" "办公电脑"
      voucher: "记-201106-001"
      Assets:1501-固定资产:办公设备              8000.00 CNY
      Assets:1002-银行存款:建设经费专户           -8000.00 CNY
    2011-12-30 * "社工" "计提社会保险费"
      voucher: "记-201112-001"
      Expenses:5201-管理费用:办公费               300.00 CNY
      Liabilities:2209-其他应付款:社会保险费       -300.00 CNY
    2012-01-05 * "社保局" "缴纳社会保险费"
      voucher: "记-201201-001"
      Liabilities:2209-其他应付款:社会保险费        300.00 CNY
      Assets:1002-银行存款:建设经费专户            -300.00 CNY
    2012-01-08 * "银行" "提取备用金"
      voucher: "记-201201-002"
      Assets:1001-现金:备用金                     500.00 CNY
      Assets:1002-银行存款:建设经费专户            -500.00 CNY
    2012-01-20 * "文具店" "办公用品（部分退货冲回）"
      voucher: "记-201201-003"
      Expenses:5201-管理费用:办公费               120.00 CNY
      Assets:1001-现金:备用金                    -120.00 CNY
      Assets:1001-现金:备用金                      20.00 CNY
      Expenses:5201-管理费用:办公费               -20.00 CNY
    2012-02-14 * "装修公司" "装修工程尾款"
      voucher: "记-201202-001"
      Expenses:5101-业务活动成本:建设经费:装修工程   50000.00 CNY
      Assets:1002-银行存款:建设经费专户          -50000.00 CNY
    2012-02-28 * "银行" "备用金存回"
      Assets:1002-银行存款:建设经费专户            400.00 CNY
      Assets:1001-现金:备用金                    -400.00 CNY
    2012-03-01 * "Bank" "English-named dedicated account"
      voucher: "JV 7"
      Assets:Bank:Dedicated:Construction          10.00 CNY
      Assets:1002-银行存款:建设经费专户             -10.00 CNY
    """)


@dataclass(frozen=True)
class Row:
    """A ledger row as printed: kind (a total's name, or "" for a posting), 月, 日, 借方, 贷方,
    借或贷, 余额 (None for an empty cell)."""

    kind: str
    month: int | None
    day: int | None
    debit: Decimal | None
    credit: Decimal | None
    side: str
    balance: Decimal


def amount(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def printed_ledgers(pdf: Path, *, carried: bool = False) -> dict[tuple[str, str], list[Row]]:
    """Each account's rows read back from the PDF (with ``carried``, the 过次页 and 承前页 rows
    too); an amount is in 借方 or 贷方 by where it ends against the headings (amounts are
    right-aligned, headings centred)."""
    found: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for page in pdf_pages(pdf):
        lines = page.splitlines()
        title = TITLE.search(page)
        assert title is not None, page
        key = (title.group(1).strip(), title.group(2).strip())
        heading = next(index for index, line in enumerate(lines) if "凭证字号" in line)
        debit_at = lines[heading].index("借方") + 1
        credit_at = lines[heading].index("贷方") + 1
        for line in lines[heading + 1:]:
            end = ROW_END.search(line)
            if end is None:
                continue
            debit = credit = None
            for match in AMOUNT.finditer(line[:end.start()]):
                if match.end() > credit_at:
                    credit = amount(match.group())
                elif match.end() > debit_at:
                    debit = amount(match.group())
            kind = next((name for name in (*TOTALS, *CLOSINGS, *CARRIES) if name in line), "")
            if kind in CARRIES and not carried:
                continue
            leading = LEADING.match(line)
            month = int(leading.group(1)) if leading else None
            day = int(leading.group(2)) if leading and leading.group(2) else None
            found[key].append(Row(kind, month, day, debit, credit, end.group(1),
                                  amount(end.group(2))))
    return dict(found)


def names(account: str) -> tuple[str, str]:
    """总账科目 and 明细科目 as the test expects them printed."""
    parts = account.split(":")
    coded = re.match(r"(\d{4})-(.+)", parts[1])
    if coded is None:
        return ":".join(parts[:2]), ":".join(parts[2:]) or "—"
    return f"{coded.group(1)} {coded.group(2)}", "—".join(parts[2:]) or "—"


def side(balance: Decimal) -> str:
    return "借" if balance > 0 else "贷" if balance < 0 else "平"


def expected_ledgers(path: Path, year: int, *, closed: bool = True,
                     ) -> dict[tuple[str, str], list[Row]]:
    """The rows each account's ledger must print, summed here from the entries: income and
    expense open at 平, the result of the years before carried in 3102; with ``closed`` (a
    finished year), on 12-31 each income and expense account with a balance closed to 平 and
    3102 taking the year's income and its expenses in a row each."""
    entries, errors, options_map = loader.load_file(str(path))
    assert not errors
    carried = f"Equity:{options_map['account_previous_earnings']}"
    opening: dict[str, Decimal] = defaultdict(Decimal)
    lines: dict[str, list[tuple[datetime.date, Decimal, Decimal, str]]] = defaultdict(list)
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        merged: dict[str, list[Decimal]] = {}
        for posting in entry.postings:
            assert posting.cost is None and posting.price is None
            assert posting.units is not None and posting.units.number is not None
            number = posting.units.number
            if entry.date.year < year:
                result = posting.account.split(":")[0] in ("Income", "Expenses")
                opening[carried if result else posting.account] += number
            elif entry.date.year == year:
                sides = merged.setdefault(posting.account, [Decimal(0), Decimal(0)])
                sides[0 if number > 0 else 1] += abs(number)
        for account, (debit, credit) in merged.items():
            lines[account].append((entry.date, debit, credit, ""))
    if closed:
        close_the_year(lines, carried, year)
    expected = {}
    for account in {name for name, value in opening.items() if value} | set(lines):
        balance = opening[account]
        rows = [Row("上年结转", 1, 1, None, None, side(balance), abs(balance))]
        year_debit = year_credit = Decimal(0)
        for month in range(1, 13):
            month_lines = [line for line in lines[account] if line[0].month == month]
            if not month_lines:
                continue
            for day, debit, credit, kind in month_lines:
                balance += debit - credit
                rows.append(Row(kind, month, day.day, debit or None, credit or None,
                                side(balance), abs(balance)))
            month_debit = sum((line[1] for line in month_lines), Decimal(0))
            month_credit = sum((line[2] for line in month_lines), Decimal(0))
            year_debit += month_debit
            year_credit += month_credit
            rows.append(Row("本月合计", month, None, month_debit, month_credit, side(balance),
                            abs(balance)))
            rows.append(Row("本年累计", month, None, year_debit, year_credit, side(balance),
                            abs(balance)))
        rows.append(Row("结转下年", 12, 31, None, None, side(balance), abs(balance)))
        expected[names(account)] = rows
    return expected


def close_the_year(lines: dict[str, list[tuple[datetime.date, Decimal, Decimal, str]]],
                   carried: str, year: int) -> None:
    """Add the year-end 结转 lines (the year's income and expense accounts open at zero)."""
    day = datetime.date(year, 12, 31)
    totals = {"Income": Decimal(0), "Expenses": Decimal(0)}
    for account in sorted(lines):
        root = account.split(":")[0]
        balance = sum((debit - credit for _, debit, credit, _ in lines[account]), Decimal(0))
        if root in totals and balance:
            kind = "结转本年收入" if root == "Income" else "结转本年费用"
            lines[account].append((day, max(-balance, Decimal(0)), max(balance, Decimal(0)),
                                   kind))
            totals[root] += balance
    for root, kind in (("Income", "结转本年收入"), ("Expenses", "结转本年费用")):
        if totals[root]:
            lines[carried].append((day, max(totals[root], Decimal(0)),
                                   max(-totals[root], Decimal(0)), kind))


def print_ledger(out: Path, year: str, *args: str) -> Result:
    return CliRunner().invoke(funds, ["print", "ledger", year, "--out", str(out), *args])


def two_year_books(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "main.beancount"
    path.write_text(TWO_YEARS, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def demo_ledger(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    books = tmp_path_factory.mktemp("books") / "books"
    shutil.copytree(DEMO_BOOKS.parent, books)
    out = tmp_path_factory.mktemp("out")
    return out, print_ledger(out, "2012", "--ledger", str(books / "main.beancount"))


def test_the_demo_books_print_the_whole_2012_ledger_row_by_row(
        demo_ledger: tuple[Path, Result]) -> None:
    out, result = demo_ledger
    assert result.exit_code == 0, result.output
    pdf = out / "2012" / "明细账-2012.pdf"
    expected = expected_ledgers(DEMO_BOOKS, 2012)
    printed = printed_ledgers(pdf)
    assert set(printed) == set(expected)
    for key, rows in expected.items():
        assert printed[key] == rows, key
    pages = pdf_pages(pdf)
    assert f"明细账：{len(expected)} 个科目，共 {len(pages)} 页" in result.output
    assert str(pdf) in result.output and str(pdf.with_suffix(".xlsx")) in result.output


def test_every_page_repeats_the_title_and_headings_and_is_numbered(
        demo_ledger: tuple[Path, Result]) -> None:
    out, _ = demo_ledger
    pages = pdf_pages(out / "2012" / "明细账-2012.pdf")
    assert len(pages) > len(expected_ledgers(DEMO_BOOKS, 2012))  # some accounts run on
    for number, page in enumerate(pages, start=1):
        assert "明细账" in page and TITLE.search(page)
        assert "东山区社区社工综合服务中心示范点 专项资金账簿" in page and "2012 年度" in page
        assert re.search(r"月\s+日\s+凭证字号\s+摘要\s+借方\s+贷方\s+借或贷\s+余额", page) or (
            re.search(r"凭证字号\s+摘要\s+借方\s+贷方\s+借或贷\s+余额", page))
        assert re.search(rf"第\s*{number}\s*页\s*共\s*{len(pages)}\s*页", page)


def test_a_page_carries_the_years_sums_and_balance_to_the_next(
        demo_ledger: tuple[Path, Result]) -> None:
    out, _ = demo_ledger
    pages = pdf_pages(out / "2012" / "明细账-2012.pdf")
    printed = printed_ledgers(out / "2012" / "明细账-2012.pdf", carried=True)
    carried = 0
    for key, rows in printed.items():
        debit = credit = Decimal(0)
        for index, row in enumerate(rows):
            if row.kind == "过次页":
                before = rows[index - 1]
                assert (row.month, row.debit, row.credit, row.side, row.balance) == (
                    before.month, debit, credit, before.side, before.balance), key
                assert rows[index + 1] == Row("承前页", row.month, None, row.debit, row.credit,
                                              row.side, row.balance), key
                carried += 1
            elif row.kind == "承前页":
                assert rows[index - 1].kind == "过次页"
            elif not row.kind:
                debit += row.debit or 0
                credit += row.credit or 0
    # every page an account runs on from ends with 过次页, and only those
    runs_on = sum(1 for this, after in itertools.pairwise(pages)
                  if TITLE.search(this) and TITLE.search(after)
                  and TITLE.findall(this) == TITLE.findall(after))
    assert carried == runs_on > 0
    assert sum("过次页" in page for page in pages) == runs_on


def test_the_voucher_number_reads_as_the_bound_vouchers_do(
        demo_ledger: tuple[Path, Result]) -> None:
    out, _ = demo_ledger
    first = pdf_pages(out / "2012" / "明细账-2012.pdf")[1]
    assert re.search(r"4\s+13\s+记\s?1\s+收到东管财〔2012〕15号拨款\s+300,000.00\s+借\s+"
                     r"300,000.00", first)


def test_the_demo_ledger_ends_no_line_with_an_opening_bracket(
        demo_ledger: tuple[Path, Result]) -> None:
    out, _ = demo_ledger
    lines = pdf_text(out / "2012" / "明细账-2012.pdf", layout=False).splitlines()
    at = lines.index("建设期结束，上缴建设经费结余")  # its bracket goes down with what it opens
    assert lines[at + 1].startswith("（专户留存")
    assert [line for line in lines if line[-1:] in OPENING] == []
    assert [line for line in lines if line[:1] in CLOSING] == []


def test_a_voucher_of_the_month_shows_as_its_word_and_number() -> None:
    assert voucher_label("记-201204-001", datetime.date(2012, 4, 13)) == "记 1"
    assert voucher_label("记-201204-012", datetime.date(2012, 4, 30)) == "记 12"


def test_a_voucher_of_another_month_or_form_shows_whole() -> None:
    assert voucher_label("记-201204-001", datetime.date(2012, 5, 2)) == "记-201204-001"
    assert voucher_label("记字第9号", datetime.date(2012, 5, 2)) == "记字第9号"
    assert voucher_label("JV 7", datetime.date(2012, 5, 2)) == "JV 7"
    assert voucher_label("", datetime.date(2012, 5, 2)) == ""


def test_two_years_carry_forward_and_income_opens_level(tmp_path: Path) -> None:
    books = two_year_books(tmp_path / "books")
    for year in ("2011", "2012"):
        result = print_ledger(tmp_path / "out", year, "--ledger", str(books))
        assert result.exit_code == 0, result.output
    first = printed_ledgers(tmp_path / "out" / "2011" / "明细账-2011.pdf")
    second = printed_ledgers(tmp_path / "out" / "2012" / "明细账-2012.pdf")
    assert first == expected_ledgers(books, 2011)
    assert second == expected_ledgers(books, 2012)
    bank = ("1002 银行存款", "建设经费专户")
    assert first[bank][-1] == Row("结转下年", 12, 31, None, None, "借", Decimal("67000.00"))
    assert second[bank][0] == Row("上年结转", 1, 1, None, None, "借", Decimal("67000.00"))
    income = ("4401 政府补助收入", "限定性收入—区财政—建设经费")
    # 2011 is over (the books run on into 2012): income closed to 平 on 12-31
    hundred_thousand = Decimal("100000.00")
    assert first[income][-4:] == [
        Row("结转本年收入", 12, 31, hundred_thousand, None, "平", Decimal("0.00")),
        Row("本月合计", 12, None, hundred_thousand, Decimal("0.00"), "平", Decimal("0.00")),
        Row("本年累计", 12, None, hundred_thousand, hundred_thousand, "平", Decimal("0.00")),
        Row("结转下年", 12, 31, None, None, "平", Decimal("0.00"))]
    assert income not in second  # no posting in 2012, and it opens at 平
    # the result of 2011 (100,000.00 - 30,000.00 - 300.00) closed into 3102 ...
    equity = ("3102 限定性净资产", "—")
    assert first[equity] == [
        Row("上年结转", 1, 1, None, None, "平", Decimal("0.00")),
        Row("结转本年收入", 12, 31, None, hundred_thousand, "贷", hundred_thousand),
        Row("结转本年费用", 12, 31, Decimal("30300.00"), None, "贷", Decimal("69700.00")),
        Row("本月合计", 12, None, Decimal("30300.00"), hundred_thousand, "贷",
            Decimal("69700.00")),
        Row("本年累计", 12, None, Decimal("30300.00"), hundred_thousand, "贷",
            Decimal("69700.00")),
        Row("结转下年", 12, 31, None, None, "贷", Decimal("69700.00"))]
    # ... opens 2012, and takes 2012's expenses (50,000.00 + 100.00) when it closes
    assert second[equity] == [
        Row("上年结转", 1, 1, None, None, "贷", Decimal("69700.00")),
        Row("结转本年费用", 12, 31, Decimal("50100.00"), None, "贷", Decimal("19600.00")),
        Row("本月合计", 12, None, Decimal("50100.00"), Decimal("0.00"), "贷",
            Decimal("19600.00")),
        Row("本年累计", 12, None, Decimal("50100.00"), Decimal("0.00"), "贷",
            Decimal("19600.00")),
        Row("结转下年", 12, 31, None, None, "贷", Decimal("19600.00"))]
    # an account with a balance and no posting in the year
    assert second["1501 固定资产", "办公设备"] == [
        Row("上年结转", 1, 1, None, None, "借", Decimal("8000.00")),
        Row("结转下年", 12, 31, None, None, "借", Decimal("8000.00"))]
    # expenses open at 平; a transaction's debit and credit to one account on one row
    assert second["5201 管理费用", "办公费"][:2] == [
        Row("上年结转", 1, 1, None, None, "平", Decimal("0.00")),
        Row("", 1, 20, Decimal("120.00"), Decimal("20.00"), "借", Decimal("100.00"))]
    # cash back to zero: 平
    cash = second["1001 现金", "备用金"]
    assert cash[-4:] == [Row("", 2, 28, None, Decimal("400.00"), "平", Decimal("0.00")),
                         Row("本月合计", 2, None, Decimal("0.00"), Decimal("400.00"), "平",
                             Decimal("0.00")),
                         Row("本年累计", 2, None, Decimal("520.00"), Decimal("520.00"), "平",
                             Decimal("0.00")),
                         Row("结转下年", 12, 31, None, None, "平", Decimal("0.00"))]
    assert ("Assets:Bank", "Dedicated:Construction") in second


def test_the_closing_rows_say_the_print_made_them(tmp_path: Path) -> None:
    books = two_year_books(tmp_path / "books")
    result = print_ledger(tmp_path / "out", "2011", "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert ("2011 年已结束：收入、费用科目于 12 月 31 日结转至 3102 限定性净资产"
            "（结转行为打印时生成，账簿中无此分录）") in result.output
    text = "".join(pdf_text(tmp_path / "out" / "2011" / "明细账-2011.pdf",
                            layout=False).split())  # a wrapped 摘要 joined
    # 4401 and 3102 take the income in, 5101, 5201 and 3102 the expenses
    assert text.count("结转本年收入" + MARKED) == 2
    assert text.count("结转本年费用" + MARKED) == 3
    assert books.read_text(encoding="utf-8") == TWO_YEARS  # the books are not written


def test_a_year_not_over_is_printed_as_the_books_stand(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dates, "today", lambda: datetime.date(2012, 12, 31))
    books = two_year_books(tmp_path / "books")
    result = print_ledger(tmp_path / "out", "2012", "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert "2012 年尚未结束：未做年末结转" in result.output and "已结束" not in result.output
    printed = printed_ledgers(tmp_path / "out" / "2012" / "明细账-2012.pdf")
    assert printed == expected_ledgers(books, 2012, closed=False)
    assert printed["5201 管理费用", "办公费"][-1] == Row("结转下年", 12, 31, None, None, "借",
                                                     Decimal("100.00"))
    assert not any(row.kind in CLOSINGS for rows in printed.values() for row in rows)
    # 2011 is over all the same: the books run on after it
    assert print_ledger(tmp_path / "out", "2011", "--ledger", str(books)).exit_code == 0
    assert printed_ledgers(tmp_path / "out" / "2011" / "明细账-2011.pdf") == expected_ledgers(
        books, 2011)


def test_a_year_is_over_after_its_last_day_or_the_books_last_transaction() -> None:
    entries, _ = _loaded(TWO_YEARS)
    transactions = [entry for entry in entries if isinstance(entry, data.Transaction)]
    assert transactions[-1].date == datetime.date(2012, 3, 1)
    assert year_finished(transactions, 2012, datetime.date(2013, 1, 1))
    assert not year_finished(transactions, 2012, datetime.date(2012, 12, 31))  # its last day
    assert year_finished(transactions, 2011, datetime.date(2011, 6, 1))  # the books run on
    assert not year_finished(transactions[:5], 2011, datetime.date(2011, 12, 31))  # 2011-12-30
    assert not year_finished([], 2012, datetime.date(2012, 6, 1))


def test_the_workbook_holds_every_row_with_its_account(tmp_path: Path) -> None:
    books = two_year_books(tmp_path / "books")
    assert print_ledger(tmp_path / "out", "2012", "--ledger", str(books)).exit_code == 0
    sheet = openpyxl.load_workbook(tmp_path / "out" / "2012" / "明细账-2012.xlsx").active
    assert sheet is not None
    rows = without_sign_off(list(sheet.iter_rows(values_only=True)))
    heading = rows.index(("总账科目", "明细科目", "币种", "月", "日", "凭证字号", "摘要", "借方",
                          "贷方", "借或贷", "余额"))
    assert rows[0][:2] == ("单位", "两年账簿测试单位")
    by_account: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for cells in rows[heading + 1:]:
        general, detail, _, month, day, _, summary, debit, credit, sign, balance = (
            None if cell is None else str(cell) for cell in cells)
        assert general is not None and sign is not None and balance is not None
        kind = next((name for name in (*TOTALS, *CLOSINGS) if (summary or "").startswith(name)),
                    "")
        by_account[general, detail or "—"].append(Row(
            kind, _number(month), _number(day),
            None if debit is None else Decimal(debit),
            None if credit is None else Decimal(credit), sign, Decimal(balance)))
    assert by_account == expected_ledgers(books, 2012)
    closings = [cells[6] for cells in rows[heading + 1:] if cells[3] == 12 and cells[4] == 31
                and cells[6] != "结转下年"]
    assert closings == ["结转本年费用" + MARKED] * 3  # 5101, 5201 and 3102's
    assert ("说明", "本年已结账：12 月 31 日“结转本年收入”“结转本年费用”行为打印时生成，"
            "账簿中无此分录") in [row[:2] for row in rows[:heading]]


def _number(cell: str | None) -> int | None:
    return None if cell is None else int(cell)


def test_account_patterns_choose_the_accounts(tmp_path: Path) -> None:
    books = two_year_books(tmp_path / "books")
    result = print_ledger(tmp_path / "out", "2012", "--ledger", str(books),
                          "--account", "银行存款", "--account", "^assets:1001")
    assert result.exit_code == 0, result.output
    printed = printed_ledgers(tmp_path / "out" / "2012" / "明细账-2012.pdf")
    assert set(printed) == {("1002 银行存款", "建设经费专户"), ("1001 现金", "备用金")}
    assert "明细账：2 个科目" in result.output


@pytest.mark.parametrize(("year", "args", "said"), [
    ("20x2", [], "四位数字"),
    ("2030", [], "不在账簿期间"),
    ("2012", ["--account", "没有这个科目"],
     "2012 年没有既符合 --account 没有这个科目、又有余额或发生额的科目"),
    # the income account had its postings in 2011 and opens 2012 at 平
    ("2012", ["--account", "4401", "--account", "政府补助"],
     "2012 年没有既符合 --account 4401 --account 政府补助、又有余额或发生额的科目 / no account "
     "matching --account 4401 --account 政府补助 has a balance or a posting in 2012"),
    ("2012", ["--account", "银行("], "不是有效的正则表达式"),
])
def test_refusals_write_nothing(tmp_path: Path, year: str, args: list[str], said: str) -> None:
    books = two_year_books(tmp_path / "books")
    folder = tmp_path / "out" / "2012"
    folder.mkdir(parents=True)
    (folder / "明细账-2012.pdf").write_bytes(b"the old one")
    result = print_ledger(tmp_path / "out", year, "--ledger", str(books), *args)
    assert result.exit_code == 2
    assert said in result.output and NOTHING_WRITTEN in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert sorted(path.name for path in folder.iterdir()) == ["明细账-2012.pdf"]
    assert (folder / "明细账-2012.pdf").read_bytes() == b"the old one"
    assert [path.name for path in (tmp_path / "out").iterdir()] == ["2012"]


def test_books_that_do_not_load_write_nothing(tmp_path: Path) -> None:
    books = two_year_books(tmp_path / "books")
    books.write_text(TWO_YEARS + "2012-13-01 * broken\n", encoding="utf-8")
    result = print_ledger(tmp_path / "out", "2012", "--ledger", str(books))
    assert result.exit_code == 2
    assert "账本无法加载" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_no_chinese_font_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    books = two_year_books(tmp_path / "books")
    monkeypatch.setenv("EARMARK_CJK_FONT", str(tmp_path / "no-such-font.ttf"))
    result = print_ledger(tmp_path / "out", "2012", "--ledger", str(books))
    assert result.exit_code == 2
    assert "字体" in result.output and "font" in result.output
    assert NOTHING_WRITTEN in result.output and "Traceback" not in result.output
    assert not list((tmp_path / "out").rglob("*.*"))


def test_other_files_in_the_folder_are_left_alone(tmp_path: Path) -> None:
    books = two_year_books(tmp_path / "books")
    folder = tmp_path / "out" / "2012"
    folder.mkdir(parents=True)
    (folder / "记账凭证-2012-01.pdf").write_bytes(b"someone else's")
    (folder / "明细账-2012.pdf").write_bytes(b"the old one")
    assert print_ledger(tmp_path / "out", "2012", "--ledger", str(books)).exit_code == 0
    assert sorted(path.name for path in folder.iterdir()) == [
        "明细账-2012.pdf", "明细账-2012.xlsx", "记账凭证-2012-01.pdf"]
    assert (folder / "记账凭证-2012-01.pdf").read_bytes() == b"someone else's"
    assert (folder / "明细账-2012.pdf").read_bytes().startswith(b"%PDF")


def test_a_ledger_page_renders_for_a_person_to_look_at(tmp_path: Path,
                                                        demo_ledger: tuple[Path, Result]) -> None:
    out, _ = demo_ledger
    png = render_png(out / "2012" / "明细账-2012.pdf", 2, tmp_path / "明细账-第2页.png")
    assert png.read_bytes().startswith(b"\x89PNG")


LONG_NAME = "一个很长很长的明细科目名称用来检验换行而不截断" * 2

ACCOUNTS = [
    "Assets:1002-银行存款:基本户",
    "Assets:1001-现金:备用金",
    f"Liabilities:2209-其他应付款:{LONG_NAME}",
    "Equity:3101-非限定性净资产",
    "Income:4401-政府补助收入:限定性收入",
    "Expenses:5101-业务活动成本:项目",
    "Assets:Bank:Checking",
]


@st.composite
def generated_books(draw: st.DrawFn) -> str:
    """Small books over two years: each transaction moves an amount between two accounts,
    sometimes with a long narration."""
    lines = ['option "title" "生成的账簿"', 'option "operating_currency" "CNY"',
             'option "account_previous_earnings" "3102-限定性净资产"']
    lines += [f"2011-01-01 open {account} CNY" for account in ACCOUNTS]
    count = draw(st.integers(min_value=1, max_value=25))
    days = sorted(draw(st.lists(st.dates(datetime.date(2011, 1, 1), datetime.date(2012, 12, 31)),
                                min_size=count, max_size=count)))
    for day in days:
        debit, credit = draw(st.lists(st.sampled_from(ACCOUNTS), min_size=2, max_size=2,
                                      unique=True))
        cents = draw(st.integers(min_value=1, max_value=10**11))
        narration = draw(st.sampled_from(["付款", "收到拨款" * 12, "退回"]))
        value = Decimal(cents) / 100
        lines += [f'{day} * "对方" "{narration}"', f"  {debit}  {value} CNY",
                  f"  {credit}  {-value} CNY"]
    return "\n".join(lines) + "\n"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=generated_books(),
       today=st.dates(datetime.date(2012, 6, 1), datetime.date(2013, 6, 1)))
def test_generated_books_print_and_balance(text: str, today: datetime.date) -> None:
    entries, errors, options_map = loader.load_string(text)
    assert not errors
    year_ends: dict[tuple[str, str], Decimal] = {}
    for year in (2011, 2012):
        ledgers = account_ledgers(entries, options_map, year, today=today)
        # 2011 is over (today is after it), 2012 once today is past its end
        assert ledgers.closed == (year == 2011 or today > datetime.date(2012, 12, 31))
        closing = sum((ledger.closing for ledger in ledgers.accounts), Decimal(0))
        assert closing == 0  # every account is in, income and expense with their year
        for ledger in ledgers.accounts:  # the year before's 结转下年 is this year's 上年结转
            assert ledger.opening == year_ends.pop((ledger.account, ledger.currency),
                                                   Decimal(0))
            if ledgers.closed and ledger.account.split(":")[0] in ("Income", "Expenses"):
                assert ledger.closing == 0
        assert not any(year_ends.values())
        year_ends = {(ledger.account, ledger.currency): ledger.closing
                     for ledger in ledgers.accounts}
        balance = trial_balance(entries, options_map, datetime.date(year, 1, 1),
                                datetime.date(year, 12, 31), str(year), f"{year}年",
                                today=today)
        assert bool(balance.note) == ledgers.closed
        for part in balance.currencies:
            assert part.totals.opening_debit == part.totals.opening_credit
            assert part.totals.debit == part.totals.credit
            assert part.totals.closing_debit == part.totals.closing_credit
            closings = {row.account: row.closing for row in part.rows if not row.general
                        or row.account.count(":") == 1}
            for ledger in ledgers.accounts:
                assert closings.get(ledger.account, Decimal(0)) == ledger.closing
        for ledger in ledgers.accounts:
            rows = ledger.rows
            running = rows[0].balance
            for row in rows[1:]:
                if row.kind.name in ("POSTING", "TRANSFER"):
                    running += (row.debit or 0) - (row.credit or 0)
                assert row.balance == running
        assert ledger_document(ledgers).pages_count >= len(ledgers.accounts)


def test_red_rules_close_each_month_and_the_year() -> None:
    ledgers = account_ledgers(*_loaded(TWO_YEARS), 2012, ["备用金"], today=TODAY)
    rows = ledgers.accounts[0].rows
    year_end = max(index for index, row in enumerate(rows) if row.kind.value == "本年累计")
    ruled = [(row.kind.value, row.month, red_lines(row, index == year_end))
             for index, row in enumerate(rows) if red_lines(row, index == year_end)]
    assert ruled == [("本年累计", 1, 1), ("本年累计", 2, 2)]
    # no rule under 上年结转, postings, 本月合计 or 结转下年
    assert {row.kind.value for index, row in enumerate(rows)
            if not red_lines(row, index == year_end)} == {"上年结转", "", "本月合计", "结转下年"}


TODAY = datetime.date(2026, 1, 1)


def _loaded(text: str) -> tuple[data.Directives, dict[str, object]]:
    entries, errors, options_map = loader.load_string(text)
    assert not errors
    return entries, options_map


def test_by_default_the_ledger_and_trial_balance_go_to_the_printed_books_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for command in (["ledger", "2012", "--account", "1002"], ["trial-balance", "2012-10"]):
        result = CliRunner().invoke(funds, ["print", *command, "--ledger", str(DEMO_BOOKS)])
        assert result.exit_code == 0, result.output
    assert sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*.*")) == [
        "printed/2012-10/科目余额表-2012-10.pdf", "printed/2012-10/科目余额表-2012-10.xlsx",
        "printed/2012/明细账-2012.pdf", "printed/2012/明细账-2012.xlsx"]


LARGE = "123,456,789,012.34"
PRINTED_PLAINLY = textwrap.dedent("""\
    option "title" "大额与长摘要测试单位"
    option "operating_currency" "CNY"
    2012-01-01 open Assets:1002-银行存款:基本户 CNY
    2012-01-01 open Income:4401-政府补助收入:限定性收入 CNY
    2012-01-01 open Expenses:5101-业务活动成本:装修工程 CNY
    2012-02-01 * "财政" "拨款"
      voucher: "记-201202-001"
      Assets:1002-银行存款:基本户                 123456789012.34 CNY
      Income:4401-政府补助收入:限定性收入        -123456789012.34 CNY
    2012-09-05 * "装修公司" "装修工程验收结算款（合同30%，其中5%质保金暂扣至2013年9月5日）"
      voucher: "记-201209-001"
      Expenses:5101-业务活动成本:装修工程          92000.00 CNY
      Assets:1002-银行存款:基本户                -92000.00 CNY
    """)


def test_an_amount_prints_whole_on_one_line_however_large(tmp_path: Path) -> None:
    books = tmp_path / "main.beancount"
    books.write_text(PRINTED_PLAINLY, encoding="utf-8")
    result = print_ledger(tmp_path / "out", "2012", "--ledger", str(books), "--account", "4401")
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path / "out" / "2012" / "明细账-2012.pdf")
    # the posting's 贷方 and 余额, February's 本月合计 and 本年累计; the year closed on 12-31:
    # the 结转's 借方, December's 本月合计 借方, 本年累计 借方 and 贷方
    assert text.count(LARGE) == 10, text


def test_a_wrapped_summary_starts_no_line_with_closing_punctuation(tmp_path: Path) -> None:
    books = tmp_path / "main.beancount"
    books.write_text(PRINTED_PLAINLY, encoding="utf-8")
    result = print_ledger(tmp_path / "out", "2012", "--ledger", str(books), "--account", "5101")
    assert result.exit_code == 0, result.output
    # unlaid text holds each line of a cell on a line of its own
    lines = pdf_text(tmp_path / "out" / "2012" / "明细账-2012.pdf", layout=False).splitlines()
    summary = [line for line in lines if "验收结算款" in line]
    assert summary and not summary[0].endswith("）")  # the 摘要 wraps
    assert [line for line in lines if line.startswith(tuple("）》」』】〕，。、；：！？)]},.;:!?%"))
            ] == []


@pytest.mark.parametrize("command", [["ledger", "2012"], ["trial-balance", "2012-01"]])
def test_an_output_folder_that_cannot_be_written_is_refused_plainly(
        tmp_path: Path, command: list[str]) -> None:
    books = two_year_books(tmp_path / "books")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(funds, ["print", *command, "--ledger", str(books),
                                        "--out", str(blocker / "out")])
    assert result.exit_code == 2, result.output
    assert "无法写入" in result.output and "cannot write" in result.output
    assert NOTHING_WRITTEN in result.output and "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert blocker.read_text(encoding="utf-8") == "not a folder"


ODD_SUMMARY = textwrap.dedent("""\
    option "title" "怪字测试单位"
    option "operating_currency" "CNY"
    2012-01-01 open Assets:1002-银行存款:基本户 CNY
    2012-01-01 open Income:4401-政府补助收入 CNY
    2012-02-01 * "财政" "拨款\tA列
    第二行 😀"
      voucher: "记-201202-001"
      Assets:1002-银行存款:基本户  10.00 CNY
      Income:4401-政府补助收入  -10.00 CNY
    """)


def test_a_summary_prints_its_breaks_as_spaces_and_names_what_prints_blank(
        tmp_path: Path) -> None:
    books = tmp_path / "main.beancount"
    books.write_text(ODD_SUMMARY, encoding="utf-8")
    result = print_ledger(tmp_path / "out", "2012", "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert "字体中没有这些字符" in result.output and "no glyph for 😀" in result.output
    text = pdf_text(tmp_path / "out" / "2012" / "明细账-2012.pdf")
    assert "拨款 A列 第二行" in text
    sheet = openpyxl.load_workbook(tmp_path / "out" / "2012" / "明细账-2012.xlsx").active
    assert sheet is not None
    assert "拨款 A列 第二行 😀" in [row[6] for row in sheet.iter_rows(values_only=True)]


def test_one_page_is_said_in_the_singular(tmp_path: Path) -> None:
    books = tmp_path / "main.beancount"
    books.write_text(ODD_SUMMARY, encoding="utf-8")
    result = CliRunner().invoke(funds, ["print", "trial-balance", "2012", "--ledger", str(books),
                                        "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    # the bank, the income and 3102, into which the year's income is closed
    assert "科目余额表：3 个科目，共 1 页 / 3 accounts, 1 page\n" in result.output


def test_a_pad_prints_as_a_chinese_balancing_entry(tmp_path: Path) -> None:
    books = tmp_path / "main.beancount"
    books.write_text(textwrap.dedent("""\
        option "title" "补差测试单位"
        option "operating_currency" "CNY"
        2012-01-01 open Assets:1002-银行存款:基本户 CNY
        2012-01-01 open Equity:3101-非限定性净资产 CNY
        2012-01-01 pad Assets:1002-银行存款:基本户 Equity:3101-非限定性净资产
        2012-02-01 balance Assets:1002-银行存款:基本户 100.00 CNY
        """), encoding="utf-8")
    result = print_ledger(tmp_path / "out", "2012", "--ledger", str(books))
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path / "out" / "2012" / "明细账-2012.pdf")
    assert "Padding" not in text
    assert re.search(r"1\s+1\s+余额补差（pad，无记账凭证）\s+100\.00\s+借\s+100\.00", text), text


@pytest.mark.parametrize(("command", "written"), [
    ("ledger", "OUT/YEAR/明细账-YEAR.pdf 与 .xlsx"),
    ("trial-balance", "OUT/PERIOD/科目余额表-PERIOD.pdf 与 .xlsx")])
def test_the_help_names_the_files_written(command: str, written: str) -> None:
    result = CliRunner().invoke(funds, ["print", command, "--help"])
    assert result.exit_code == 0
    assert written in " ".join(result.output.split())


def test_a_book_of_a_thousand_pages_numbers_them_plainly(tmp_path: Path) -> None:
    document = new_document()
    pages = RuledPages(document, [Column("摘要", 60)])
    for number in range(1001):
        pages.start("", [])
        pages.row([f"第 {number} 行"])
    pages.finish()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # fpdf2 warns, in English, of a total it has no room for
        pdf = write_pdf(document, tmp_path / "长账.pdf")
    assert re.search(r"第\s*1001\s*页\s*共\s*1001\s*页", pdf_text(pdf, page=1001))
    assert re.search(r"第\s*7\s*页\s*共\s*1001\s*页", pdf_text(pdf, page=7))


def test_an_accounts_last_row_takes_the_room_kept_for_carrying_on() -> None:
    document = new_document()
    pages = RuledPages(document, [Column("摘要", 60)])
    pages.start("", [], lambda label: [label])
    one = pages.height(["一行"])
    while document.get_y() + 2 * one <= pages.bottom:
        pages.row(["一行"])
    # room for one more row, not for it and a 过次页: the account's last row needs none
    pages.row(["结转下年"], last=True)
    assert document.pages_count == 1
    pages.row(["又一行"])  # a row with more after it begins a new page, carried on
    assert document.pages_count == 2


def test_a_folder_in_the_workbooks_place_leaves_the_old_pdf_alone(tmp_path: Path) -> None:
    books = two_year_books(tmp_path / "books")
    folder = tmp_path / "out" / "2012"
    (folder / "明细账-2012.xlsx").mkdir(parents=True)
    (folder / "明细账-2012.pdf").write_bytes(b"the old one")
    result = print_ledger(tmp_path / "out", "2012", "--ledger", str(books))
    assert result.exit_code == 2, result.output
    workbook = folder / "明细账-2012.xlsx"
    assert f"无法写入 {workbook}（是文件夹 / is a folder）" in result.output
    assert NOTHING_WRITTEN in result.output
    assert (folder / "明细账-2012.pdf").read_bytes() == b"the old one"
    assert sorted(path.name for path in folder.iterdir()) == ["明细账-2012.pdf", "明细账-2012.xlsx"]
