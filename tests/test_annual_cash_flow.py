"""现金流量表: every line recomputed from the entries, on the demo books and on small books
with one movement of each kind; line 61 ties to the change in 货币资金."""

from __future__ import annotations

import datetime
import textwrap
from collections.abc import Iterator
from decimal import Decimal

import pytest
from beancount import loader
from beancount.core import data

from ledger.check import DEMO_BOOKS
from ledger.model.books import Books, read_books
from ledger.model.chart import code_of
from reports.annual.balance_sheet import balance_sheet
from reports.annual.cash_flow import cash_flow
from reports.annual.rows import Statement

ZERO = Decimal(0)
CASH = ("1001", "1002", "1009")

# Two years of a construction fund granted in 2012 and spent in 2013, beside an unrestricted
# donation, services, interest, a payroll with its withholdings, a payable, fixed assets, a
# refund, money returned to the funder and a move between cash accounts.
TWO_YEARS = textwrap.dedent("""\
    option "title" "两年账簿"
    option "operating_currency" "CNY"
    2012-01-01 custom "fund" "construction" "示范点建设经费"
    2012-01-01 open Assets:1001-现金:备用金 CNY
    2012-01-01 open Assets:1002-银行存款:建设经费专户 CNY
      fund: "construction"
    2012-01-01 open Assets:1002-银行存款:基本户 CNY
    2012-01-01 open Assets:1009-其他货币资金:存出保证金 CNY
    2012-01-01 open Assets:1101-短期投资:国债 CNY
    2012-01-01 open Assets:1501-固定资产:建设经费:办公设备 CNY
      fund: "construction"
    2012-01-01 open Liabilities:2202-应付账款:装修公司 CNY
      fund: "construction"
    2012-01-01 open Liabilities:2206-应交税金:代扣个人所得税 CNY
    2012-01-01 open Liabilities:2209-其他应付款:社会保险费 CNY
    2012-01-01 open Equity:3101-非限定性净资产 CNY
    2012-01-01 open Income:4101-捐赠收入:非限定性收入:爱心企业 CNY
    2012-01-01 open Income:4301-提供服务收入:培训 CNY
    2012-01-01 open Income:4401-政府补助收入:限定性收入:区财政:建设经费 CNY
      fund: "construction"
    2012-01-01 open Income:4601-投资收益:国债利息 CNY
    2012-01-01 open Income:4901-其他收入:限定性收入:专户利息:建设经费 CNY
      fund: "construction"
    2012-01-01 open Expenses:5101-业务活动成本:建设经费:装修工程 CNY
      fund: "construction"
    2012-01-01 open Expenses:5101-业务活动成本:社工:应发工资 CNY
    2012-01-01 open Expenses:5101-业务活动成本:社工:单位社会保险费 CNY
    2012-01-01 open Expenses:5201-管理费用:办公费 CNY
    2012-01-01 open Expenses:5301-筹资费用:银行手续费 CNY

    2012-01-01 * "开户" "期初资金"
      Assets:1002-银行存款:基本户                 3000.00 CNY
      Equity:3101-非限定性净资产                 -3000.00 CNY
    2012-12-01 * "区财政" "建设经费拨款"
      Assets:1002-银行存款:建设经费专户        100000.00 CNY
      Income:4401-政府补助收入:限定性收入:区财政:建设经费  -100000.00 CNY
    2013-01-05 * "区财政" "建设经费第二笔拨款"
      Assets:1002-银行存款:建设经费专户         50000.00 CNY
      Income:4401-政府补助收入:限定性收入:区财政:建设经费   -50000.00 CNY
    2013-01-06 * "爱心企业" "非限定性捐赠"
      Assets:1002-银行存款:基本户                 2000.00 CNY
      Income:4101-捐赠收入:非限定性收入:爱心企业   -2000.00 CNY
    2013-01-07 * "培训学员" "培训费"
      Assets:1002-银行存款:基本户                 1500.00 CNY
      Income:4301-提供服务收入:培训               -1500.00 CNY
    2013-01-08 * "银行" "专户利息"
      Assets:1002-银行存款:建设经费专户            12.34 CNY
      Income:4901-其他收入:限定性收入:专户利息:建设经费  -12.34 CNY
    2013-01-09 * "证券公司" "国债利息"
      Assets:1009-其他货币资金:存出保证金          100.00 CNY
      Income:4601-投资收益:国债利息                -100.00 CNY
    2013-01-31 * "社工" "发放1月工资"
      Expenses:5101-业务活动成本:社工:应发工资     10000.00 CNY
      Expenses:5101-业务活动成本:社工:单位社会保险费  2000.00 CNY
      Liabilities:2209-其他应付款:社会保险费      -3000.00 CNY
      Liabilities:2206-应交税金:代扣个人所得税      -50.00 CNY
      Assets:1002-银行存款:基本户                -8950.00 CNY
    2013-02-10 * "社保局" "缴纳1月社会保险费"
      Liabilities:2209-其他应付款:社会保险费       3000.00 CNY
      Assets:1002-银行存款:基本户                -3000.00 CNY
    2013-02-10 * "税务局" "缴纳1月个人所得税"
      Liabilities:2206-应交税金:代扣个人所得税       50.00 CNY
      Assets:1002-银行存款:基本户                  -50.00 CNY
    2013-02-15 * "装修公司" "装修工程（挂账）"
      Expenses:5101-业务活动成本:建设经费:装修工程  5000.00 CNY
      Liabilities:2202-应付账款:装修公司          -5000.00 CNY
    2013-03-15 * "装修公司" "支付装修工程款"
      Liabilities:2202-应付账款:装修公司           5000.00 CNY
      Assets:1002-银行存款:建设经费专户          -4990.00 CNY
      Assets:1002-银行存款:建设经费专户            -10.00 CNY
    2013-03-16 * "银行" "手续费"
      Expenses:5301-筹资费用:银行手续费              10.00 CNY
      Assets:1002-银行存款:建设经费专户            -10.00 CNY
    2013-03-20 * "银行" "提取备用金"
      Assets:1001-现金:备用金                     1000.00 CNY
      Assets:1002-银行存款:基本户                -1000.00 CNY
    2013-03-21 * "文具店" "办公用品"
      Expenses:5201-管理费用:办公费                 300.00 CNY
      Assets:1001-现金:备用金                     -300.00 CNY
    2013-04-01 * "电脑城" "购置办公设备"
      Assets:1501-固定资产:建设经费:办公设备     20000.00 CNY
      Assets:1002-银行存款:建设经费专户         -20000.00 CNY
    2013-04-02 * "装修公司" "退回多付工程款"
      Assets:1002-银行存款:建设经费专户            100.00 CNY
      Expenses:5101-业务活动成本:建设经费:装修工程  -100.00 CNY
    2013-04-03 * "证券公司" "购买国债"
      Assets:1101-短期投资:国债                    50.00 CNY
      Assets:1009-其他货币资金:存出保证金           -50.00 CNY
    2013-12-20 * "区财政" "退回结余建设经费"
      Income:4401-政府补助收入:限定性收入:区财政:建设经费  1234.56 CNY
      Assets:1002-银行存款:建设经费专户          -1234.56 CNY
    2014-01-05 * "区财政" "下一年拨款"
      Assets:1002-银行存款:建设经费专户          9999.00 CNY
      Income:4401-政府补助收入:限定性收入:区财政:建设经费  -9999.00 CNY
    """)

