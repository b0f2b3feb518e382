"""``funds plan`` and ``funds init`` after a new centre's bookkeeper reviewed them (issue 15):
amounts in 万元, a revision's allocations and their due dates, 来源, the chart code of a new
科目, sheets told by their header, the year's budget as check-funds counts it, the include
line, the next steps, and the books' folder for ``--ledger``."""

from __future__ import annotations

import datetime
import os
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from ledger.check import check_books
from ledger.cli.check import check_funds
from ledger.cli.main import funds
from ledger.model.chart import CONSTRUCTION, OPERATING, SALARY, FundAccounts
from ledger.model.summary import fund_figures
from tests.samples import following, statement_csv
from tests.test_funds_init import filled_in
from tests.test_funds_plan import (
    ALLOCATION_HEADER,
    ALLOCATION_ROWS,
    BUDGET_ROWS,
    allocations_of,
    budget_lines,
    fingerprint,
    include_plan,
    plan_csv,
    plan_xlsx,
    run,
    write_books,
)

PLAN_FILE = Path("plan") / "2013.beancount"


@pytest.fixture
def books(tmp_path: Path) -> Path:
    return write_books(tmp_path / "books")


@pytest.fixture(autouse=True)
def no_books_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BEANCOUNT_FILE", raising=False)


def rows_csv(path: Path, rows: list[list[str]]) -> Path:
    """A CSV of the rows as they are, title and unit lines included."""
    return plan_csv(path, rows[0], rows[1:])


def planned(books: Path, tmp_path: Path) -> Path:
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx")), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    include_plan(books)
    return books


# --- 1. amounts in 万元 ---------------------------------------------------------------------

