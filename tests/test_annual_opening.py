"""The opening entry (期初建账) in the annual statements: what it credits to 3102 限定性净资产 is
restricted money the funds whose accounts it debits bring into the first year, so their spending
releases it (业务活动表 line 40), the balance sheet splits net assets accordingly, and the
专项资金收支情况表 shows it as 上年结余. Every expected figure here is worked out from the entries
by the 2004 rules, not read from the statements' code."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from click.testing import CliRunner, Result

from ledger.check import DEMO_BOOKS
from ledger.cli.main import funds
from ledger.model.books import Books, read_books
from reports.annual.activities import activities
from reports.annual.balance_sheet import balance_sheet
from reports.annual.cash_flow import cash_flow
from reports.annual.figures import annual_figures, restricted_years
from reports.annual.fund_note import fund_note
from reports.annual.rows import Statement
from tests.test_annual_cash_flow import TWO_YEARS as CASH_FLOW_YEARS
from tests.test_annual_statements import books_of
from tests.test_export_annual import lines, read_csv
from tests.test_init_opening_entry import add_to_journal, init

D = Decimal
ZERO = D("0.00")
Row = list[Decimal | None]

# The lines of the 2004 forms (《民间非营利组织会计制度》, 会民非01表 / 02表 / 03表).
BALANCE_LINES = (1, 2, 3, 4, 8, 9, 15, 18, 20, 21, 24, 30, 31, 32, 33, 34, 35, 38, 40, 41, 51,
                 60, 61, 62, 63, 65, 66, 71, 72, 74, 78, 80, 81, 84, 88, 90, 91, 100, 101, 105,
                 110, 120)
INCOME_LINES = (1, 2, 3, 4, 5, 6, 9, 11)
COST_LINES = (12, 21, 24, 28, 35)  # costs: under 非限定性 only
CASH_LINES = (1, 2, 3, 4, 5, 8, 13, 14, 15, 16, 19, 23, 24, 25, 26, 27, 30, 34, 35, 36, 39, 43,
              44, 45, 48, 50, 51, 52, 55, 58, 59, 60, 61)
FUND_NAMES = ("示范点建设经费", "社工薪酬", "日常运营经费")  # funds init's funds, in order

CONSTRUCTION_BANK = "Assets:1002-银行存款:建设经费专户"
SALARY_BANK = "Assets:1002-银行存款:社工薪酬专户"

OPENING_ENTRY = """
2012-12-31 * "期初建账：上年结转余额"
  Assets:1002-银行存款:建设经费专户  {construction} CNY
  Equity:3102-限定性净资产
"""
RENOVATION = """
2013-03-05 * "某装修公司" "装修工程"
  voucher: "记-201303-001"
  invoice: "12345678"
  Assets:1002-银行存款:建设经费专户  -{amount} CNY
  Expenses:5101-业务活动成本:建设经费:装修工程  {amount} CNY
"""


def new_centre(tmp_path: Path, journal: str) -> Path:
    """Fresh books of ``funds init`` (2013) with ``journal`` added to the year's journal."""
    folder = tmp_path / "centre"
    assert init(folder).exit_code == 0
    add_to_journal(folder, journal)
    return folder / "main.beancount"


def export(main: Path, year: int, out: Path) -> Result:
    return CliRunner().invoke(funds, ["export", "annual", str(year), "--ledger", str(main),
                                      "--out", str(out), "--preparer", "王会计"])


def exported(main: Path, year: int, out: Path) -> list[list[list[str]]]:
    result = export(main, year, out)
    assert result.exit_code == 0, result.output
    return [read_csv(out / str(year), index) for index in range(1, 5)]


def note_of(rows: list[list[str]]) -> dict[str, list[Decimal]]:
    start = next(index for index, row in enumerate(rows) if row and row[0] == "行次")
    return {row[1]: [D(cell) for cell in row[2:]] for row in rows[start + 1:] if row}


def balance_expected(changed: dict[int, tuple[Decimal, Decimal]]) -> dict[int, Row]:
    return {line: list(changed.get(line, (ZERO, ZERO))) for line in BALANCE_LINES}


def activities_expected(income: dict[int, tuple[Decimal, Decimal]],
                        costs: dict[int, Decimal], released: Decimal,
                        change: tuple[Decimal, Decimal]) -> dict[int, Row]:
    """Every line of the 业务活动表: income (非限定性, 限定性), costs (非限定性 only, 其中 rows
    included), line 40 and line 45."""
    expected: dict[int, Row] = {}
    for line in INCOME_LINES:
        unrestricted, restricted = income.get(line, (ZERO, ZERO))
        expected[line] = [unrestricted, restricted, unrestricted + restricted]
    for line in sorted({*COST_LINES, *costs}):
        amount = costs.get(line, ZERO)
        expected[line] = [amount, None, amount]
    expected[40] = [released, -released, ZERO]
    expected[45] = [change[0], change[1], change[0] + change[1]]
    return expected


