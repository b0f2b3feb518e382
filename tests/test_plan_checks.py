"""``funds plan`` after review (issue 15): sealed months, a moved due date, merged cells, a
source that is a typo, a new account a character away, the trial load and the include check,
and the usage errors."""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import importers.plan.draft
from importers.plan import REFUSED_RULES
from importers.tables import read_sheets, read_table
from ledger.check import check_books
from ledger.cli.main import funds
from ledger.model.chart import CONSTRUCTION, SALARY
from ledger.model.findings import RULES
from tests.test_funds_plan import (
    ALLOCATION_ROWS,
    BUDGET_HEADER,
    BUDGET_ROWS,
    fingerprint,
    include_plan,
    plan_xlsx,
    revised,
    run,
    write_books,
)

PLAN_FILE = Path("plan") / "2013.beancount"


@pytest.fixture
def books(tmp_path: Path) -> Path:
    return write_books(tmp_path / "books")


def seal(books: Path, *months: str) -> None:
    for month in months:
        result = CliRunner().invoke(funds, ["seal", month, "--ledger", str(books)])
        assert result.exit_code == 0, result.output


def planned(books: Path, tmp_path: Path) -> Path:
    """The books with the first plan written and included."""
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx")), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    include_plan(books)
    return books


def rules_of(books: Path) -> set[str]:
    checked = check_books(books)
    assert not checked.load_errors, checked.load_errors
    return {finding.rule for finding in checked.findings}


# --- sealed months (B1) ---------------------------------------------------------------------

def test_a_first_plan_on_sealed_books_takes_effect_after_the_sealed_months(
        books: Path, tmp_path: Path) -> None:
    seal(books, "2013-01", "2013-02")
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx")), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert "计划生效日晚于已封账月份" in result.output and "2013-02" in result.output
    text = (books.parent / PLAN_FILE).read_text("utf-8")
    assert "2013-01-01" not in text
    assert f'2013-03-01 custom "budget" {CONSTRUCTION.cost("装修工程")}' in text
    assert f"2013-03-01 open {CONSTRUCTION.cost('设计费')} CNY" in text
    include_plan(books)
    assert "sealed-period-changed" not in rules_of(books)


def test_the_same_plan_again_on_sealed_books_writes_nothing(books: Path, tmp_path: Path) -> None:
    planned(books, tmp_path)
    seal(books, "2013-01", "2013-02")
    before = fingerprint(books.parent)
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx")), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert "未写文件" in result.output
    assert fingerprint(books.parent) == before


def test_a_revision_dated_in_a_sealed_month_is_a_usage_error(books: Path,
                                                            tmp_path: Path) -> None:
    planned(books, tmp_path)
    seal(books, "2013-01", "2013-02")
    before = fingerprint(books.parent)
    result = run(str(revised(tmp_path)), "--ledger", str(books), "--date", "2013-02-10")
    assert result.exit_code == 2, result.output
    assert "已封账月份 2013-02" in result.output and "未写入任何文件" in result.output
    assert fingerprint(books.parent) == before
    later = run(str(revised(tmp_path)), "--ledger", str(books), "--date", "2013-03-01")
    assert later.exit_code == 0, later.output
    assert "sealed-period-changed" not in rules_of(books)


def test_a_revision_opens_its_new_accounts_on_its_date(books: Path, tmp_path: Path) -> None:
    planned(books, tmp_path)
    result = run(str(revised(tmp_path)), "--ledger", str(books), "--date", "2013-06-01")
    assert result.exit_code == 0, result.output
    text = (books.parent / "plan" / "2013-调整1.beancount").read_text("utf-8")
    assert f"2013-06-01 open {SALARY.cost('单位社会保险费')} CNY" in text
    assert "2013-01-01" not in text