EXPECTED_2013 = {
    1: "2000.00", 3: "1500.00", 5: "50000.00", 8: "12.34", 15: "12000.00",
    16: "5210.00", 19: "1234.56", 26: "100.00", 35: "20000.00", 36: "50.00",
}


def books_of(text: str) -> Books:
    entries, errors, options_map = loader.load_string(text)
    assert not errors, errors
    return read_books(entries, options_map)


def value(statement: Statement, line: int) -> Decimal:
    amount = statement.row(line).values[0]
    assert amount is not None
    return amount


def cash_moved(entry: data.Transaction) -> Decimal:
    """What the transaction put into 货币资金 (negative: took out)."""
    return sum((posting.units.number or ZERO for posting in entry.postings
                if code_of(posting.account) in CASH and posting.units is not None), ZERO)


def cash_change(books: Books, year: int) -> Decimal:
    """货币资金 at the year's end less at its start, from the balances."""
    def balance(until: datetime.date) -> Decimal:
        return sum((cash_moved(entry) for entry in books.transactions if entry.date <= until),
                   ZERO)
    return (balance(datetime.date(year, 12, 31))
            - balance(datetime.date(year - 1, 12, 31)))


def test_each_kind_on_its_line() -> None:
    statement = cash_flow(books_of(TWO_YEARS), 2013)
    for line, amount in EXPECTED_2013.items():
        assert value(statement, line) == Decimal(amount), line
    shown = {row.line for row in statement.rows if row.line is not None and row.values[0]}
    assert shown - {13, 23, 24, 34, 43, 44, 61} == set(EXPECTED_2013)


