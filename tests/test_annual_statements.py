"""The annual statements (资产负债表, 业务活动表, 专项资金收支情况表): every identity of the 2004
forms holds to the cent per column, and the lines agree with figures recomputed here from the
entries alone, on the demo books and on a two-year ledger written here."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from beancount import loader
from beancount.core import data

from ledger.check import DEMO_BOOKS
from ledger.model.books import Books, read_books
from reports.annual.activities import activities
from reports.annual.balance_sheet import balance_sheet
from reports.annual.fund_note import fund_note
from reports.annual.mapping import unmapped, why_unmapped
from reports.annual.rows import Statement

ZERO = Decimal("0.00")
D = Decimal

# A construction fund over 2012 and 2013 (fixed assets 1501 bought from it, a payable, money
# returned to the district in 2013, and 2013 spending beyond what it holds restricted), an
# unrestricted donation, and a fund declared restricted: FALSE.
TWO_YEARS = """\
option "operating_currency" "CNY"
2012-01-01 custom "fund" "construction" "示范点建设经费"
2012-01-01 custom "fund" "community" "社区活动经费"
  restricted: FALSE
2012-01-01 open Assets:1002-银行存款:建设经费专户 CNY
  fund: "construction"
2012-01-01 open Assets:1002-银行存款:基本户 CNY
2012-01-01 open Assets:1501-固定资产:服务中心设备 CNY
  fund: "construction"
2012-01-01 open Liabilities:2202-应付账款:装修工程 CNY
  fund: "construction"
2012-01-01 open Income:4401-政府补助收入:限定性收入:区财政:建设经费 CNY
  fund: "construction"
2012-01-01 open Income:4901-其他收入:限定性收入:专户利息:建设经费 CNY
  fund: "construction"
2012-01-01 open Income:4401-政府补助收入:社区活动 CNY
  fund: "community"
2012-01-01 open Income:4101-捐赠收入:非限定性收入:爱心企业 CNY
2012-01-01 open Expenses:5101-业务活动成本:建设经费:装修工程 CNY
  fund: "construction"
2012-01-01 open Expenses:5301-筹资费用:建设经费:银行手续费 CNY
  fund: "construction"
2012-01-01 open Expenses:5101-业务活动成本:社区活动:活动费 CNY
  fund: "community"
2012-01-01 open Expenses:5201-管理费用:办公费 CNY
2012-03-01 * "区财政" "建设经费拨款"
  Assets:1002-银行存款:建设经费专户                      300000.00 CNY
  Income:4401-政府补助收入:限定性收入:区财政:建设经费  -300000.00 CNY
2012-03-05 * "爱心企业" "捐赠"
  Assets:1002-银行存款:基本户                  100000.00 CNY
  Income:4101-捐赠收入:非限定性收入:爱心企业  -100000.00 CNY
2012-04-01 * "街道" "社区活动经费"
  Assets:1002-银行存款:基本户        20000.00 CNY
  Income:4401-政府补助收入:社区活动  -20000.00 CNY
2012-05-01 * "装饰公司" "装修工程，付一半，余款应付"
  Expenses:5101-业务活动成本:建设经费:装修工程  200000.00 CNY
  Assets:1002-银行存款:建设经费专户            -100000.00 CNY
  Liabilities:2202-应付账款:装修工程           -100000.00 CNY
2012-06-01 * "设备公司" "服务中心设备"
  Assets:1501-固定资产:服务中心设备    50000.00 CNY
  Assets:1002-银行存款:建设经费专户   -50000.00 CNY
2012-06-30 * "银行" "利息与手续费"
  Assets:1002-银行存款:建设经费专户                        105.50 CNY
  Income:4901-其他收入:限定性收入:专户利息:建设经费     -120.50 CNY
  Expenses:5301-筹资费用:建设经费:银行手续费               15.00 CNY
2012-07-01 * "社区" "社区活动"
  Expenses:5101-业务活动成本:社区活动:活动费  8000.00 CNY
  Assets:1002-银行存款:基本户               -8000.00 CNY
2012-08-01 * "文具店" "办公用品"
  Expenses:5201-管理费用:办公费  3000.00 CNY
  Assets:1002-银行存款:基本户   -3000.00 CNY
2013-01-10 * "装饰公司" "付清装修余款"
  Liabilities:2202-应付账款:装修工程   100000.00 CNY
  Assets:1002-银行存款:建设经费专户   -100000.00 CNY
2013-02-01 * "区财政" "建设经费追加"
  Assets:1002-银行存款:建设经费专户                      50000.00 CNY
  Income:4401-政府补助收入:限定性收入:区财政:建设经费  -50000.00 CNY