def cash_expected(changed: dict[int, Decimal]) -> dict[int, Row]:
    return {line: [changed.get(line, ZERO)] for line in CASH_LINES}


def note_expected(funds_rows: dict[str, tuple[Decimal, ...]]) -> dict[str, list[Decimal]]:
    """The note's rows: (上年结余, 本年拨入, 本年支出, 限定性转出) per fund; 本年结余 and the 合计
    row follow from them."""
    rows: dict[str, list[Decimal]] = {}
    for name in FUND_NAMES:
        before, received, spent, released = funds_rows.get(name, (ZERO,) * 4)
        rows[name] = [before, received, spent, before + received - spent, released]
    rows["合计"] = [sum((row[column] for row in rows.values()), ZERO) for column in range(5)]
    return rows


# ---- the brief's example: one fund's opening balance, spent in part ------------------------

def test_an_opening_balance_of_a_fund_is_its_restricted_money_and_its_spending_releases_it(
        tmp_path: Path) -> None:
    opening, spent = D("50000.00"), D("30000.00")
    main = new_centre(tmp_path, OPENING_ENTRY.format(construction=opening)
                      + RENOVATION.format(amount=spent))
    sheet, report, flows, note = exported(main, 2013, tmp_path / "out")
    released = min(spent, opening)  # what the fund spent, up to what it held restricted
    start_unrestricted, end_unrestricted = ZERO, ZERO - spent + released
    start_restricted, end_restricted = opening, opening - released
    left = opening - spent
    assert lines(sheet) == balance_expected({
        1: (opening, left), 20: (opening, left), 60: (opening, left),
        101: (start_unrestricted, end_unrestricted), 105: (start_restricted, end_restricted),
        110: (opening, left), 120: (opening, left)})
    assert lines(sheet)[101] == [ZERO, ZERO] and lines(sheet)[105] == [opening, D("20000.00")]
    assert lines(report) == activities_expected(
        {}, {12: spent, 13: spent, 35: spent}, released,
        (end_unrestricted - start_unrestricted, end_restricted - start_restricted))
    assert lines(report)[40] == [D("30000.00"), D("-30000.00"), ZERO]
    assert lines(report)[45] == [ZERO, D("-30000.00"), D("-30000.00")]
    assert lines(flows) == cash_expected({16: spent, 23: spent, 24: -spent, 61: -spent})
    assert note_of(note) == note_expected({"示范点建设经费": (opening, ZERO, spent, released)})
    assert note_of(note)["示范点建设经费"][0] == opening  # 上年结余 50000, 本年结余 20000
    assert note_of(note)["示范点建设经费"][3] == D("20000.00")


def test_two_funds_opening_balances_each_released_by_its_own_spending(tmp_path: Path) -> None:
    construction, salary = D("50000.00"), D("35000.00")
    renovation, wages, owed = D("30000.00"), D("40000.00"), D("5000.00")
    journal = f"""
2012-12-31 * "期初建账：上年结转余额"
  {CONSTRUCTION_BANK}  {construction} CNY
  {SALARY_BANK}  {salary} CNY
  Equity:3102-限定性净资产
{RENOVATION.format(amount=renovation)}
2013-04-10 * "社工" "4月工资，专户不足部分暂欠"
  voucher: "记-201304-001"
  payroll: "2013-04"
  Expenses:5101-业务活动成本:社工薪酬:应发工资  {wages} CNY
  {SALARY_BANK}  -{wages - owed} CNY
  Liabilities:2204-应付工资  -{owed} CNY
"""
    sheet, report, flows, note = exported(new_centre(tmp_path, journal), 2013, tmp_path / "out")
    opening = construction + salary
    # each fund releases what it spent, up to what it held: the wages beyond it stay a deficit
    released = {"示范点建设经费": min(renovation, construction), "社工薪酬": min(wages, salary)}
    total_released, spent = sum(released.values(), ZERO), renovation + wages
    cash_left = opening - renovation - (wages - owed)
    end_unrestricted, end_restricted = total_released - spent, opening - total_released
    assert lines(sheet) == balance_expected({
        1: (opening, cash_left), 20: (opening, cash_left), 60: (opening, cash_left),
        63: (ZERO, owed), 80: (ZERO, owed), 100: (ZERO, owed),
        101: (ZERO, end_unrestricted), 105: (opening, end_restricted),
        110: (opening, cash_left - owed), 120: (opening, cash_left)})
    assert lines(sheet)[101][1] == D("-5000.00") and lines(sheet)[105][1] == D("20000.00")
    assert lines(report) == activities_expected(
        {}, {12: spent, 13: renovation, 14: wages, 35: spent}, total_released,
        (end_unrestricted, end_restricted - opening))
    assert lines(flows) == cash_expected({
        15: wages - owed, 16: renovation, 23: spent - owed, 24: owed - spent,
        61: owed - spent})
    assert note_of(note) == note_expected({
        "示范点建设经费": (construction, ZERO, renovation, released["示范点建设经费"]),
        "社工薪酬": (salary, ZERO, wages, released["社工薪酬"])})