def test_wan_yuan_in_a_unit_row_above_the_header_is_converted(books: Path,
                                                              tmp_path: Path) -> None:
    plan = rows_csv(tmp_path / "预算.csv", [
        ["2013年度资金使用计划（预算）"], ["单位：万元"], ["专项", "科目", "期间", "金额"],
        ["示范点建设经费", "装修工程", "年度", "37"],
        ["日常运营经费", "办公费", "季度", "0.2"]])
    result = run(str(plan), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert "金额单位：万元，已换算为元" in result.output
    include_plan(books)
    lines = budget_lines(books)
    assert lines[CONSTRUCTION.cost("装修工程")] == ("yearly", Decimal("370000.00"))
    assert lines[OPERATING.cost("办公费", "5201")] == ("quarterly", Decimal("2000.00"))


def test_wan_yuan_in_the_title_or_the_header_is_converted(books: Path, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "拨款"
    sheet.append(["2013年资金使用计划（单位：万元）"])
    sheet.append(["专项", "来源", "金额", "到位期限"])
    sheet.append(["示范点建设经费", "区财政", 30, "2013-02-28"])
    budget = workbook.create_sheet("预算")
    budget.append(["专项", "科目", "期间", "金额（万元）"])
    budget.append(["示范点建设经费", "装修工程", "年度", "37.123456"])
    workbook.save(tmp_path / "plan.xlsx")
    result = run(str(tmp_path / "plan.xlsx"), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert result.output.count("金额单位：万元，已换算为元") == 2
    include_plan(books)
    assert budget_lines(books)[CONSTRUCTION.cost("装修工程")] == ("yearly",
                                                                 Decimal("371234.56"))
    key = ("construction", CONSTRUCTION.grant("区财政"), datetime.date(2013, 2, 28))
    assert allocations_of(books) == {key: Decimal("300000.00")}


def test_wan_yuan_that_is_no_whole_fen_is_refused(books: Path, tmp_path: Path) -> None:
    plan = rows_csv(tmp_path / "预算.csv", [
        ["单位：万元"], ["专项", "科目", "期间", "金额"],
        ["示范点建设经费", "装修工程", "年度", "37.1234567"]])
    before = fingerprint(books.parent)
    result = run(str(plan), "--ledger", str(books))
    assert result.exit_code == 1, result.output
    assert "第 3 行" in result.output and "列 D（金额）" in result.output
    assert "不是整分" in result.output
    assert fingerprint(books.parent) == before


@pytest.mark.parametrize(("above", "header", "said"), [
    (["单位：千元"], "金额", "第 1 行"),
    (["2013年资金使用计划（单位：元）"], "金额（万元）", "第 1 行"),
])
def test_another_unit_or_two_units_that_disagree_are_refused(
        books: Path, tmp_path: Path, above: list[str], header: str, said: str) -> None:
    plan = rows_csv(tmp_path / "预算.csv", [
        above, ["专项", "科目", "期间", header], ["示范点建设经费", "装修工程", "年度", "37"]])
    result = run(str(plan), "--ledger", str(books))
    assert result.exit_code == 1, result.output
    assert "金额单位" in result.output and said in result.output
    assert not (books.parent / PLAN_FILE).exists()


@pytest.mark.parametrize("above", [["单位：元"], ["编制单位：揭阳市榕城区社工服务中心"],
                                   ["单位：揭阳市榕城区社工服务中心"]])
def test_yuan_or_the_units_name_above_the_header_reads_as_it_is(books: Path, tmp_path: Path,
                                                                above: list[str]) -> None:
    plan = rows_csv(tmp_path / "预算.csv", [
        above, ["专项", "科目", "期间", "金额"], ["示范点建设经费", "装修工程", "年度", "370000"]])
    result = run(str(plan), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert "万元" not in result.output
    include_plan(books)
    assert budget_lines(books)[CONSTRUCTION.cost("装修工程")] == ("yearly",
                                                                 Decimal("370000.00"))


# --- 2. a revision's allocations and their due dates ---------------------------------------

def raised(tmp_path: Path, due: str, amount: str = "330,000.00") -> Path:
    grants = [list(row) for row in ALLOCATION_ROWS]
    grants[0][2], grants[0][3] = amount, due
    return plan_xlsx(tmp_path / f"调整{due}.xlsx", BUDGET_ROWS, grants)


def test_a_top_up_due_before_the_revision_is_refused(books: Path, tmp_path: Path) -> None:
    planned(books, tmp_path)
    before = fingerprint(books.parent)
    result = run(str(raised(tmp_path, "2013-02-28")), "--ledger", str(books),
                 "--date", "2013-06-01")
    assert result.exit_code == 1, result.output
    assert "追加部分的到位期限须晚于调整日期" in result.output
    assert "第 3 行" in result.output and "列 D（到位期限）" in result.output
    assert fingerprint(books.parent) == before


def test_a_top_up_is_due_on_the_rows_date_and_not_written_twice(books: Path,
                                                                tmp_path: Path) -> None:
    planned(books, tmp_path)
    result = run(str(raised(tmp_path, "2013-09-30")), "--ledger", str(books),
                 "--date", "2013-06-01")
    assert result.exit_code == 0, result.output
    text = (books.parent / "plan" / "2013-调整1.beancount").read_text("utf-8")
    assert '2013-06-01 custom "allocation" "construction" 30000.00 CNY' in text
    assert "  due: 2013-09-30" in text and 'note: "资金使用计划调整：追加"' in text
    assert "allocation-late" not in result.output
    again = run(str(raised(tmp_path, "2013-09-30")), "--ledger", str(books),
                "--date", "2013-07-01")
    assert again.exit_code == 0, again.output
    assert "没有需要写入的内容" in again.output
    grants = allocations_of(books)
    assert grants[("construction", CONSTRUCTION.grant("区财政"),
                   datetime.date(2013, 9, 30))] == Decimal("30000.00")


def test_a_new_allocation_in_a_revision_must_fall_due_after_it(books: Path,
                                                                tmp_path: Path) -> None:
    planned(books, tmp_path)
    grants = [*ALLOCATION_ROWS, ["日常运营经费", "区财政", "8,000.00", "2013-05-31", ""]]
    late = plan_xlsx(tmp_path / "late.xlsx", BUDGET_ROWS, grants)
    result = run(str(late), "--ledger", str(books), "--date", "2013-06-01")
    assert result.exit_code == 1, result.output
    assert "第 6 行" in result.output and "晚于调整日期" in result.output
    grants[-1][3] = "2013-06-30"
    fine = plan_xlsx(tmp_path / "fine.xlsx", BUDGET_ROWS, grants)
    result = run(str(fine), "--ledger", str(books), "--date", "2013-06-01")
    assert result.exit_code == 0, result.output


def test_a_first_plans_allocation_due_before_its_first_day_is_refused(books: Path,
                                                                      tmp_path: Path) -> None:
    grants = [list(row) for row in ALLOCATION_ROWS]
    grants[1][3] = "2012-12-31"
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx", BUDGET_ROWS, grants)), "--ledger",
                 str(books))
    assert result.exit_code == 1, result.output
    assert "第 4 行" in result.output and "2013-01-01" in result.output
    grants[1][3] = "2013-01-01"  # due on the first day: taken
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx", BUDGET_ROWS, grants)), "--ledger",
                 str(books))
    assert result.exit_code == 0, result.output


def test_an_allocation_due_after_the_plans_year_is_refused(books: Path, tmp_path: Path) -> None:
    grants = [list(row) for row in ALLOCATION_ROWS]
    grants[1][3] = "2014-01-31"
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx", BUDGET_ROWS, grants)), "--ledger",
                 str(books))
    assert result.exit_code == 1, result.output
    assert "第 4 行" in result.output and "不在计划年度 2013 年内" in result.output
    assert not (books.parent / "plan").exists()
    grants[1][3] = "2013-12-31"  # the year's last day: taken
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx", BUDGET_ROWS, grants)), "--ledger",
                 str(books))
    assert result.exit_code == 0, result.output