def test_subtotals_and_line_61_tie_to_the_change_in_cash() -> None:
    books = books_of(TWO_YEARS)
    statement = cash_flow(books, 2013)
    inflow = sum((Decimal(EXPECTED_2013[line]) for line in (1, 3, 5, 8)), ZERO)
    outflow = sum((Decimal(EXPECTED_2013[line]) for line in (15, 16, 19)), ZERO)
    assert value(statement, 13) == inflow
    assert value(statement, 23) == outflow
    assert value(statement, 24) == inflow - outflow
    assert value(statement, 34) == Decimal("100.00")
    assert value(statement, 43) == Decimal("20050.00")
    assert value(statement, 44) == Decimal("-19950.00")
    assert value(statement, 59) == ZERO
    assert value(statement, 60) == ZERO
    change = cash_change(books, 2013)
    assert change == Decimal("15117.78")
    assert value(statement, 61) == change == value(statement, 24) + value(statement, 44)


def test_the_first_year_counts_the_opening_money_as_put_in() -> None:
    books = books_of(TWO_YEARS)
    statement = cash_flow(books, 2012)
    assert value(statement, 5) == Decimal("100000.00")
    assert value(statement, 48) == Decimal("3000.00")
    assert value(statement, 61) == cash_change(books, 2012) == Decimal("103000.00")


def test_a_move_between_cash_accounts_is_no_cash_flow() -> None:
    only_move = TWO_YEARS.split("2012-12-01 *")[0] + textwrap.dedent("""\
        2013-03-20 * "银行" "提取备用金"
          Assets:1001-现金:备用金                     1000.00 CNY
          Assets:1002-银行存款:基本户                -1000.00 CNY
        """)
    statement = cash_flow(books_of(only_move), 2013)
    assert all(not row.values[0] for row in statement.rows)


def test_a_cost_without_cash_is_no_cash_flow() -> None:
    accrued = TWO_YEARS.split("2012-12-01 *")[0] + textwrap.dedent("""\
        2013-02-15 * "装修公司" "装修工程（挂账）"
          Expenses:5101-业务活动成本:建设经费:装修工程  5000.00 CNY
          Liabilities:2202-应付账款:装修公司          -5000.00 CNY
        """)
    statement = cash_flow(books_of(accrued), 2013)
    assert all(not row.values[0] for row in statement.rows)


def test_a_retention_paid_is_a_purchase_and_withholdings_paid_are_wages() -> None:
    opened = TWO_YEARS.split("2012-12-01 *")[0] + textwrap.dedent("""\
        2012-01-01 open Liabilities:2209-其他应付款:工程质保金 CNY
        2012-01-01 open Liabilities:2209-其他应付款:住房公积金 CNY
        2013-06-01 * "装修公司" "支付工程质保金"
          Liabilities:2209-其他应付款:工程质保金       700.00 CNY
          Assets:1002-银行存款:建设经费专户          -700.00 CNY
        2013-06-02 * "公积金中心" "缴纳住房公积金"
          Liabilities:2209-其他应付款:住房公积金       400.00 CNY
          Assets:1002-银行存款:基本户                -400.00 CNY
        """)
    statement = cash_flow(books_of(opened), 2013)
    assert value(statement, 16) == Decimal("700.00")
    assert value(statement, 15) == Decimal("400.00")


@pytest.fixture(scope="module")
def demo() -> Books:
    entries, _, options_map = loader.load_file(str(DEMO_BOOKS))
    return read_books(entries, options_map)


def _cash_transactions(books: Books, year: int) -> Iterator[tuple[data.Transaction, Decimal]]:
    for entry in books.transactions:
        moved = cash_moved(entry)
        if entry.date.year == year and moved:
            yield entry, moved


def _is_payroll(entry: data.Transaction) -> bool:
    accounts = [posting.account for posting in entry.postings]
    return any(code_of(account) in ("2204", "2206") or account.endswith(
        ("社会保险费", "住房公积金", "应发工资")) for account in accounts)