def test_the_opening_figures_carry_into_the_year_after(tmp_path: Path) -> None:
    """2014 starts from what 2013 left: the fund's 20000 still restricted, released up to it."""
    journal = (OPENING_ENTRY.format(construction="50000.00")
               + RENOVATION.format(amount="30000.00")
               + RENOVATION.replace("2013-03-05", "2014-02-01").replace("201303", "201402")
               .format(amount="25000.00"))
    sheet, report, _, note = exported(new_centre(tmp_path, journal), 2014, tmp_path / "out")
    held, spent = D("20000.00"), D("25000.00")
    assert lines(sheet)[101] == [ZERO, held - spent] and lines(sheet)[105] == [held, ZERO]
    assert lines(report)[40] == [held, -held, ZERO]
    assert note_of(note)["示范点建设经费"] == [held, ZERO, spent, held - spent, held]


# ---- hand-written books: a 3101 part, funds not restricted, the unit's own accounts -------

LEDGER = """\
option "operating_currency" "CNY"
2012-12-01 custom "fund" "construction" "示范点建设经费"
2012-12-01 custom "fund" "salary" "社工薪酬"
2012-12-01 custom "fund" "community" "社区活动经费"
  restricted: FALSE
2012-12-01 open Assets:1002-银行存款:建设经费专户 CNY
  fund: "construction"
2012-12-01 open Assets:1002-银行存款:社工薪酬专户 CNY
  fund: "salary"
2012-12-01 open Assets:1002-银行存款:社区活动 CNY
  fund: "community"
2012-12-01 open Assets:1002-银行存款:基本户 CNY
2012-12-01 open Income:4401-政府补助收入:限定性收入:区财政:建设经费 CNY
  fund: "construction"
2012-12-01 open Expenses:5101-业务活动成本:建设经费:装修工程 CNY
  fund: "construction"
2012-12-01 open Expenses:5101-业务活动成本:社工薪酬:应发工资 CNY
  fund: "salary"
2012-12-01 open Expenses:5101-业务活动成本:社区活动:活动费 CNY
  fund: "community"
2012-12-01 open Expenses:5201-管理费用:办公费 CNY
2012-12-01 open Equity:3101-非限定性净资产 CNY
2012-12-01 open Equity:3102-限定性净资产 CNY
"""


def pay(day: str, account: str, bank: str, amount: str) -> str:
    return f"""{day} * "付款"
  {account}  {amount} CNY
  {bank}  -{amount} CNY
"""


def statements(books: Books, year: int) -> tuple[Statement, Statement, Statement, Statement]:
    return (balance_sheet(books, year), activities(books, year), cash_flow(books, year),
            fund_note(books, year))


def amounts(statement: Statement, line: int) -> tuple[Decimal | None, ...]:
    return statement.row(line).values


def note_row(note: Statement, label: str) -> tuple[Decimal | None, ...]:
    [row] = [row for row in note.rows if row.label == label]
    return row.values


def test_a_3101_part_stays_unrestricted() -> None:
    books = books_of(LEDGER + """
2012-12-31 * "期初建账"
  Assets:1002-银行存款:建设经费专户  50000.00 CNY
  Assets:1002-银行存款:基本户         8000.00 CNY
  Equity:3101-非限定性净资产         -8000.00 CNY
  Equity:3102-限定性净资产          -50000.00 CNY
""" + pay("2013-03-01", "Expenses:5101-业务活动成本:建设经费:装修工程",
          "Assets:1002-银行存款:建设经费专户", "30000.00")
        + pay("2013-05-01", "Expenses:5201-管理费用:办公费", "Assets:1002-银行存款:基本户",
              "1000.00"))
    sheet, report, _, note = statements(books, 2013)
    assert amounts(sheet, 101) == (D("8000.00"), D("8000.00") - D("31000.00") + D("30000.00"))
    assert amounts(sheet, 105) == (D("50000.00"), D("20000.00"))
    assert amounts(report, 40) == (D("30000.00"), D("-30000.00"), ZERO)
    assert amounts(report, 45) == (D("-1000.00"), D("-30000.00"), D("-31000.00"))
    assert note_row(note, "示范点建设经费") == (D("50000.00"), ZERO, D("30000.00"),
                                               D("20000.00"), D("30000.00"))