# --- 3. 来源 ---------------------------------------------------------------------------------

EXTRA_INCOME = f"""\
2013-01-01 open Income:4401-政府补助收入:限定性收入:东山区管委会:建设经费 CNY
  fund: "construction"
2013-01-01 open {CONSTRUCTION.interest} CNY
  fund: "construction"
"""


def source_plan(tmp_path: Path, source: str) -> Path:
    return rows_csv(tmp_path / "拨款.csv", [
        ALLOCATION_HEADER, ["示范点建设经费", source, "1,000.00", "2013-03-31", ""]])


def test_a_parent_of_the_funds_income_accounts_is_no_source(books: Path,
                                                            tmp_path: Path) -> None:
    with (books.parent / "accounts.beancount").open("a", encoding="utf-8") as file:
        file.write(EXTRA_INCOME)
    result = run(str(source_plan(tmp_path, "Income:4401-政府补助收入:限定性收入:东山区管委会")),
                 "--ledger", str(books))
    assert result.exit_code == 1, result.output
    assert "列 B（来源）" in result.output
    taken = run(str(source_plan(tmp_path, "东山区管委会")), "--ledger", str(books))
    assert taken.exit_code == 0, taken.output
    assert "不是政府补助收入" not in taken.output


def test_a_source_outside_government_grants_gets_a_note(books: Path, tmp_path: Path) -> None:
    with (books.parent / "accounts.beancount").open("a", encoding="utf-8") as file:
        file.write(EXTRA_INCOME)
    result = run(str(source_plan(tmp_path, CONSTRUCTION.interest)), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert f"拨款记入 {CONSTRUCTION.interest}，不是政府补助收入，请核对" in result.output


# --- 4. the chart code of a new 科目 --------------------------------------------------------

def test_a_new_accounts_code_comes_from_its_name_whatever_the_fund(tmp_path: Path) -> None:
    folder = tmp_path / "centre"
    made = CliRunner().invoke(funds, ["init", str(folder), "--unit", "测试中心", "--year", "2013",
                                      "--fund", "youth=青少年服务"])
    assert made.exit_code == 0, made.output
    plan = rows_csv(tmp_path / "预算.csv", [
        ["专项", "科目", "期间", "金额"], ["youth", "办公费", "年度", "100"],
        ["youth", "培训费", "年度", "200"]])
    main = folder / "main.beancount"
    result = run(str(plan), "--ledger", str(main))
    assert result.exit_code == 0, result.output
    youth = FundAccounts("youth", "青少年服务", "青少年服务")
    assert set(budget_lines(main)) == {youth.cost("办公费", "5201"), youth.cost("培训费")}


def test_a_bank_fee_line_goes_under_5301(books: Path, tmp_path: Path) -> None:
    plan = rows_csv(tmp_path / "预算.csv", [
        ["专项", "科目", "期间", "金额"], ["示范点建设经费", "银行手续费", "年度", "100"]])
    result = run(str(plan), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    include_plan(books)
    assert set(budget_lines(books)) == {CONSTRUCTION.bank_fee}


# --- 5. sheets ------------------------------------------------------------------------------

def test_sheets_are_told_by_their_header_and_others_skipped(books: Path,
                                                            tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = "表1"
    first.append(["专项", "科目", "期间", "金额（元）"])
    first.append(["示范点建设经费", "装修工程", "年度", "370,000.00"])
    grants = workbook.create_sheet("资金拨付计划")
    grants.append(["专项", "来源", "金额（元）", "到位期限"])
    grants.append(["示范点建设经费", "区财政", "300,000.00", "2013-02-28"])
    note = workbook.create_sheet("填表说明")
    note.append(["金额以元为单位，保留两位小数"])
    workbook.save(tmp_path / "计划.xlsx")
    result = run(str(tmp_path / "计划.xlsx"), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert "已跳过工作表 填表说明：不是预算或拨款表" in result.output
    assert "已跳过工作表 表1" not in result.output
    include_plan(books)
    assert set(budget_lines(books)) == {CONSTRUCTION.cost("装修工程")}
    assert sum(allocations_of(books).values()) == Decimal("300000.00")


def test_an_allocation_file_alone_after_the_budget_is_a_first_allocation_plan(
        books: Path, tmp_path: Path) -> None:
    budget = rows_csv(tmp_path / "预算.csv", [
        ["专项", "科目", "期间", "金额"], ["示范点建设经费", "装修工程", "年度", "370000"]])
    assert run(str(budget), "--ledger", str(books)).exit_code == 0
    include_plan(books)
    grants = rows_csv(tmp_path / "拨款.csv", [
        ALLOCATION_HEADER, ["示范点建设经费", "区财政", "300,000.00", "2013-02-28", ""]])
    result = run(str(grants), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    written = [path for path in (books.parent / "plan").iterdir() if path.name != "2013.beancount"]
    assert len(written) == 1 and "调整" not in written[0].name
    text = written[0].read_text("utf-8")
    assert '2013-01-01 custom "allocation" "construction" 300000.00 CNY' in text
    assert "资金使用计划调整" not in text
    assert "账簿中有、计划中没有" not in result.output  # the budget line is no left-alone row
    assert "示范点建设经费（construction）：拨款合计 300,000.00" in result.output
    assert "全年预算" not in result.output


# --- 6. the year's budget -------------------------------------------------------------------

def test_the_summarys_budget_is_the_years_as_check_funds_counts_it(books: Path,
                                                                   tmp_path: Path) -> None:
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx")), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    include_plan(books)
    checked = check_books(books)
    for figures in fund_figures(checked.books, datetime.date(2013, 12, 31)):
        shown = re.search(rf"（{figures.fund}）：计划表全年预算 ([\d,.]+)", result.output)
        assert shown is not None, result.output
        assert Decimal(shown.group(1).replace(",", "")) == figures.budget
    assert "社工薪酬（salary）：计划表全年预算 115,200.00" in result.output  # 9,600 a month


# --- 7. the include line, a second revision on one date -------------------------------------

def test_the_include_line_is_relative_to_the_books_folder(books: Path, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere" / "计划.beancount"
    out.parent.mkdir()
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx")), "--ledger", str(books), "-o", str(out))
    assert result.exit_code == 0, result.output
    relative = os.path.relpath(out, books.parent).replace(os.sep, "/")
    assert f'include "{relative}"' in result.output and relative.startswith("../")


def test_a_second_revision_on_the_same_date_says_the_date_is_the_problem(
        books: Path, tmp_path: Path) -> None:
    planned(books, tmp_path)
    budget = [list(row) for row in BUDGET_ROWS]
    budget[0][3] = "400,000.00"
    first = run(str(plan_xlsx(tmp_path / "a.xlsx", budget)), "--ledger", str(books),
                "--date", "2013-06-01")
    assert first.exit_code == 0, first.output
    budget[0][3] = "410,000.00"
    second = run(str(plan_xlsx(tmp_path / "b.xlsx", budget)), "--ledger", str(books),
                 "--date", "2013-06-01")
    assert second.exit_code == 2, second.output
    assert "调整日期" in second.output and "未能采用" not in second.output


# --- 8. funds init's next steps and --plan --------------------------------------------------

def test_init_in_the_current_folder_has_no_cd_step(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "centre"
    folder.mkdir()
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(funds, ["init", ".", "--unit", "测试中心", "--year", "2013"])
    assert result.exit_code == 0, result.output
    assert "cd " not in result.output
    assert re.search(r"  1\. .*\n  2\. .*期初建账.*\n  3\. funds plan", result.output)


def test_two_plan_files_after_one_plan_option_get_a_chinese_error(tmp_path: Path) -> None:
    budget = rows_csv(tmp_path / "预算.csv", [["专项", "科目", "期间", "金额"]])
    grants = rows_csv(tmp_path / "拨款.csv", [ALLOCATION_HEADER])
    result = CliRunner().invoke(funds, ["init", str(tmp_path / "c"), "--unit", "测试中心",
                                        "--year", "2013", "--plan", str(budget), str(grants)])
    assert result.exit_code == 2
    assert "--plan 预算.csv --plan 拨款.csv" in result.output
    assert not (tmp_path / "c").exists()
    helped = CliRunner().invoke(funds, ["init", "--help"])
    assert "--plan 预算.csv --plan 拨款.csv" in helped.output


# --- 9. a books folder for --ledger ----------------------------------------------------------

def test_a_books_folder_is_taken_as_its_main_file(books: Path, tmp_path: Path) -> None:
    checked = CliRunner().invoke(check_funds, [str(books.parent)])
    assert checked.exit_code == 1, checked.output  # the books' own finding: unbudgeted
    assert f"账簿 / books: {books}" in checked.output
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx")), "--ledger", str(books.parent))
    assert result.exit_code == 0, result.output
    assert (books.parent / PLAN_FILE).exists()


def test_a_folder_without_main_beancount_is_refused_naming_it(tmp_path: Path) -> None:
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    for command, args in ((check_funds, [str(empty)]),
                          (funds, ["plan", str(tmp_path), "--ledger", str(empty)])):
        result = CliRunner().invoke(command, args)
        assert result.exit_code == 2, result.output
        assert f"{empty}" in result.output and "main.beancount" in result.output


def test_a_folder_given_as_a_plan_file_is_still_refused(books: Path) -> None:
    result = run(str(books.parent), "--ledger", str(books))
    assert result.exit_code == 2
    assert "是文件夹，不是文件" in result.output


# --- 10. a new centre's first bank fee --------------------------------------------------------

def test_a_new_centres_imported_bank_fee_has_its_evidence(tmp_path: Path) -> None:
    folder = tmp_path / "centre"
    made = CliRunner().invoke(funds, ["init", str(folder), "--unit", "测试中心", "--year", "2013"])
    assert made.exit_code == 0, made.output
    filled_in(folder)
    lines = following([], ("2013-01-05", "拨付社工薪酬", "东山区管委会", "60000.00"),
                      ("2013-03-21", "账户管理费", "", "-5.00"))
    statement = statement_csv(tmp_path / "对账单.csv", lines,
                              account_number="6230 0000 0000 0002")
    journal = folder / "导入.beancount"
    imported = CliRunner().invoke(funds, ["import", str(statement), "--ledger",
                                          str(folder / "main.beancount"), "-o", str(journal)])
    assert imported.exit_code == 0, imported.output
    with (folder / "main.beancount").open("a", encoding="utf-8") as file:
        file.write('include "导入.beancount"\n')
    assert "receipt:" in journal.read_text(encoding="utf-8")
    result = CliRunner().invoke(check_funds, [str(folder / "main.beancount"), "--format", "json"])
    assert "missing-evidence" not in result.output, result.output
    assert SALARY.bank_fee in journal.read_text(encoding="utf-8")