def test_demo_lines_recomputed_by_whole_transactions(demo: Books) -> None:
    """On the demo books, each transaction moves cash for one purpose: a grant, interest, a
    payroll, a return to the funder, or a purchase; summing the cash each moved by purpose
    gives the statement's lines."""
    by_line: dict[int, Decimal] = {5: ZERO, 8: ZERO, 15: ZERO, 16: ZERO, 19: ZERO}
    for entry, moved in _cash_transactions(demo, 2012):
        codes = {code_of(posting.account) for posting in entry.postings}
        if "4401" in codes or "4901" in codes:
            line = (5 if "4401" in codes else 8) if moved > 0 else 19
        else:
            line = 15 if _is_payroll(entry) else 16
        by_line[line] += moved if line in (5, 8) else -moved
    statement = cash_flow(demo, 2012)
    for line, amount in by_line.items():
        assert value(statement, line) == amount, line
    assert by_line[5] > 0 and by_line[15] > 0 and by_line[16] > 0 and by_line[19] > 0
    assert value(statement, 61) == cash_change(demo, 2012) == value(statement, 24)
    assert value(statement, 24) == by_line[5] + by_line[8] - by_line[15] - by_line[16] \
        - by_line[19]


def test_demo_year_without_transactions_is_all_zero(demo: Books) -> None:
    statement = cash_flow(demo, 2011)
    assert all(not row.values[0] for row in statement.rows)


def test_layout_has_every_line_of_the_2004_statement() -> None:
    statement = cash_flow(books_of(TWO_YEARS), 2013)
    assert statement.code == "会民非03表" and statement.columns == ("金额",)
    assert [row.line for row in statement.rows if row.line is not None] == [
        1, 2, 3, 4, 5, 8, 13, 14, 15, 16, 19, 23, 24, 25, 26, 27, 30, 34, 35, 36, 39, 43, 44,
        45, 48, 50, 51, 52, 55, 58, 59, 60, 61]


@pytest.mark.parametrize("year", [2012, 2013, 2014])
def test_line_61_is_the_balance_sheets_change_in_cash(year: int) -> None:
    books = books_of(TWO_YEARS)
    opening, closing = balance_sheet(books, year).row(1).values
    assert opening is not None and closing is not None
    assert value(cash_flow(books, year), 61) == closing - opening


def test_line_61_on_the_demo_is_the_balance_sheets_change_in_cash(demo: Books) -> None:
    opening, closing = balance_sheet(demo, 2012).row(1).values
    assert opening == ZERO and closing is not None and closing > 0
    assert value(cash_flow(demo, 2012), 61) == closing - opening


def test_an_account_placed_by_statement_line_is_classified_by_it() -> None:
    placed = TWO_YEARS.split("2012-12-01 *")[0] + textwrap.dedent("""\
        2012-01-01 open Assets:Bank:Petty CNY
          statement-line: "1002"
        2012-01-01 open Income:Grants:District CNY
          statement-line: "4401"
        2013-05-01 * "区财政" "拨款"
          Assets:Bank:Petty                 800.00 CNY
          Income:Grants:District           -800.00 CNY
        """)
    statement = cash_flow(books_of(placed), 2013)
    assert value(statement, 5) == value(statement, 61) == Decimal("800.00")


HEAD_ONLY = TWO_YEARS.split("2012-12-01 *")[0]


def test_a_purchase_part_paid_part_owed_shows_only_the_cash_paid() -> None:
    """Equipment of 20,000 paid 10,000 now, 10,000 owed: 35 takes the 10,000 paid, and the
    payable credited beside the payment is no purchase of goods (16)."""
    bought = HEAD_ONLY + textwrap.dedent("""\
        2013-06-01 * "电脑城" "购置设备，部分赊欠"
          Assets:1501-固定资产:建设经费:办公设备     20000.00 CNY
          Assets:1002-银行存款:建设经费专户         -10000.00 CNY
          Liabilities:2202-应付账款:装修公司        -10000.00 CNY
        """)
    statement = cash_flow(books_of(bought), 2013)
    assert value(statement, 35) == Decimal("10000.00")
    assert value(statement, 16) == ZERO
    assert value(statement, 61) == Decimal("-10000.00")