2013-03-01 * "区财政" "退回未使用的建设经费"
  Income:4401-政府补助收入:限定性收入:区财政:建设经费   5000.00 CNY
  Assets:1002-银行存款:建设经费专户                     -5000.00 CNY
2013-04-01 * "装饰公司" "二期装修，专户不足部分由基本户垫付"
  Expenses:5101-业务活动成本:建设经费:装修工程  160000.00 CNY
  Assets:1002-银行存款:建设经费专户             -90000.00 CNY
  Assets:1002-银行存款:基本户                   -70000.00 CNY
2013-05-01 * "文具店" "办公用品"
  Expenses:5201-管理费用:办公费  1000.00 CNY
  Assets:1002-银行存款:基本户   -1000.00 CNY
"""


def books_of(text: str) -> Books:
    entries, errors, options_map = loader.load_string(text)
    assert not errors, errors
    return read_books(entries, options_map)


@pytest.fixture(scope="module")
def two_years() -> Books:
    return books_of(TWO_YEARS)


@pytest.fixture(scope="module")
def demo() -> Books:
    entries, errors, options_map = loader.load_file(str(DEMO_BOOKS))
    assert not errors, errors
    return read_books(entries, options_map)


def values(statement: Statement, line: int) -> tuple[Decimal | None, ...]:
    return statement.row(line).values


def by_label(statement: Statement, label: str) -> tuple[Decimal | None, ...]:
    [row] = [row for row in statement.rows if row.label == label]
    return row.values


def cell(value: Decimal | None) -> Decimal:
    return ZERO if value is None else value


# ---- identities ----------------------------------------------------------------------------

BALANCE_TOTALS = {20: (1, 2, 3, 4, 8, 9, 15, 18), 30: (21, 24), 33: (31, -32),
                  40: (33, 34, 35, 38), 60: (20, 30, 40, 41, 51),
                  80: (61, 62, 63, 65, 66, 71, 72, 74, 78), 90: (81, 84, 88),
                  100: (80, 90, 91), 110: (101, 105), 120: (100, 110)}


def assert_balance_sheet_identities(sheet: Statement) -> None:
    for column in (0, 1):
        for total, parts in BALANCE_TOTALS.items():
            added = sum((cell(values(sheet, abs(part))[column]) * (1 if part > 0 else -1)
                         for part in parts), ZERO)
            assert values(sheet, total)[column] == added, (total, column)
        assert values(sheet, 60)[column] == values(sheet, 120)[column]


def assert_activities_identities(report: Statement, sheet: Statement) -> None:
    details = [row for row in report.rows if row.label.startswith("其中：")]
    for column in (0, 1, 2):
        income = sum((cell(values(report, line)[column]) for line in (1, 2, 3, 4, 5, 6, 9)),
                     ZERO)
        assert values(report, 11)[column] == income
        costs = sum((cell(values(report, line)[column]) for line in (12, 21, 24, 28)), ZERO)
        assert cell(values(report, 35)[column]) == costs
        assert sum((cell(row.values[column]) for row in details), ZERO) == cell(
            values(report, 12)[column])
        assert values(report, 45)[column] == (
            income - costs + cell(values(report, 40)[column]))
    for row in report.rows:
        if row.line is not None:
            assert row.values[2] == cell(row.values[0]) + cell(row.values[1]), row
    for column, line in ((0, 101), (1, 105), (2, 110)):  # 45 = the balance sheet's change
        start, end = values(sheet, line)
        assert values(report, 45)[column] == cell(end) - cell(start)
    for line in (12, 21, 24, 28, 35):  # costs only under 非限定性
        assert values(report, line)[1] is None


def assert_note_identities(note: Statement, report: Statement) -> None:
    funds = note.rows[:-1]
    for row in note.rows:
        before, received, spent, after, _ = map(cell, row.values)
        assert after == before + received - spent, row
    for column in range(5):
        assert note.rows[-1].values[column] == sum((cell(r.values[column]) for r in funds), ZERO)
    assert note.rows[-1].values[4] == values(report, 40)[0]


@pytest.mark.parametrize("year", [2012, 2013])
def test_two_year_ledger_identities(two_years: Books, year: int) -> None:
    sheet, report = balance_sheet(two_years, year), activities(two_years, year)
    assert_balance_sheet_identities(sheet)
    assert_activities_identities(report, sheet)
    assert_note_identities(fund_note(two_years, year), report)


def test_demo_books_identities(demo: Books) -> None:
    assert unmapped(demo) == []
    sheet, report = balance_sheet(demo, 2012), activities(demo, 2012)
    assert_balance_sheet_identities(sheet)
    assert_activities_identities(report, sheet)
    assert_note_identities(fund_note(demo, 2012), report)


# ---- the two-year ledger, line by line (worked out by hand from the entries above) ---------

def test_two_year_balance_sheet_lines(two_years: Books) -> None:
    first, second = balance_sheet(two_years, 2012), balance_sheet(two_years, 2013)
    # 2012: 专户 300000 - 100000 - 50000 + 105.50; 基本户 100000 + 20000 - 8000 - 3000
    assert values(first, 1) == (ZERO, D("259105.50"))
    assert values(first, 31) == (ZERO, D("50000.00"))
    assert values(first, 62) == (ZERO, D("100000.00"))
    # restricted: 300120.50 received less the 200015.00 spent (released)
    assert values(first, 105) == (ZERO, D("100105.50"))
    # unrestricted: 120000 income - 211015 costs + 200015 released
    assert values(first, 101) == (ZERO, D("109000.00"))
    assert values(first, 60) == (ZERO, D("309105.50"))
    # 2013 opens where 2012 closed
    assert [values(second, line)[0] for line in (1, 31, 62, 101, 105, 60)] == [
        values(first, line)[1] for line in (1, 31, 62, 101, 105, 60)]
    # 2013: 5000 returned, 160000 spent of 145105.50 held: all released, nothing left
    assert values(second, 105)[1] == ZERO
    assert values(second, 101)[1] == D("93105.50")
    assert values(second, 1)[1] == D("43105.50")
    assert values(second, 62)[1] == ZERO
    assert values(second, 120)[1] == D("93105.50")


def test_two_year_activities_lines(two_years: Books) -> None:
    first, second = activities(two_years, 2012), activities(two_years, 2013)
    assert values(first, 1) == (D("100000.00"), ZERO, D("100000.00"))  # 捐赠, unrestricted
    # the community fund is restricted: FALSE, so its grant is unrestricted
    assert values(first, 5) == (D("20000.00"), D("300000.00"), D("320000.00"))
    assert values(first, 9) == (ZERO, D("120.50"), D("120.50"))
    assert values(first, 12) == (D("208000.00"), None, D("208000.00"))
    assert by_label(first, "其中：示范点建设经费") == (D("200000.00"), None, D("200000.00"))
    assert by_label(first, "其中：社区活动经费") == (D("8000.00"), None, D("8000.00"))
    assert values(first, 40) == (D("200015.00"), D("-200015.00"), ZERO)
    # the money returned reduces the restricted income and is not released
    assert values(second, 5) == (ZERO, D("45000.00"), D("45000.00"))
    assert values(second, 40) == (D("145105.50"), D("-145105.50"), ZERO)
    assert values(second, 45) == (D("-15894.50"), D("-100105.50"), D("-116000.00"))


def test_two_year_fund_note(two_years: Books) -> None:
    note = fund_note(two_years, 2013)
    assert by_label(note, "示范点建设经费") == (
        D("100105.50"), D("45000.00"), D("160000.00"), D("-14894.50"), D("145105.50"))
    assert by_label(note, "社区活动经费") == (
        D("12000.00"), ZERO, ZERO, D("12000.00"), ZERO)  # unrestricted: nothing to release


def test_books_starting_in_the_year_open_at_zero(two_years: Books) -> None:
    sheet = balance_sheet(two_years, 2012)
    assert all(cell(row.values[0]) == ZERO for row in sheet.rows)


# ---- the demo books against figures recomputed here from the entries alone ----------------

CODE = re.compile(r"^[A-Za-z]+:(\d{4})-")


def recomputed(entries: data.Directives, year: int) -> dict[str, Any]:
    """Balances per chart code at the year's end, income of the year by code and restriction,
    costs by code, and each fund's release, counted from the entries without the package."""
    funds = {entry.account: entry.meta["fund"] for entry in entries
             if isinstance(entry, data.Open) and "fund" in entry.meta}
    balance: dict[str, Decimal] = defaultdict(Decimal)
    income: dict[tuple[str, bool], Decimal] = defaultdict(Decimal)
    spent: dict[str, Decimal] = defaultdict(Decimal)
    received: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        if not isinstance(entry, data.Transaction) or entry.date.year > year:
            continue
        for posting in entry.postings:
            found = CODE.match(posting.account)
            assert found, posting.account
            assert posting.units is not None and posting.units.number is not None
            code, number = found.group(1), posting.units.number
            balance[code] += number
            components = posting.account.split(":")
            if posting.account.startswith("Income:"):
                restricted = "限定性收入" in components
                income[code, restricted] -= number
                if restricted:
                    received[funds[posting.account]] -= number
            elif posting.account.startswith("Expenses:"):
                spent[funds[posting.account]] += number
    released = {fund: max(ZERO, min(spent[fund], received[fund])) for fund in received}
    return {"balance": balance, "income": income, "spent": spent, "released": released}


