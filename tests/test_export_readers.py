"""``funds export monthly`` as the city finance bureau reads it: budget periods and funds in
Chinese (the fund's code kept in its own column), and every 收支明细 row naming its accounts."""

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from ledger.cli.main import funds
from ledger.model.budget import PERIOD_LABELS, PERIODS, period_label
from tests.test_export_monthly import OCTOBER, SHEETS, export, read_csv, table
from tests.workbook_tables import without_sign_off

DEMO_NAMES = {"construction": "示范点建设经费", "operating": "日常运营经费", "salary": "社工薪酬"}
CASH = "Assets:1001-现金:运营经费备用金"
OPERATING_BANK = "Assets:1002-银行存款:运营经费专户"

PERIOD_BOOKS = """\
option "title" "期间测试"
2012-01-01 custom "fund" "operating" "日常运营经费"
2012-01-01 open Assets:1002-银行存款:运营经费专户 CNY
  fund: "operating"
2012-01-01 open Income:4401-政府补助收入:限定性收入:区财政:运营经费 CNY
  fund: "operating"
2012-01-01 open Expenses:5101-业务活动成本:运营经费:办公费 CNY
  fund: "operating"
2012-01-01 open Expenses:5101-业务活动成本:运营经费:水电费 CNY
  fund: "operating"
2012-01-01 open Expenses:5101-业务活动成本:运营经费:培训费 CNY
  fund: "operating"
2012-01-01 custom "budget" Expenses:5101-业务活动成本:运营经费:办公费 "yearly" 1000.00 CNY
2012-01-01 custom "budget" Expenses:5101-业务活动成本:运营经费:水电费 "quarterly" 300.00 CNY
2012-01-01 custom "budget" Expenses:5101-业务活动成本:运营经费:培训费 "monthly" 100.00 CNY
2012-10-01 * "东山区管委会" "拨款"
  Assets:1002-银行存款:运营经费专户            10000.00 CNY
  Income:4401-政府补助收入:限定性收入:区财政:运营经费
2012-10-09 * "东山区便民文具店" "签到表"
  Expenses:5101-业务活动成本:运营经费:办公费      86.00 CNY
  Assets:1002-银行存款:运营经费专户
2012-11-01 balance Assets:1002-银行存款:运营经费专户   9914.00 CNY
"""


def xlsx_table(folder: Path, month: str, sheet: str, first_column: str) -> list[dict[str, str]]:
    """A sheet of the month's workbook as the CSV reader gives it: text cells under the header
    row that starts with ``first_column``, down to the table's end (above the sign-off)."""
    book = openpyxl.load_workbook(folder / f"专项资金月报-{month}.xlsx")
    rows = [["" if cell is None else str(cell) for cell in row]
            for row in without_sign_off(list(book[sheet].iter_rows(values_only=True)))]
    return table([row for row in rows if any(row)], first_column)


def test_every_budget_period_has_a_chinese_label() -> None:
    assert set(PERIOD_LABELS) == set(PERIODS)
    assert [period_label(period) for period in ("yearly", "quarterly", "monthly")] == [
        "年度", "季度", "月度"]
    assert period_label("fortnightly") == "fortnightly"  # unknown: as written, never hidden


def test_the_budget_sheet_shows_the_period_in_chinese(tmp_path: Path) -> None:
    books = tmp_path / "books.beancount"
    books.write_text(PERIOD_BOOKS, "utf-8")
    result = CliRunner().invoke(funds, ["export", "monthly", OCTOBER, "--ledger", str(books),
                                        "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / OCTOBER
    for rows in (table(read_csv(folder, 2), "专项"),
                 xlsx_table(folder, OCTOBER, SHEETS[1], "专项")):
        periods = {row["预算科目"].rsplit(":", 1)[1]: row["预算期间"] for row in rows}
        assert periods == {"办公费": "年度", "水电费": "季度", "培训费": "月度"}


@pytest.mark.parametrize(("index", "first_column"), [(2, "专项"), (4, "日期"), (5, "日期")])
def test_the_fund_column_shows_the_funds_chinese_name_beside_its_code(
        tmp_path: Path, index: int, first_column: str) -> None:
    assert export(tmp_path).exit_code == 0
    folder = tmp_path / "out" / OCTOBER
    for rows in (table(read_csv(folder, index), first_column),
                 xlsx_table(folder, OCTOBER, SHEETS[index - 1], first_column)):
        rows = [row for row in rows if row.get("专项代码")]
        assert rows
        assert {(row["专项"], row["专项代码"]) for row in rows} <= {
            (name, code) for code, name in DEMO_NAMES.items()}


def test_the_details_of_each_fund_add_up_by_its_code(tmp_path: Path) -> None:
    """The code column is what a machine sums by: each fund's details add up to sheet 1."""
    assert export(tmp_path).exit_code == 0
    folder = tmp_path / "out" / OCTOBER
    details = table(read_csv(folder, 4), "日期")
    paid = {code: sum((Decimal(row["支出"]) for row in details if row.get("专项代码") == code),
                      Decimal(0))
            for code in DEMO_NAMES}
    sheet1 = {row["专项代码"]: Decimal(row["本月支出"])
              for row in table(read_csv(folder, 1), "专项代码") if row["专项代码"] in DEMO_NAMES
              and not row["专项名称"].startswith("其中")}
    assert paid == sheet1


def test_a_petty_cash_draw_names_the_cash_and_the_bank_account(tmp_path: Path) -> None:
    assert export(tmp_path).exit_code == 0
    details = table(read_csv(tmp_path / "out" / OCTOBER, 4), "日期")
    [draw] = [row for row in details if row["凭证号"] == "记-201210-003"]
    assert draw["摘要"] == "提取备用金"
    assert draw["科目"] == f"借：{CASH}；贷：{OPERATING_BANK}"
    assert (draw["收入"], draw["支出"]) == ("0.00", "0.00")
    assert all(row["科目"] for row in details if row["日期"])


def test_a_payment_names_only_its_counter_account(tmp_path: Path) -> None:
    """Decoy: a payment from the fund's bank or cash names the expense alone, as before."""
    assert export(tmp_path).exit_code == 0
    details = table(read_csv(tmp_path / "out" / OCTOBER, 4), "日期")
    office = next(row for row in details if row["凭证号"] == "记-201210-004")
    assert office["科目"] == "Expenses:5201-管理费用:运营经费:办公费"
    transfer = [row for row in details if row["凭证号"] == "记-201210-018"]
    assert {row["科目"] for row in transfer} == {OPERATING_BANK,
                                                "Assets:1002-银行存款:建设经费专户"}