def test_cash_is_shared_by_the_legs_in_proportion_the_cents_on_the_largest() -> None:
    """100.00 paid for three legs of 100.00 each, 200.00 owed: 33.33 each, the cent left
    over on the first of the largest legs."""
    mixed = HEAD_ONLY + textwrap.dedent("""\
        2012-01-01 open Expenses:5401-其他费用:罚款 CNY
        2013-06-01 * "供应商" "设备、装修和罚款，部分赊欠"
          Expenses:5101-业务活动成本:建设经费:装修工程  100.00 CNY
          Assets:1501-固定资产:建设经费:办公设备        100.00 CNY
          Expenses:5401-其他费用:罚款                   100.00 CNY
          Assets:1002-银行存款:建设经费专户            -100.00 CNY
          Liabilities:2202-应付账款:装修公司           -200.00 CNY
        """)
    statement = cash_flow(books_of(mixed), 2013)
    assert value(statement, 16) == Decimal("33.34")
    assert value(statement, 35) == Decimal("33.33")
    assert value(statement, 19) == Decimal("33.33")
    assert value(statement, 61) == Decimal("-100.00")


def test_a_payable_for_fixed_assets_is_paid_on_line_35() -> None:
    """A payable credited only against fixed assets is paid, a year later, on 35."""
    later = HEAD_ONLY + textwrap.dedent("""\
        2012-06-01 * "电脑城" "购置设备，赊欠"
          Assets:1501-固定资产:建设经费:办公设备     20000.00 CNY
          Liabilities:2202-应付账款:装修公司        -20000.00 CNY
        2013-02-01 * "电脑城" "支付设备款"
          Liabilities:2202-应付账款:装修公司         20000.00 CNY
          Assets:1002-银行存款:建设经费专户         -20000.00 CNY
        """)
    statement = cash_flow(books_of(later), 2013)
    assert value(statement, 35) == Decimal("20000.00")
    assert value(statement, 16) == ZERO


def test_a_payable_also_for_services_is_paid_on_line_16() -> None:
    """Decoy: a supplier owed for equipment and for a service is paid on 16 (which part is
    paid cannot be told), as is a payable for a service only."""
    mixed = HEAD_ONLY + textwrap.dedent("""\
        2012-06-01 * "电脑城" "购置设备，赊欠"
          Assets:1501-固定资产:建设经费:办公设备     20000.00 CNY
          Liabilities:2202-应付账款:装修公司        -20000.00 CNY
        2012-07-01 * "装修公司" "装修工程（挂账）"
          Expenses:5101-业务活动成本:建设经费:装修工程  5000.00 CNY
          Liabilities:2202-应付账款:装修公司          -5000.00 CNY
        2013-02-01 * "装修公司" "支付欠款"
          Liabilities:2202-应付账款:装修公司         25000.00 CNY
          Assets:1002-银行存款:建设经费专户         -25000.00 CNY
        """)
    statement = cash_flow(books_of(mixed), 2013)
    assert value(statement, 16) == Decimal("25000.00")
    assert value(statement, 35) == ZERO


def test_a_deposit_in_foreign_currency_counts_at_its_price() -> None:
    """USD 1,000 received at 7.00: the donation line, line 61 and the balance sheet's
    货币资金 all read CNY 7,000; nothing is left to line 60."""
    foreign = HEAD_ONLY + textwrap.dedent("""\
        2012-01-01 open Assets:1002-银行存款:外币户 USD
        2013-06-01 * "海外基金会" "美元捐赠"
          Assets:1002-银行存款:外币户               1000.00 USD @ 7.00 CNY
          Income:4101-捐赠收入:非限定性收入:爱心企业  -7000.00 CNY
        """)
    books = books_of(foreign)
    statement = cash_flow(books, 2013)
    opening, closing = balance_sheet(books, 2013).row(1).values
    assert opening is not None and closing is not None
    assert value(statement, 1) == Decimal("7000.00")
    assert value(statement, 60) == ZERO
    assert value(statement, 61) == closing - opening == Decimal("7000.00")


def _line_61_adds_up(statement: Statement) -> None:
    assert value(statement, 60) == ZERO
    assert value(statement, 61) == (value(statement, 24) + value(statement, 44)
                                    + value(statement, 59) + value(statement, 60))


@pytest.mark.parametrize("year", [2012, 2013, 2014])
def test_line_61_is_the_sum_of_the_activities_with_60_zero(year: int) -> None:
    books = books_of(TWO_YEARS)
    statement = cash_flow(books, year)
    _line_61_adds_up(statement)
    opening, closing = balance_sheet(books, year).row(1).values
    assert opening is not None and closing is not None
    assert value(statement, 61) == closing - opening


def test_line_61_on_the_demo_is_the_sum_of_the_activities(demo: Books) -> None:
    _line_61_adds_up(cash_flow(demo, 2012))