def test_restricted_funds_take_the_3102_credit_before_a_fund_not_restricted() -> None:
    """The community fund's income is unrestricted: its opening money is the 3101 part."""
    books = books_of(LEDGER + """
2012-12-31 * "期初建账"
  Assets:1002-银行存款:建设经费专户  50000.00 CNY
  Assets:1002-银行存款:社区活动       5000.00 CNY
  Equity:3101-非限定性净资产         -5000.00 CNY
  Equity:3102-限定性净资产          -50000.00 CNY
""" + pay("2013-06-01", "Expenses:5101-业务活动成本:社区活动:活动费",
          "Assets:1002-银行存款:社区活动", "3000.00"))
    opening = restricted_years(annual_figures(books, 2013))[2013]
    assert opening["construction"].opening == D("50000.00")
    assert "community" not in opening or opening["community"].opening == ZERO
    sheet, report, _, note = statements(books, 2013)
    assert amounts(report, 40) == (ZERO, ZERO, ZERO)  # the community fund held nothing restricted
    assert amounts(sheet, 101) == (D("5000.00"), D("2000.00"))
    assert amounts(sheet, 105) == (D("50000.00"), D("50000.00"))
    assert note_row(note, "社区活动经费")[0] == ZERO  # its money was not restricted


def test_funds_holding_more_than_the_3102_credit_share_it_in_proportion_to_the_cent() -> None:
    books = books_of(LEDGER + """
2012-12-31 * "期初建账"
  Assets:1002-银行存款:建设经费专户  20000.00 CNY
  Assets:1002-银行存款:社工薪酬专户  10000.00 CNY
  Equity:3101-非限定性净资产         -1000.00 CNY
  Equity:3102-限定性净资产          -29000.00 CNY
""" + pay("2013-03-01", "Expenses:5101-业务活动成本:建设经费:装修工程",
          "Assets:1002-银行存款:建设经费专户", "20000.00"))
    opening = restricted_years(annual_figures(books, 2013))[2013]
    construction = (D("29000.00") * 2 / 3).quantize(D("0.01"))  # 19333.33
    salary = D("29000.00") - construction  # 9666.67
    assert (opening["construction"].opening, opening["salary"].opening) == (construction, salary)
    sheet, report, _, note = statements(books, 2013)
    assert amounts(report, 40) == (construction, -construction, ZERO)
    assert amounts(sheet, 105) == (D("29000.00"), salary)
    assert amounts(sheet, 101) == (D("1000.00"), D("1000.00") - D("20000.00") + construction)
    assert note_row(note, "示范点建设经费")[0] == construction
    assert note_row(note, "社工薪酬")[0] == salary


def test_an_opening_credit_to_3102_of_no_fund_stays_restricted_and_no_spending_releases_it(
        ) -> None:
    """Only the unit's own account debited: restricted money of no fund (限定性净资产 of the
    unit), which no fund's spending and no cost of the unit releases."""
    books = books_of(LEDGER + """
2012-12-31 * "期初建账"
  Assets:1002-银行存款:基本户  10000.00 CNY
  Equity:3102-限定性净资产    -10000.00 CNY
2013-01-10 * "区财政" "建设经费"
  Assets:1002-银行存款:建设经费专户  6000.00 CNY
  Income:4401-政府补助收入:限定性收入:区财政:建设经费  -6000.00 CNY
""" + pay("2013-03-01", "Expenses:5101-业务活动成本:建设经费:装修工程",
          "Assets:1002-银行存款:建设经费专户", "6000.00")
        + pay("2013-05-01", "Expenses:5201-管理费用:办公费", "Assets:1002-银行存款:基本户",
              "4000.00"))
    years = restricted_years(annual_figures(books, 2013))
    assert years[2012][None].brought == D("10000.00") and years[2013][None].released == ZERO
    sheet, report, _, note = statements(books, 2013)
    assert amounts(report, 40) == (D("6000.00"), D("-6000.00"), ZERO)  # the fund's own only
    assert amounts(sheet, 105) == (D("10000.00"), D("10000.00"))
    assert amounts(sheet, 101) == (ZERO, D("-4000.00"))
    assert amounts(report, 45) == (D("-4000.00"), ZERO, D("-4000.00"))
    assert [row.values[0] for row in note.rows] == [ZERO] * 4  # no fund's 上年结余


