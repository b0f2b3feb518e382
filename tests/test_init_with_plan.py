"""A new centre in two commands: ``funds init --plan``, or ``funds init`` then ``funds plan``;
either way the books check clean and hold the spreadsheet's rows, and a bad plan writes no
books at all."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from ledger.check import check_books
from ledger.cli.check import check_funds
from ledger.cli.main import funds
from tests.test_funds_plan import (
    BUDGET_ROWS,
    EXPECTED_ALLOCATIONS,
    EXPECTED_BUDGETS,
    allocations_of,
    budget_lines,
    plan_xlsx,
)

UNIT = "揭阳市榕城区社区社工综合服务中心"


def init(folder: Path, *args: str) -> Result:
    return CliRunner().invoke(funds, ["init", str(folder), "--unit", UNIT, "--year", "2013",
                                      *args])


def test_init_with_a_plan_gives_books_holding_its_rows_that_check_clean(tmp_path: Path) -> None:
    centre = tmp_path / "centre"
    result = init(centre, "--plan", str(plan_xlsx(tmp_path / "资金使用计划.xlsx")))
    assert result.exit_code == 0, result.output
    assert "plan/2013.beancount" in result.output and "2013 年资金使用计划" in result.output
    main = centre / "main.beancount"
    assert (centre / "plan" / "2013.beancount").is_file()
    lines = budget_lines(main)
    assert {account: lines[account] for account in EXPECTED_BUDGETS} == EXPECTED_BUDGETS
    assert allocations_of(main) == EXPECTED_ALLOCATIONS
    checked = CliRunner().invoke(check_funds, [str(main)])
    assert checked.exit_code == 0, checked.output
    assert checked.output.count("未发现问题 / no findings") == 3
    assert "专项数字：2013 年" in checked.output


def test_a_plan_with_a_bad_row_leaves_no_books(tmp_path: Path) -> None:
    bad = [*BUDGET_ROWS, ["示范点建设经费", "装修工程", "年度", "三十万", ""]]
    centre = tmp_path / "centre"
    result = init(centre, "--plan", str(plan_xlsx(tmp_path / "plan.xlsx", bad)))
    assert result.exit_code == 1
    assert "第 7 行" in result.output and "金额" in result.output
    assert "未写入任何文件 / nothing was written" in result.output
    assert not centre.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["plan.xlsx"]


def test_a_plan_of_another_year_leaves_no_books(tmp_path: Path) -> None:
    centre = tmp_path / "centre"
    plan = plan_xlsx(tmp_path / "plan.xlsx", title="2014年度资金使用计划")
    result = init(centre, "--plan", str(plan))
    assert result.exit_code == 1
    assert "2014" in result.output and "2013" in result.output
    assert not centre.exists()


def test_a_plan_written_later_is_included_without_editing_the_books(tmp_path: Path) -> None:
    centre = tmp_path / "centre"
    assert init(centre).exit_code == 0
    main = centre / "main.beancount"
    before = main.read_text(encoding="utf-8")
    written = CliRunner().invoke(funds, ["plan", str(plan_xlsx(tmp_path / "plan.xlsx")),
                                         "--ledger", str(main)])
    assert written.exit_code == 0, written.output
    assert "账簿已 include 此文件" in written.output
    assert main.read_text(encoding="utf-8") == before
    assert allocations_of(main) == EXPECTED_ALLOCATIONS
    checked = CliRunner().invoke(check_funds, [str(main)])
    assert checked.exit_code == 0, checked.output


def test_fava_shows_the_years_result_under_restricted_net_assets(tmp_path: Path) -> None:
    centre = tmp_path / "centre"
    assert init(centre).exit_code == 0
    options = check_books(centre / "main.beancount").options_map
    assert {options[name] for name in ("account_current_earnings", "account_previous_earnings",
                                       "account_previous_balances")} == {
        "3102-限定性净资产"}  # under the Equity root
    assert {options[name] for name in ("account_current_conversions",
                                       "account_unrealized_gains")} == {"3101-非限定性净资产"}