def test_a_plan_changing_a_sealed_month_is_refused_by_the_trial_load(
        books: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seal(books, "2013-01")
    monkeypatch.setattr(importers.plan.draft, "_first_date",
                        lambda reading, year: (datetime.date(year, 1, 1), None))
    before = fingerprint(books.parent)
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx")), "--ledger", str(books))
    assert result.exit_code == 1, result.output
    assert "计划中的指令本身有误" in result.output
    assert "[sealed-period-changed]" in result.output and "未写入任何文件" in result.output
    assert fingerprint(books.parent) == before


def test_the_refused_rules_are_rules_of_the_registry() -> None:
    assert RULES.keys() >= REFUSED_RULES
    assert "sealed-period-changed" in REFUSED_RULES


# --- a moved due date (B2) ------------------------------------------------------------------

def test_a_moved_due_date_is_refused_naming_the_books_allocation(books: Path,
                                                                tmp_path: Path) -> None:
    planned(books, tmp_path)
    before = fingerprint(books.parent)
    grants = [list(row) for row in ALLOCATION_ROWS]
    grants[2][3] = "2013/03/31"
    moved = plan_xlsx(tmp_path / "moved.xlsx", BUDGET_ROWS, grants)
    result = run(str(moved), "--ledger", str(books), "--date", "2013-02-10")
    assert result.exit_code == 1, result.output
    assert "第 5 行" in result.output and "列 D（到位期限）" in result.output
    assert "plan/2013.beancount:" in result.output and "请手工修改账簿中的拨款" in result.output
    assert fingerprint(books.parent) == before


def test_two_tranches_from_one_funder_are_two_allocations(books: Path, tmp_path: Path) -> None:
    grants = [*ALLOCATION_ROWS, ["社工薪酬", "区财政", "57,600.00", "2013-08-31", ""]]
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx", BUDGET_ROWS, grants)), "--ledger",
                 str(books))
    assert result.exit_code == 0, result.output
    assert (books.parent / PLAN_FILE).read_text("utf-8").count('custom "allocation" "salary"') == 2


# --- merged cells (B5) ----------------------------------------------------------------------

def merged_plan(path: Path) -> Path:
    """A budget sheet whose 专项 cell is merged down the two rows of the fund's lines."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "预算"
    sheet.append(["2013年度资金使用计划"])
    sheet.append(BUDGET_HEADER)
    sheet.append(["示范点建设经费", "装修工程", "年度", "370,000.00", ""])
    sheet.append(["", "设计费", "年度", "20,000.00", ""])
    sheet.merge_cells("A3:A4")
    workbook.save(path)
    return path


def test_a_fund_cell_merged_down_its_rows_names_each_of_them(books: Path,
                                                             tmp_path: Path) -> None:
    result = run(str(merged_plan(tmp_path / "plan.xlsx")), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert "写入预算 2 行" in result.output
    text = (books.parent / PLAN_FILE).read_text("utf-8")
    assert f'custom "budget" {CONSTRUCTION.cost("设计费")} "yearly" 20000.00 CNY' in text


def test_merged_cells_are_filled_only_for_a_reader_that_asks(tmp_path: Path) -> None:
    path = merged_plan(tmp_path / "plan.xlsx")
    assert read_table(path).rows[3][0].text == ""
    [(_, table)] = read_sheets(path, lambda names: names, merged=True)
    assert table.rows[3][0].text == "示范点建设经费"


def test_a_blank_fund_cell_is_said_to_be_blank(books: Path, tmp_path: Path) -> None:
    budget = [*BUDGET_ROWS, ["", "设计费", "年度", "1,000.00", ""]]
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx", budget)), "--ledger", str(books))
    assert result.exit_code == 1, result.output
    assert "第 7 行" in result.output and "专项为空 / the fund is blank" in result.output


# --- 来源 and 科目 typos ----------------------------------------------------------------------

def test_an_unknown_source_is_refused_naming_the_accepted_ones(books: Path,
                                                               tmp_path: Path) -> None:
    grants = [list(row) for row in ALLOCATION_ROWS]
    grants[0][1] = "区财正"
    before = fingerprint(books.parent)
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx", BUDGET_ROWS, grants)), "--ledger",
                 str(books))
    assert result.exit_code == 1, result.output
    assert "无法识别的来源“区财正”" in result.output and "区财政、市财政" in result.output
    assert "列 B（来源）" in result.output
    assert fingerprint(books.parent) == before


def test_a_source_by_its_full_income_account_is_taken(books: Path, tmp_path: Path) -> None:
    grants = [list(row) for row in ALLOCATION_ROWS]
    grants[2][1] = SALARY.grant("区财政")
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx", BUDGET_ROWS, grants)), "--ledger",
                 str(books))
    assert result.exit_code == 0, result.output
    assert f"  source: {SALARY.grant('区财政')}" in (books.parent / PLAN_FILE).read_text("utf-8")


def test_a_new_account_a_character_away_gets_a_note(books: Path, tmp_path: Path) -> None:
    budget = [list(row) for row in BUDGET_ROWS]
    budget[0][1] = "装修工称"
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx", budget)), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert "新开科目 / accounts opened:" in result.output
    assert f"  {CONSTRUCTION.cost('装修工称')}（专项 / fund construction）" in result.output
    assert (f"注意：新开科目 {CONSTRUCTION.cost('装修工称')} 与已有科目 "
            f"{CONSTRUCTION.cost('装修工程')} 相近" in result.output)
    assert "设计费 与已有科目" not in result.output  # a new name not close to any: no note


def test_another_funds_item_named_for_a_fund_gets_a_note(books: Path, tmp_path: Path) -> None:
    budget = [*BUDGET_ROWS, ["示范点建设经费", "应发工资", "年度", "1,000.00", ""]]
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx", budget)), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert (f"注意：新开科目 {CONSTRUCTION.cost('应发工资')} 与已有科目 "
            f"{SALARY.cost('应发工资')} 相近" in result.output)


# --- the trial load and the include check ---------------------------------------------------

def test_the_trial_load_leaves_nothing_in_the_books_folder(books: Path, tmp_path: Path) -> None:
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx")), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert not list(books.parent.glob(".funds-plan-check-*"))


def test_a_books_folder_the_trial_cannot_write_in_is_a_usage_error(
        books: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    before = fingerprint(books.parent)
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx")), "--ledger", str(books))
    assert result.exit_code == 2, result.output
    assert not isinstance(result.exception, PermissionError)
    assert "无法在账簿文件夹中试加载计划" in result.output and "Permission denied" in result.output
    assert fingerprint(books.parent) == before


DUPLICATE_IN_MAIN = f"""
2013-03-05 * "揭阳市建安装饰工程有限公司" "装修工程预付款"
  invoice: "FP-0001"
  contract: "HT-2013-01"
  {CONSTRUCTION.cost("装修工程")}   1000.00 CNY
  {CONSTRUCTION.bank}