def test_demo_books_lines_recomputed(demo: Books) -> None:
    figures = recomputed(demo.entries, 2012)
    balance, income = figures["balance"], figures["income"]
    sheet, report = balance_sheet(demo, 2012), activities(demo, 2012)
    assert values(sheet, 1)[1] == balance["1001"] + balance["1002"] + balance["1009"]
    assert values(sheet, 62)[1] == -(balance["2201"] + balance["2202"] + balance["2209"])
    assert values(sheet, 63)[1] == -balance["2204"]
    assert values(sheet, 65)[1] == -balance["2206"]
    total_released = sum(figures["released"].values(), ZERO)
    restricted_income = sum((amount for (_, restricted), amount in income.items()
                             if restricted), ZERO)
    assert values(sheet, 105)[1] == restricted_income - total_released
    assert values(report, 5) == (income["4401", False], income["4401", True],
                                 income["4401", False] + income["4401", True])
    assert values(report, 9)[1] == income["4901", True]
    for line, code in ((12, "5101"), (21, "5201"), (24, "5301")):
        assert values(report, line)[0] == balance[code]
    assert values(report, 40)[0] == total_released
    note = fund_note(demo, 2012)
    for fund in demo.model.funds.values():
        assert by_label(note, fund.name)[2] == figures["spent"][fund.code]
        assert by_label(note, fund.name)[4] == figures["released"][fund.code]