# ---- decoys --------------------------------------------------------------------------------

HISTORY = """
2012-12-01 * "区财政" "建设经费"
  Assets:1002-银行存款:建设经费专户  50000.00 CNY
  Income:4401-政府补助收入:限定性收入:区财政:建设经费  -50000.00 CNY
""" + pay("2012-12-20", "Expenses:5101-业务活动成本:建设经费:装修工程",
          "Assets:1002-银行存款:建设经费专户", "10000.00")
SUMMARY = """
2012-12-31 * "期初建账"
  Assets:1002-银行存款:建设经费专户  40000.00 CNY
  Equity:3102-限定性净资产          -40000.00 CNY
"""
NEXT_YEAR = pay("2013-03-01", "Expenses:5101-业务活动成本:建设经费:装修工程",
                "Assets:1002-银行存款:建设经费专户", "30000.00")


def test_an_opening_entry_gives_the_statements_its_history_would() -> None:
    """Restricted money carried the ordinary way (granted in 2012, spent in part) and the same
    balance brought by an opening entry give the same 2013 statements, line for line."""
    carried, opened = books_of(LEDGER + HISTORY + NEXT_YEAR), books_of(LEDGER + SUMMARY
                                                                        + NEXT_YEAR)
    for by_history, by_opening in zip(statements(carried, 2013), statements(opened, 2013),
                                      strict=True):
        assert by_history.rows == by_opening.rows, by_history.title
    sheet, report, _, note = statements(carried, 2013)
    assert amounts(sheet, 101) == (ZERO, ZERO) and amounts(sheet, 105) == (D("40000.00"),
                                                                           D("10000.00"))
    assert amounts(report, 40) == (D("30000.00"), D("-30000.00"), ZERO)
    assert note_row(note, "示范点建设经费") == (D("40000.00"), ZERO, D("30000.00"),
                                               D("10000.00"), D("30000.00"))


@pytest.mark.parametrize("text", [LEDGER + HISTORY + NEXT_YEAR, CASH_FLOW_YEARS])
def test_books_without_an_entry_to_3102_bring_nothing_forward(text: str) -> None:
    """An ordinary carry (income of a year before) and a 3101 opening entry: nothing brought."""
    assert annual_figures(books_of(text), 2013).brought == {}


def test_the_demo_books_bring_nothing_forward() -> None:
    entries, errors, options_map = loader.load_file(str(DEMO_BOOKS))
    assert not errors
    assert annual_figures(read_books(entries, options_map), 2012).brought == {}


# ---- the year that holds only the opening entry ------------------------------------------

def test_a_year_holding_only_the_opening_entry_names_the_first_year_of_the_statements(
        tmp_path: Path) -> None:
    main = new_centre(tmp_path, OPENING_ENTRY.format(construction="50000.00")
                      + RENOVATION.format(amount="30000.00"))
    result = export(main, 2012, tmp_path / "out")
    assert result.exit_code == 2
    assert "2012 年只有期初建账分录" in result.output and "年度报表从 2013 年开始" in result.output
    assert "funds export annual 2013" in result.output
    assert "2013.beancount:" in result.output and "期初建账：上年结转余额" in result.output
    assert "请记在上年最后一天" not in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_year_with_other_entries_beside_a_net_assets_entry_is_refused_as_before(
        tmp_path: Path) -> None:
    journal = (OPENING_ENTRY.format(construction="50000.00") + """
2012-12-31 * "银行" "利息"
  Assets:1002-银行存款:建设经费专户  10.00 CNY
  Income:4901-其他收入:限定性收入:专户利息:建设经费  -10.00 CNY
""")
    result = export(new_centre(tmp_path, journal), 2012, tmp_path / "out")
    assert result.exit_code == 2
    assert "直接记入净资产" in result.output and "请记在上年最后一天" in result.output
    assert "只有期初建账分录" not in result.output


def test_a_later_years_entry_to_3102_is_still_refused_in_its_year(tmp_path: Path) -> None:
    journal = (OPENING_ENTRY.format(construction="50000.00") + RENOVATION.format(
        amount="30000.00") + """
2013-12-31 * "结转限定性净资产"
  Equity:3101-非限定性净资产  -5000.00 CNY
  Equity:3102-限定性净资产     5000.00 CNY
""")
    result = export(new_centre(tmp_path, journal), 2013, tmp_path / "out")
    assert result.exit_code == 2
    assert "直接记入净资产" in result.output and "结转限定性净资产" in result.output