2013-03-06 * "揭阳市建安装饰工程有限公司" "装修工程预付款"
  invoice: "FP-0001"
  contract: "HT-2013-01"
  {CONSTRUCTION.cost("装修工程")}   1000.00 CNY
  {CONSTRUCTION.bank}
"""


def test_a_finding_of_the_books_is_not_new_with_the_plan(books: Path, tmp_path: Path) -> None:
    with books.open("a", encoding="utf-8") as file:
        file.write(DUPLICATE_IN_MAIN)
    assert "duplicate-invoice" in rules_of(books)  # its message names main.beancount:N
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx")), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert "[duplicate-invoice]" not in result.output


def test_an_include_in_a_nested_file_counts(tmp_path: Path) -> None:
    books = write_books(tmp_path / "books")
    (books.parent / "plans.beancount").write_text('include "plan/*.beancount"\n', "utf-8")
    (books.parent / "plan").mkdir()
    (books.parent / "plan" / "说明.beancount").write_text("; 资金使用计划\n", "utf-8")
    with books.open("a", encoding="utf-8") as file:
        file.write('include "plans.beancount"\n')
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx")), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert "账簿已 include 此文件" in result.output and 'include "plan/' not in result.output
    assert "construction" in {item.fund for item in check_books(books).books.model.allocations}


# --- usage errors ---------------------------------------------------------------------------

def test_a_year_past_2099_is_a_usage_error(books: Path, tmp_path: Path) -> None:
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx")), "--ledger", str(books), "--year",
                 "2100")
    assert result.exit_code == 2 and "2100" in result.output
    assert not (books.parent / "plan").exists()


def test_books_that_declare_no_fund_are_a_usage_error(tmp_path: Path) -> None:
    main = tmp_path / "books" / "main.beancount"
    main.parent.mkdir()
    main.write_text('option "operating_currency" "CNY"\n', encoding="utf-8")
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx")), "--ledger", str(main))
    assert result.exit_code == 2, result.output
    assert "账簿无法接收资金使用计划" in result.output and "没有声明任何专项" in result.output
    assert "以下各行未能采用" not in result.output