# ---- restriction: fires and stays quiet on look-alikes --------------------------------------

def test_unrestricted_component_of_a_restricted_fund_follows_the_component() -> None:
    books = books_of(TWO_YEARS + """\
2012-01-01 open Income:4101-捐赠收入:非限定性收入:建设经费捐赠 CNY
  fund: "construction"
2012-09-01 * "校友" "指定建设经费的捐赠（未限定用途）"
  Assets:1002-银行存款:建设经费专户              1000.00 CNY
  Income:4101-捐赠收入:非限定性收入:建设经费捐赠  -1000.00 CNY
""")
    report = activities(books, 2012)
    assert values(report, 1) == (D("101000.00"), ZERO, D("101000.00"))
    assert values(report, 40) == (D("200015.00"), D("-200015.00"), ZERO)


def test_release_is_capped_by_what_the_fund_holds_restricted() -> None:
    books = books_of(TWO_YEARS.replace("200000.00 CNY\n  Assets:1002-银行存款:建设经费专户"
                                       "            -100000.00 CNY",
                                       "400000.00 CNY\n  Assets:1002-银行存款:建设经费专户"
                                       "            -300000.00 CNY"))
    report = activities(books, 2012)
    # spent 400015.00 but held only 300120.50 restricted
    assert values(report, 40) == (D("300120.50"), D("-300120.50"), ZERO)
    assert values(balance_sheet(books, 2012), 105)[1] == ZERO


# ---- mapping --------------------------------------------------------------------------------

def test_unmapped_names_every_account_without_a_chart_code() -> None:
    books = books_of(TWO_YEARS + """\
2012-01-01 open Equity:Opening-Balances CNY
2012-01-01 open Assets:9999-神秘科目 CNY
2012-01-01 open Assets:4401-政府补助收入 CNY
2012-01-01 open Equity:Suspense:待查明款项 CNY
2012-12-01 * "期初"
  Assets:9999-神秘科目           1.00 CNY
  Assets:4401-政府补助收入       1.00 CNY
  Equity:Opening-Balances       -2.00 CNY
""")
    assert unmapped(books) == ["Assets:4401-政府补助收入", "Assets:9999-神秘科目",
                               "Equity:Opening-Balances"]  # not the unused suspense account
    assert "no chart code" in why_unmapped("Equity:Opening-Balances", books)
    assert "9999" in why_unmapped("Assets:9999-神秘科目", books)
    assert "under Income" in why_unmapped("Assets:4401-政府补助收入", books)


def test_statement_line_places_an_account_explicitly() -> None:
    books = books_of(TWO_YEARS + """\
2012-01-01 open Liabilities:Deposits:押金 CNY
  statement-line: "2209"
2012-12-01 * "租户" "押金"
  Assets:1002-银行存款:基本户   500.00 CNY
  Liabilities:Deposits:押金     -500.00 CNY
""")
    assert unmapped(books) == []
    assert values(balance_sheet(books, 2012), 62)[1] == D("100500.00")


def test_a_year_before_the_books_is_all_zero(two_years: Books) -> None:
    """The CLI refuses such a year; the computation itself stays total."""
    for statement in (balance_sheet(two_years, 2011), activities(two_years, 2011),
                      fund_note(two_years, 2011)):
        assert all(cell(value) == ZERO for row in statement.rows for value in row.values)
